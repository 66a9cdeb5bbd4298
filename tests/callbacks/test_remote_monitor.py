"""RemoteMonitor: the requests it posts to a local HTTP server, form and JSON, and errors."""

import json
import threading
import urllib.parse
import warnings
from http.server import BaseHTTPRequestHandler, HTTPServer

import numpy as np
import pytest

import kernelkit as kk


class _Recorder(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_form_post_carries_the_epoch_logs_as_json_in_one_field(server):
    _Recorder.received.clear()
    monitor = kk.callbacks.RemoteMonitor(root=server, path="/events/", field="payload",
                                         headers={"X-Run": "7"})
    monitor.on_epoch_end(2, {"loss": np.float32(0.25), "mae": 1.5})
    path, headers, body = _Recorder.received[-1]
    assert path == "/events/" and headers["X-Run"] == "7"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qs(body.decode())
    assert json.loads(form["payload"][0]) == {"epoch": 2, "loss": 0.25, "mae": 1.5}


def test_json_post_during_fit_sends_one_event_per_epoch(server):
    _Recorder.received.clear()
    model = kk.Sequential([kk.layers.Input((2,)), kk.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(np.ones((8, 2), "float32"), np.ones((8, 1), "float32"), epochs=2,
                        verbose=0,
                        callbacks=[kk.callbacks.RemoteMonitor(root=server, send_as_json=True)])
    assert [r[0] for r in _Recorder.received] == ["/publish/epoch/end/"] * 2
    events = [json.loads(r[2]) for r in _Recorder.received]
    assert [e["epoch"] for e in events] == [0, 1]
    np.testing.assert_allclose([e["loss"] for e in events], history.history["loss"], rtol=1e-6)
    assert _Recorder.received[0][1]["Content-Type"] == "application/json"


def test_unreachable_server_warns_like_keras():
    monitor = kk.callbacks.RemoteMonitor(root="http://127.0.0.1:9")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        monitor.on_epoch_end(0, {"loss": 1.0})
    assert "Could not reach RemoteMonitor root server at http://127.0.0.1:9" in str(
        caught[0].message)
