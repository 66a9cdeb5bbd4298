"""Finding a layer's sublayers and weights: attributes in assignment order, lists and dicts too."""

from __future__ import annotations

from flax import nnx

from kernelkit.layers.variables import is_trainable_variable, variable_path

__all__ = ["dedup", "has_unbuilt_sublayers", "is_trainable", "module_variables", "path_of",
           "sublayers", "weights_of"]

_SKIP = frozenset({"_own_weights", "_history"})


def sublayers(module) -> list:
    """Direct sub-modules of `module` in attribute assignment order (inside containers too)."""
    found, seen = [], {id(module)}

    def visit(value):
        if getattr(value, "_kk_not_a_layer", False):
            return  # metrics and compile containers are model state, not layers
        if isinstance(value, nnx.Module):
            if id(value) not in seen:
                seen.add(id(value))
                found.append(value)
        elif isinstance(value, list | tuple):
            for v in value:
                visit(v)
        elif isinstance(value, dict):
            for v in value.values():
                visit(v)

    for key, value in vars(module).items():
        if key not in _SKIP:
            visit(value)
    return found


def module_variables(module) -> list:
    """Every NNX Variable reachable from a plain `nnx.Module`, in graph order."""
    return dedup([v for _, v in nnx.iter_graph(module) if isinstance(v, nnx.Variable)
                  and not isinstance(v, nnx.RngState)])


def weights_of(module) -> list:
    """The Keras `weights` of a kernelkit layer or of any plain `nnx.Module`."""
    if hasattr(module, "_own_weights"):
        return module.weights
    return module_variables(module)


def dedup(items: list) -> list:
    seen, out = set(), []
    for x in items:
        if id(x) not in seen:
            seen.add(id(x))
            out.append(x)
    return out


def is_trainable(v) -> bool:
    return is_trainable_variable(v)


def path_of(v) -> str:
    return variable_path(v)


def has_unbuilt_sublayers(module) -> bool:
    return any(getattr(sub, "built", True) is False or has_unbuilt_sublayers(sub)
               for sub in sublayers(module))
