"""Where each layer's variables live in a Keras 3 weights file (`layers/dense_1/vars/0`).

Keras 3 walks a model's attributes: a Sequential or Functional model lists `layers` first,
each named after its class in snake case and made unique in order (`dense`, `dense_1`, ...;
the real layer name goes in the `name` attribute of the `vars` group); other attributes
holding layers follow in sorted order, private ones last (an LSTM's `cell`, a
Bidirectional's `forward_layer`). Each layer's own variables are numbered `0, 1, ...`,
trainable ones first. The model itself is at the root and the optimizer at `optimizer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flax import nnx

from kernelkit.layers.layer import Layer
from kernelkit.naming import to_snake_case

__all__ = ["LayoutEntry", "keras_layout"]

_SKIP = frozenset({"_own_weights", "_history", "_graph", "_plan", "_layers", "_input_layer",
                   "_losses", "_initial_weights", "_call_signature"})


@dataclass
class LayoutEntry:
    """One saveable object: its group path, its name, and its own variables in Keras order."""

    path: str
    name: str
    layer: object
    variables: list = field(default_factory=list)


def _name_key(name: str) -> str:
    return f"~{name}" if name.startswith("_") else name


def _is_layer(value) -> bool:
    return isinstance(value, Layer) and not getattr(value, "_kk_not_a_layer", False)


def _own_variables(layer) -> list:
    declared = getattr(layer, "keras_own_variables", None)
    if callable(declared):  # a layer that also tracks a sublayer's weight (SpectralNormalization)
        return list(declared())
    inner = set()
    for child in _children_layers(layer):
        inner.update(id(w) for w in child.weights)
    return [w for w in layer.weights if id(w) not in inner]


def _children_layers(layer) -> list:
    found = []

    def visit(value):
        if _is_layer(value):
            found.append(value)
        elif isinstance(value, list | tuple):
            for v in value:
                visit(v)
        elif isinstance(value, dict):
            for v in value.values():
                visit(v)

    for key, value in vars(layer).items():
        if not key.startswith("_pytree__") and key not in ("_own_weights", "_history"):
            visit(value)
    return found


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


def keras_layout(model) -> list[LayoutEntry]:
    """Lists every saveable layer of `model` (itself first) with its Keras 3 path.

    Example:
        >>> import kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2), kk.layers.Dense(1)])
        >>> [(e.path, len(e.variables)) for e in keras_layout(m)]
        [('', 0), ('layers/dense', 2), ('layers/dense_1', 2)]
    """
    entries: list[LayoutEntry] = []
    visited: set[int] = set()
    _walk(model, "", entries, visited)
    return entries


def _walk(layer, path, entries, visited) -> None:
    if id(layer) in visited:
        return
    visited.add(id(layer))
    entries.append(LayoutEntry(path, layer.name, layer, _own_variables(layer)))
    if hasattr(layer, "_layers") and isinstance(getattr(layer, "layers", None), list):
        _walk_container(layer.layers, _join(path, "layers"), entries, visited)
    for key in sorted(vars(layer), key=_name_key):
        if key.startswith("_pytree__") or key in _SKIP:
            continue
        value = vars(layer)[key]
        if _is_layer(value):
            _walk(value, _join(path, key), entries, visited)
        elif isinstance(value, list | tuple | dict) and not isinstance(value, nnx.Variable):
            _walk_container(value, _join(path, key), entries, visited)


def _walk_container(container, path, entries, visited) -> None:
    used: dict[str, int] = {}
    items = list(container.values()) if isinstance(container, dict) else list(container)
    for item in items:
        if _is_layer(item):
            name = _unique(to_snake_case(type(item).__name__), used)
            _walk(item, _join(path, name), entries, visited)
        elif isinstance(item, list | tuple | dict) and _holds_layer(item):
            _walk_container(item, _join(path, _unique("container", used)), entries, visited)


def _holds_layer(container) -> bool:
    items = container.values() if isinstance(container, dict) else container
    return any(_is_layer(i) or (isinstance(i, list | tuple | dict) and _holds_layer(i))
               for i in items)


def _unique(name: str, used: dict) -> str:
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name
