"""`Lookup`: the one implementation of a family's `get`, `serialize` and `deserialize`.

Activations, initializers, regularizers, constraints, losses, metrics and optimizers each keep
their public functions (with their own docstrings); each is a thin call into a `Lookup` that
holds the family's name table and its few differences, written as data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from kernelkit.errors import UnsafeModelError
from kernelkit.registry import serialization
from kernelkit.registry.registration import (
    IdentifierTypeError,
    get_registered_name,
    get_registered_object,
)

__all__ = ["Lookup"]


def _callable(obj):
    return obj if callable(obj) else None


class Lookup:
    """`get`, `serialize` and `deserialize` for one family of objects, as Keras 3 resolves them.

    `get(identifier)`: `None` gives `default`; `convert` may take an identifier first (an
    optax transform, an array); a name is looked up in `names`, then in user registrations; a
    dict is deserialized; a class is instantiated; `accept` then gives the result, or refuses it.

    Args:
        family: The public module, as messages name it (`"constraints"`, `"kernelkit.losses"`).
        kind: One object of the family, in messages (`"constraint"`).
        module: The Keras module the family mirrors, preferred when a name is in several.
        names: Keras's name table (`ALL_OBJECTS_DICT`): name -> class or function.
        accepts: What `get` takes, for its refusal (`"a name, a dict or a callable"`).
        default: What `get(None)` gives.
        strings: How `deserialize` reads a bare name: `"instance"` builds the named class with
            its defaults, `"object"` gives the table's entry (else the registry's), `None`
            leaves it to the registry.
        by_name: A family of plain functions saved by name (activations): built-ins serialize
            to their name, other named functions to Keras's function dict, and names must
            resolve to functions.
        fold_case: Whether names are case-insensitive (`names` keys are lower case).
        classes: Whether a class given to `get` itself is instantiated (Keras's optimizers
            refuse one); a class a name or dict resolves to always is.
        builtins: Whether `get` may resolve a name to another family's built-in.
        convert: Gives `get`'s result for an identifier it handles itself, else None.
        accept: Gives `get`'s result from the resolved object, or None to refuse it.
        unknown_hint: What else an unknown name could have been, after the list of names.
        unknown_fix: The fix for an unknown name.
        refuse_fix: The fix for an identifier `get` cannot interpret.
        show: How a refused identifier is shown (default `repr`).
        where: How `deserialize`'s errors name the config (default `kind`).

    Example:
        >>> class Twice:
        ...     def __call__(self, x):
        ...         return 2 * x
        >>> lookup = Lookup("demo", "op", None, {"twice": Twice},
        ...                 accepts="a name or a callable")
        >>> lookup.get("twice")(3)
        6
        >>> lookup.get("thrice")
        Traceback (most recent call last):
        ...
        ValueError: demo.get: unknown op 'thrice'. Expected one of ['twice'] or a registered name. Received: identifier='thrice'. Names are case-sensitive.
    """  # noqa: E501

    def __init__(self, family: str, kind: str, module: str | None, names: Mapping[str, Any], *,
                 accepts: str, default: Any = None,
                 strings: Literal["instance", "object"] | None = "instance",
                 by_name: bool = False, fold_case: bool = False, classes: bool = True,
                 builtins: bool = False,
                 convert: Callable[[Any], Any] | None = None,
                 accept: Callable[[Any], Any] = _callable,
                 unknown_hint: str = " or a registered name",
                 unknown_fix: str = "Names are case-sensitive.", refuse_fix: str = "",
                 show: Callable[[Any], str] = repr, where: str | None = None):
        self.family, self.kind, self.module, self.names = family, kind, module, names
        self.accepts, self.default, self.strings, self.by_name = accepts, default, strings, by_name
        self.fold_case, self.classes, self.builtins = fold_case, classes, builtins
        self.convert, self.accept = convert, accept
        self.unknown_hint, self.unknown_fix, self.refuse_fix = unknown_hint, unknown_fix, refuse_fix
        self.show, self.where = show, where or kind

    # ---- get --------------------------------------------------------------------------------

    def get(self, identifier):
        """Resolves `identifier` to an object of the family.

        Args:
            identifier: A name, a serialized dict, a class, an instance, a callable or None.

        Returns:
            The object (`default` for None).

        Raises:
            ValueError: for an unknown name (`UnsafeModelError` for a `by_name` family).
            IdentifierTypeError: for an identifier that is none of these (also a `ValueError`).

        Example:
            >>> Lookup("demo", "op", None, {"abs": abs}, accepts="a name").get("abs")(-2)
            2
        """
        if identifier is None:
            return self.default
        if self.convert is not None and (converted := self.convert(identifier)) is not None:
            return converted
        if isinstance(identifier, str):
            obj = self.named(identifier)
        elif isinstance(identifier, dict):
            obj = self.deserialize(identifier)
        else:
            obj = identifier
        if isinstance(obj, type) and not self.by_name and (self.classes or obj is not identifier):
            obj = obj()
        result = self.accept(obj)
        if result is None:
            fix = f" {self.refuse_fix}" if self.refuse_fix else ""
            raise IdentifierTypeError(
                f"{self.family}.get: could not interpret the {self.kind} identifier. Expected "
                f"{self.accepts}. Received: identifier={self.show(identifier)}.{fix}"
            )
        return result

    def named(self, name: str, custom_objects: dict | None = None):
        """The object a name stands for: the family's table, then user registrations.

        Args:
            name: The name.
            custom_objects: Extra names to objects, looked up after the table.

        Returns:
            The object.

        Raises:
            ValueError: if the name is unknown.

        Example:
            >>> Lookup("demo", "op", None, {"abs": abs}, accepts="a name").named("abs") is abs
            True
        """
        obj = self.names.get(name.lower() if self.fold_case else name)
        if obj is None:
            obj = get_registered_object(name, custom_objects, self.module, builtins=self.builtins)
        if self.by_name and (isinstance(obj, type) or not callable(obj)):
            obj = None
        if obj is not None:
            return obj
        if self.by_name:
            raise UnsafeModelError(
                f"{self.where}: {name!r} is not a known {self.kind}. Expected a Keras "
                f"{self.kind} name ({', '.join(sorted(self.names))}) or a function passed in "
                "custom_objects or registered with register_keras_serializable. "
                f"Received: config={name!r}."
            )
        raise ValueError(
            f"{self.family}.get: unknown {self.kind} {name!r}. Expected one of "
            f"{sorted(self.names)}{self.unknown_hint}. Received: identifier={name!r}. "
            f"{self.unknown_fix}"
        )

    # ---- serialize / deserialize ------------------------------------------------------------

    def serialize(self, obj):
        """Keras 3's serialized form of `obj` (a function of the registry becomes its name).

        Args:
            obj: An object of the family.

        Returns:
            A dict, or a name.

        Raises:
            ValueError: in a `by_name` family, for a function without a name to be loaded by.

        Example:
            >>> Lookup("demo", "op", None, {"abs": abs}, accepts="a name").serialize(abs)
            'abs'
        """
        if not self.by_name:
            return serialization.serialize(obj)
        name = getattr(obj, "__name__", None)
        if name is not None and self.names.get(name) is obj:
            return name
        if hasattr(obj, "get_config"):
            return serialization.serialize(obj)
        if not callable(obj) or not isinstance(name, str) or name == "<lambda>":
            raise ValueError(
                f"{self.family}.serialize: the {self.kind} has no name to be saved under. "
                f"Expected a built-in or named function. Received: {self.kind}={obj!r}. Define "
                "it with `def` and decorate it with kernelkit.utils.register_keras_serializable."
            )
        return {"module": "builtins", "class_name": "function",
                "config": get_registered_name(obj), "registered_name": "function"}

    def deserialize(self, config, custom_objects: dict | None = None):
        """Rebuilds an object from `serialize`'s output (or Keras 3's), or a name.

        Args:
            config: A serialized dict or a name.
            custom_objects: Extra names to objects.

        Returns:
            The object.

        Raises:
            UnsafeModelError: if the config names something that is not registered.

        Example:
            >>> Lookup("demo", "op", None, {"abs": abs}, accepts="a name",
            ...        strings="object").deserialize("abs") is abs
            True
        """
        if self.by_name:
            return self._deserialize_function(config, custom_objects)
        if isinstance(config, str):
            if self.strings == "instance":
                config = {"class_name": config, "config": {}}
            elif self.strings == "object" and config in self.names:
                return self.names[config]
        elif isinstance(config, dict) and self.fold_case:
            builtin = self.names.get(str(config.get("class_name", "")).lower())
            if builtin is not None and not config.get("registered_name"):
                config = {**config, "class_name": builtin.__name__}
        return serialization.deserialize(config, module=self.module,
                                         custom_objects=custom_objects, where=self.where)

    def _deserialize_function(self, config, custom_objects):
        if isinstance(config, dict) and config.get("class_name") == "function":
            config = config.get("config")
        if isinstance(config, str):
            return self.named(config, custom_objects)
        if isinstance(config, dict):
            return serialization.deserialize(config, module=self.module,
                                             custom_objects=custom_objects, where=self.where)
        raise IdentifierTypeError(
            f"{self.family}.deserialize: cannot read the config. Expected a string or a dict. "
            f"Received: config of type {type(config).__name__}."
        )
