"""Real-browser fixtures: a private JupyterLab server on 127.0.0.1 and a headless Chromium page.

Neither is optional: `make setup` installs Chromium (`make browser-deps`) and Playwright (the
`test` extra), so a missing piece fails the test with what to install, instead of skipping it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / "build" / "browser"
CHROMIUM = os.environ.get("KK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 90  # seconds for JupyterLab to answer /api/status
SERVER_LIFETIME = 600  # hard bound: `timeout` ends the server even if the test process dies


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    def __init__(self, url: str, token: str, root: Path, log: Path):
        self.url, self.token, self.root, self.log = url, token, root, log

    def lab_url(self, path: str) -> str:
        return f"{self.url}/lab/tree/{path}?token={self.token}&reset"

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-n:]
        except OSError:
            return "(no server log)"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory, artifacts_dir):
    """JupyterLab serving a temporary copy of tests/browser/notebook/, stopped afterwards."""
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        pytest.fail("The browser test needs JupyterLab: install the test extra "
                    "(pip install -e '.[test]', or `make setup`).")
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(HERE / "notebook", root)
    # A private Jupyter configuration: no user settings, workspaces or kernels leak in, and
    # the "news" question of JupyterLab does not cover the page.
    config = base / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    env = dict(os.environ)
    env.update({
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "IPYTHONDIR": str(base / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONUNBUFFERED": "1",
    })
    port, token = _free_port(), secrets.token_hex(16)
    log = artifacts_dir / "jupyterlab.log"
    command = [
        "timeout", str(SERVER_LIFETIME), sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}", "--ServerApp.disable_check_xsrf=True",
        "--ServerApp.terminals_enabled=False",
    ]
    if os.geteuid() == 0:  # containers and CI often run as root
        command.append("--allow-root")
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, root, log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {process.returncode} before it "
                            f"answered. Its log:\n{server.log_tail()}")
            try:
                with urllib.request.urlopen(
                        f"{server.url}/api/status?token={token}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer on {server.url} within "
                            f"{SERVER_START_TIMEOUT} s. Its log:\n{server.log_tail()}")
            time.sleep(0.5)
        yield server
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Ends the server and its kernels (its own process group), politely first."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # kernels left behind, if any
    except ProcessLookupError:
        pass
    process.wait(5)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (its own browser download is not used)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The browser test needs Playwright: install the test extra "
                    "(pip install -e '.[test]', or `make setup`).")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"The browser test needs Chromium at {CHROMIUM}: run `make browser-deps` "
                    "(apt-get install chromium), or point KK_CHROMIUM at a Chromium binary.")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True, timeout=60_000)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser, artifacts_dir):
    """A fresh page; the browser console is saved next to the screenshots."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    page.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    try:
        yield page
    finally:
        (artifacts_dir / "console.log").write_text("\n".join(console) + "\n")
        context.close()
