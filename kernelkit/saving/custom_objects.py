"""`CustomObjectScope` and `get_custom_objects`: extra names that deserialization resolves."""

from __future__ import annotations

from kernelkit.registry import custom_object_scope as _scope
from kernelkit.registry import get_custom_objects

__all__ = ["CustomObjectScope", "get_custom_objects"]


class CustomObjectScope:
    """A `with` block inside which the given names resolve when configs are deserialized.

    Scopes nest; the innermost wins. Keras's `custom_object_scope` is this same class.

    Args:
        *custom_objects: Dicts of name to class or function (later dicts win), or `None`.

    Raises:
        TypeError: if an argument is neither a dict nor `None`.

    Example:
        >>> from kernelkit.registry import get_registered_object
        >>> def twice(x):
        ...     return 2 * x
        >>> with CustomObjectScope({"twice": twice}):
        ...     get_registered_object("twice")(3)
        6
    """

    def __init__(self, *custom_objects):
        merged = {}
        for objects in custom_objects:
            if objects is None:
                continue
            if not isinstance(objects, dict):
                raise TypeError(
                    "CustomObjectScope: each argument must be a dict of name to object. "
                    f"Expected a dict or None. Received: {objects!r} of type "
                    f"{type(objects).__name__}. Pass a dict such as {{'MyLayer': MyLayer}}."
                )
            merged.update(objects)
        self.custom_objects = merged
        self._context = None

    def __enter__(self):
        self._context = _scope(self.custom_objects)
        self._context.__enter__()
        return self

    def __exit__(self, *exc_info):
        context, self._context = self._context, None
        return context.__exit__(*exc_info)
