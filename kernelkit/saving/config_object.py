"""`Config`: a dict of named values with attribute access, freezing, and JSON output."""

from __future__ import annotations

import copy
import difflib
import json

__all__ = ["Config"]


class Config:
    """A dict-like container of named values (Keras's `keras.utils.Config`).

    Values are read and set as attributes or items; `freeze()` forbids changes until
    `unfreeze()`; iteration yields the keys in sorted order.

    Args:
        **kwargs: The initial values.

    Example:
        >>> config = Config(learning_rate=0.1)
        >>> config.seed = 7
        >>> config["seed"], config.to_json()
        (7, '{"learning_rate": 0.1, "seed": 7}')
        >>> config.freeze(); config.frozen
        True
    """

    __attrs__ = None

    def __init__(self, **kwargs):
        self._config = kwargs
        self._frozen = False
        self.__attrs__ = set(dir(self))

    @property
    def frozen(self) -> bool:
        """Whether the config refuses changes."""
        return self._frozen

    def freeze(self) -> None:
        """Refuses every change from now on (until `unfreeze`)."""
        self._frozen = True

    def unfreeze(self) -> None:
        """Allows changes again."""
        self._frozen = False

    def _refuse_if_frozen(self):
        if self._frozen:
            raise ValueError(
                "Config: cannot change a frozen config. Expected an unfrozen config. "
                "Received: a change while frozen=True. Call config.unfreeze() first."
            )

    def as_dict(self) -> dict:
        """Returns a shallow copy of the values as a dict."""
        return copy.copy(self._config)

    def to_json(self) -> str:
        """Returns the values as a JSON string."""
        return json.dumps(self._config)

    def keys(self):
        return self._config.keys()

    def values(self):
        return self._config.values()

    def items(self):
        return self._config.items()

    def pop(self, *args):
        self._refuse_if_frozen()
        return self._config.pop(*args)

    def update(self, *args, **kwargs):
        self._refuse_if_frozen()
        return self._config.update(*args, **kwargs)

    def get(self, keyname, value=None):
        return self._config.get(keyname, value)

    def __setattr__(self, name, value):
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            return object.__setattr__(self, name, value)
        self._refuse_if_frozen()
        self._config[name] = value
        return None

    def __getattr__(self, name):
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            return object.__getattribute__(self, name)
        if name in self._config:
            return self._config[name]
        message = f"Unknown attribute: '{name}'."
        close = difflib.get_close_matches(name, self._config.keys(), n=1, cutoff=0.7)
        if close:
            message += f" Did you mean '{close[0]}'?"
        raise AttributeError(message)

    def __setitem__(self, key, item):
        self._refuse_if_frozen()
        self._config[key] = item

    def __getitem__(self, key):
        return self._config[key]

    def __delitem__(self, key):
        self._refuse_if_frozen()
        del self._config[key]

    def __contains__(self, item) -> bool:
        return item in self._config

    def __iter__(self):
        return iter(sorted(self._config))

    def __len__(self) -> int:
        return len(self._config)

    def __repr__(self) -> str:
        return f"<Config {self._config}>"
