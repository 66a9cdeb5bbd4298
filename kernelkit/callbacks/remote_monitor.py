"""`RemoteMonitor`: posts each epoch's logs as JSON to a server (with `urllib`, no extra package)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from kernelkit.callbacks.callback import Callback

__all__ = ["RemoteMonitor"]


def _plain(value):
    if isinstance(value, np.ndarray | np.generic) or hasattr(value, "__array__"):
        array = np.asarray(value)
        return array.item() if array.size == 1 else array.tolist()
    return value


class RemoteMonitor(Callback):
    """At each epoch end, sends `{"epoch": epoch, **logs}` by HTTP POST to `root + path`.

    As in Keras, the body is a form with one field, `field`, holding the JSON text, or with
    `send_as_json=True` the JSON itself (`Content-Type: application/json`). A server that
    cannot be reached gives a warning, not an error.

    Args:
        root: the server's root URL.
        path: the path the events are posted to.
        field: the form field holding the JSON (when not `send_as_json`).
        headers: extra HTTP headers.
        send_as_json: send the JSON as the request body.

    Example:
        >>> monitor = RemoteMonitor(root="http://127.0.0.1:1", send_as_json=True)
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     monitor.on_epoch_end(0, {"loss": 0.5})
        >>> "Could not reach RemoteMonitor root server" in str(caught[0].message)
        True
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data",
                 headers=None, send_as_json=False):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        send.update({k: _plain(v) for k, v in (logs or {}).items()})
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError):
            warnings.warn(
                f"Could not reach RemoteMonitor root server at {self.root}", stacklevel=2)
