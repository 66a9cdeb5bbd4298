"""`LayoutMap`: variable paths (regular expressions) to `TensorLayout`s."""

from __future__ import annotations

import collections.abc
import re

from kernelkit.distribution.device_mesh import TensorLayout

__all__ = ["LayoutMap"]


class LayoutMap(collections.abc.MutableMapping):
    """A mapping from variable paths to `TensorLayout`s, whose keys are regular expressions.

    Looking up a path returns the layout stored under exactly that key; otherwise the layout
    of the one key that `re.fullmatch`es the path, or None when none does (the variable is
    then replicated). A path matched by several keys is an error. A tuple of axis names
    may be stored as the value: it becomes a `TensorLayout` on the map's mesh.

    Args:
        device_mesh: The `DeviceMesh` the layouts are placed on.

    Example:
        >>> from kernelkit.distribution import DeviceMesh
        >>> mesh = DeviceMesh((1, 1), ["batch", "model"], devices=["cpu:0"])
        >>> layout_map = LayoutMap(mesh)
        >>> layout_map[".*dense.*kernel"] = (None, "model")
        >>> layout_map["dense_1/kernel"].axes
        (None, 'model')
        >>> layout_map["conv2d/kernel"] is None
        True
    """

    def __init__(self, device_mesh):
        self._layout_map = collections.OrderedDict()
        self._device_mesh = device_mesh

    def matching_keys(self, path: str) -> list[str]:
        """The keys whose pattern matches `path` in full (the exact key alone, if present).

        Args:
            path: A variable path such as `"dense/kernel"`.

        Returns:
            The matching keys, in insertion order.
        """
        if path in self._layout_map:
            return [path]
        return [key for key in self._layout_map if re.fullmatch(key, path)]

    def __getitem__(self, key):
        matches = self.matching_keys(key)
        if len(matches) > 1:
            raise ValueError(
                f"LayoutMap: path {key!r} matches several layout keys: {matches}. Expected "
                "each variable path to match at most one key. Received: key="
                f"{key!r}. Make the keys' patterns disjoint."
            )
        return self._layout_map[matches[0]] if matches else None

    def __setitem__(self, key, layout) -> None:
        if key in self._layout_map:
            raise ValueError(
                f"LayoutMap: key {key!r} is already set to {self._layout_map[key]}. Expected a "
                f"new key. Received: key={key!r}. Delete the key first to replace it."
            )
        if isinstance(layout, tuple):
            layout = TensorLayout(axes=layout, device_mesh=None)
        if not isinstance(layout, TensorLayout):
            raise ValueError(
                f"LayoutMap: the value for key {key!r} must be a TensorLayout or a tuple of "
                f"axis names. Received: layout={layout!r} of type {type(layout).__name__}. "
                "Pass e.g. (None, 'model')."
            )
        if layout.device_mesh is None and self._device_mesh is not None:
            layout.device_mesh = self._device_mesh
        self._layout_map[key] = layout

    def __delitem__(self, key) -> None:
        del self._layout_map[key]

    def __len__(self) -> int:
        return len(self._layout_map)

    def __iter__(self):
        return iter(self._layout_map)

    @property
    def device_mesh(self):
        """The `DeviceMesh` of the layouts."""
        return self._device_mesh
