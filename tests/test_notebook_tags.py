"""The tutorial notebooks keep their checks in tagged, hidden cells: every visible cell teaches.

A check cell (asserts, `np.testing`) carries the `remove-cell` tag, which the docs hook
(`docs/hooks/notebooks.py`) strips from the rendered guides, and `jupyter.source_hidden`, which
collapses it in JupyterLab and on Binder; nbval still runs it. nbval options are cell tags
(`nbval-check-output`, ...), never `# NBVAL_*` comments in the source.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
import types
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
CHECK_TAG = "remove-cell"
NBVAL_TAGS = {"nbval-check-output", "nbval-ignore-output", "nbval-skip",
              "nbval-raises-exception", "raises-exception"}
CHECK_WORD = re.compile(r"\bassert|\.testing\.")


def _cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        source = cell.get("source", "")
        cell["text"] = "".join(source) if isinstance(source, list) else source
    return cells


def _is_check_cell(cell: dict) -> bool:
    return CHECK_TAG in cell.get("metadata", {}).get("tags", [])


def _has_check(source: str) -> bool:
    """Whether the code holds an `assert` statement or a `*.testing.assert_*` call."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call) and ".testing." in ast.unparse(node.func):
            return True
    return False


def _where(path: Path, index: int) -> str:
    return f"{path.name}, cell {index}"


def test_the_tutorials_exist():
    names = [path.name for path in NOTEBOOKS]
    assert len(names) >= 10, names
    assert {"07_text_classification.ipynb", "08_custom_training_step.ipynb",
            "09_training_tools.ipynb", "10_distribution.ipynb"} <= set(names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_visible_cells_hold_no_checks(path):
    for index, cell in enumerate(_cells(path)):
        assert "NBVAL" not in cell["text"], (
            f"{_where(path, index)}: a `# NBVAL_*` comment; use the nbval cell tag instead.")
        if cell["cell_type"] == "code" and not _is_check_cell(cell):
            assert not CHECK_WORD.search(cell["text"]), (
                f"{_where(path, index)}: a visible cell with a check; move it into a cell "
                f"tagged '{CHECK_TAG}' with jupyter.source_hidden.\n{cell['text']}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_check_cells_are_tagged_hidden_and_silent(path):
    checks = [(index, cell) for index, cell in enumerate(_cells(path)) if _is_check_cell(cell)]
    assert checks, f"{path.name}: no check cells; a tutorial tests what it shows."
    for index, cell in checks:
        where = _where(path, index)
        assert cell["cell_type"] == "code", f"{where}: only code cells are check cells."
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, (
            f"{where}: a check cell needs metadata jupyter.source_hidden = true.")
        assert _has_check(cell["text"]), f"{where}: the tag hides a cell that checks nothing."
        assert not cell.get("outputs"), f"{where}: a hidden check cell must print nothing."


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_nbval_tags_are_known(path):
    for index, cell in enumerate(_cells(path)):
        tags = cell.get("metadata", {}).get("tags", [])
        unknown = [tag for tag in tags if tag.startswith("nbval") and tag not in NBVAL_TAGS]
        assert not unknown, f"{_where(path, index)}: nbval does not know the tags {unknown}."


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_saved_executed_with_visible_cells_numbered(path):
    """Committed with outputs by notebooks/tools/run_all.py: visible code cells numbered 1..n,
    check cells without a number, so the rendered guides show no gaps."""
    code = [cell for cell in _cells(path) if cell["cell_type"] == "code"]
    visible = [cell["execution_count"] for cell in code if not _is_check_cell(cell)]
    assert visible == list(range(1, len(visible) + 1)), (
        f"{path.name}: execution counts {visible}; run `make notebooks` (run_all.py) to save it.")
    assert all(cell["execution_count"] is None for cell in code if _is_check_cell(cell))


def test_has_check_sees_asserts_and_testing_calls():
    assert _has_check("assert x == 1")
    assert _has_check("np.testing.assert_allclose(a, b)")
    assert not _has_check("print('assert nothing')")


def _load_docs_hook(monkeypatch):
    """docs/hooks/notebooks.py as a module; mkdocs (a docs-only dependency) stubbed if absent."""
    try:
        import mkdocs.plugins  # noqa: F401
        import mkdocs.structure.files  # noqa: F401
    except ImportError:
        plugins = types.ModuleType("mkdocs.plugins")
        plugins.event_priority = lambda priority: (lambda fn: fn)
        files = types.ModuleType("mkdocs.structure.files")
        files.File = object
        for name, module in {"mkdocs": types.ModuleType("mkdocs"), "mkdocs.plugins": plugins,
                             "mkdocs.structure": types.ModuleType("mkdocs.structure"),
                             "mkdocs.structure.files": files}.items():
            monkeypatch.setitem(sys.modules, name, module)
    path = Path(__file__).resolve().parents[1] / "docs" / "hooks" / "notebooks.py"
    spec = importlib.util.spec_from_file_location("docs_hook_notebooks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Plugin:
    def __init__(self, remove_tag_config):
        self.config = {"remove_tag_config": remove_tag_config}


def test_the_docs_hook_tells_mkdocs_jupyter_to_drop_check_cells(monkeypatch):
    hook = _load_docs_hook(monkeypatch)
    assert hook.CHECK_TAG == CHECK_TAG
    plugin = _Plugin({"remove_input_tags": ["hide-input"]})
    config = {"plugins": {"mkdocs-jupyter": plugin}, "nav": [{"Guides": []}]}
    hook.on_config(config)
    assert plugin.config["remove_tag_config"] == {"remove_input_tags": ["hide-input"],
                                                  "remove_cell_tags": [CHECK_TAG]}
    assert config["nav"][0]["Guides"] == [f"notebooks/{path.name}" for path in NOTEBOOKS]
    with pytest.raises(ValueError, match="remove_cell_tags"):
        hook.on_config({"plugins": {"mkdocs-jupyter": _Plugin({"remove_cell_tags": ["x"]})},
                        "nav": [{"Guides": []}]})


def _tag_bar(*tags):
    buttons = "".join(
        f'<div class="button_container tags_button_container">\n<span class="tag-container">\n'
        f'<span class="cell-tag">{tag}</span>\n</span>\n</div>\n' for tag in tags)
    return f'<div class="celltoolbar">\n{buttons}</div>\n'


def test_the_docs_hook_hides_nbval_tags_only(monkeypatch):
    hook = _load_docs_hook(monkeypatch)
    code = '<div class="CodeMirror">x = 1</div>'
    assert hook.without_test_tags(_tag_bar("nbval-check-output") + code) == code
    assert hook.without_test_tags(_tag_bar("nbval-ignore-output", "slow") + code) == (
        _tag_bar("slow") + code)
