"""Real-browser fixtures: a private Jupyter server (JupyterLab or Notebook 7) on 127.0.0.1, a
headless Chromium page, and `notebook_ui`, the page helpers both frontends share.

Nothing here is optional: `make setup` installs Chromium (`make browser-deps`) and Playwright,
JupyterLab and Notebook 7 (the `test` extra), so a missing piece fails the test with what to
install, instead of skipping it. Notebook 7 is built from JupyterLab's components, so one set
of selectors (`.jp-Cell`, `.jp-OutputArea-output`, `.jp-Notebook-ExecutionIndicator`) serves
both; only the page's address differs.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
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
SERVER_START_TIMEOUT = 90  # seconds for the server to answer /api/status
SERVER_LIFETIME = 600  # hard bound: `timeout` ends the server even if the test process dies


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterServer:
    """A running server: its address, token, served folder and log file."""

    def __init__(self, url: str, token: str, root: Path, log: Path):
        self.url, self.token, self.root, self.log = url, token, root, log

    def lab_url(self, path: str) -> str:
        """JupyterLab's page for the notebook `path` (a fresh workspace)."""
        return f"{self.url}/lab/tree/{path}?token={self.token}&reset"

    def notebook_url(self, path: str) -> str:
        """Notebook 7's page for the notebook `path`."""
        return f"{self.url}/notebooks/{path}?token={self.token}"

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-n:]
        except OSError:
            return "(no server log)"


@pytest.fixture(scope="module")
def artifacts_dir(request) -> Path:
    """build/browser/<test file>/, emptied first: screenshots, browser console, server log."""
    name = request.module.__name__.rpartition(".")[2].removeprefix("test_")
    path = ARTIFACTS / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory, artifacts_dir):
    """JupyterLab serving a temporary copy of tests/browser/notebook/, stopped afterwards."""
    yield from _serve("jupyterlab", "JupyterLab", tmp_path_factory, artifacts_dir)


@pytest.fixture(scope="module")
def notebook_server(tmp_path_factory, artifacts_dir):
    """Jupyter Notebook 7 serving a temporary copy of tests/browser/notebook/."""
    yield from _serve("notebook", "Notebook 7", tmp_path_factory, artifacts_dir)


def _serve(module: str, title: str, tmp_path_factory, artifacts_dir):
    try:
        __import__(module)
    except ImportError:
        pytest.fail(f"The browser test needs {title} (the `{module}` package): install the "
                    "test extra (pip install -e '.[test]', or `make setup`).")
    base = tmp_path_factory.mktemp(module)
    root = base / "notebooks"
    shutil.copytree(HERE / "notebook", root)
    env = _private_environment(base)
    port, token = _free_port(), secrets.token_hex(16)
    log = artifacts_dir / f"{module}.log"
    command = [
        "timeout", str(SERVER_LIFETIME), sys.executable, "-m", module, "--no-browser",
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
    server = JupyterServer(f"http://127.0.0.1:{port}", token, root, log)
    try:
        _wait_until_up(process, server, title)
        yield server
    finally:
        _stop(process)


def _private_environment(base: Path) -> dict:
    """A private Jupyter configuration: no user settings, workspaces or kernels leak in, and
    the "news" question of JupyterLab and Notebook 7 does not cover the page."""
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
    return env


def _wait_until_up(process: subprocess.Popen, server: JupyterServer, title: str) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(f"{title} exited with code {process.returncode} before it "
                        f"answered. Its log:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(
                    f"{server.url}/api/status?token={server.token}", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{title} did not answer on {server.url} within "
                        f"{SERVER_START_TIMEOUT} s. Its log:\n{server.log_tail()}")
        time.sleep(0.5)


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


@pytest.fixture
def notebook_ui(page, artifacts_dir):
    """`NotebookUI` on the page: cells, running them, screenshots, what the outputs hold."""
    return NotebookUI(page, artifacts_dir)


IMAGE_DIGEST = """async (img) => {
  if (!img.src || !img.complete || img.naturalWidth === 0) return null;
  try {
    const data = await (await fetch(img.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', data);
    const hex = Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0'));
    return hex.join('') + ':' + data.byteLength + ':' + img.naturalWidth + 'x' + img.naturalHeight;
  } catch (e) { return null; }  // the blob was replaced meanwhile: read it on the next poll
}"""


class NotebookUI:
    """A notebook page of JupyterLab or Notebook 7 (the same notebook DOM in both).

    Args:
        page: The Playwright page.
        artifacts: Where screenshots and logs go.
    """

    def __init__(self, page, artifacts: Path):
        from playwright.sync_api import expect

        self.page, self.artifacts, self.expect = page, artifacts, expect

    def open(self, url: str, cells: int, timeout_s: float = 120) -> None:
        """Opens the notebook page and waits for its `cells` cells and an idle kernel."""
        self.page.goto(url, timeout=90_000)
        self.expect(self.page.locator(".jp-Notebook .jp-Cell")).to_have_count(
            cells, timeout=90_000)
        self.wait_kernel_idle(timeout_s)

    def cell(self, index: int):
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)

    def output(self, index: int):
        return self.cell(index).locator(".jp-OutputArea-output")

    def run_cell(self, index: int, timeout_s: float = 60) -> None:
        """Runs one code cell (command mode, Shift+Enter) and waits until the kernel ran it."""
        cell = self.cell(index)
        prompt = cell.locator(".jp-InputPrompt")
        for attempt in range(3):
            cell.scroll_into_view_if_needed()
            prompt.click()
            self.page.keyboard.press("Escape")
            self.page.keyboard.press("Shift+Enter")
            try:  # queued ([*]) or run: a key press lost while the page settles is sent again
                self.expect(prompt).not_to_have_text(re.compile(r"^\s*\[ \]:\s*$"),
                                                     timeout=10_000)
                break
            except AssertionError:
                if attempt == 2:
                    self.fail(f"cell {index} did not start running after three Shift+Enter")
        self.expect(prompt).to_have_text(
            re.compile(r"^\s*\[\d+\]:\s*$"), timeout=timeout_s * 1000)
        self.wait_kernel_idle(timeout_s)

    def wait_kernel_idle(self, timeout_s: float = 60) -> None:
        self.expect(self.page.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute(
            "data-status", "idle", timeout=timeout_s * 1000)

    def shot(self, name: str, locator=None) -> Path:
        """Saves a screenshot of the page (or of `locator`) as `<name>.png`."""
        path = self.artifacts / f"{name}.png"
        self.page.mouse.move(1, 500)  # no hover highlight in the picture
        (locator or self.page).screenshot(path=str(path))
        return path

    def fail(self, message: str) -> None:
        """Fails the test with a screenshot and where the logs are."""
        self.shot("failure")
        pytest.fail(f"{message} (screenshot: {self.artifacts / 'failure.png'}; browser console "
                    f"and server log: {self.artifacts})")

    def stderr_text(self) -> str:
        """Everything the kernel wrote to stderr, in any cell."""
        errors = self.page.locator(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        return "\n".join(errors.all_inner_texts())

    @staticmethod
    def image_digest(image):
        """SHA-256, size and dimensions of an `<img>`'s current picture (None: not loaded)."""
        return image.evaluate(IMAGE_DIGEST)

    @staticmethod
    def svg_source(graph) -> str:
        """The SVG markup shown: inline `<svg>`, or an `<img>` with a data URI."""
        if graph.locator("svg").count():
            return graph.locator("svg").first.evaluate("e => e.outerHTML")
        img = graph.locator("img").first
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), "the SVG did not render"
        src = img.get_attribute("src")
        head, _, data = src.partition(",")
        assert head.startswith("data:image/svg+xml"), f"not an SVG image: {head!r}"
        if head.endswith(";base64"):
            return base64.b64decode(data).decode("utf-8", "replace")
        return urllib.parse.unquote(data)
