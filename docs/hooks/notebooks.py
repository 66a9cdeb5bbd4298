"""MkDocs hook: renders notebooks/*.ipynb as the Guides section, whatever notebooks exist.

The notebooks live at the repository root (next to binder/), outside docs/. This hook adds
each one as the page `notebooks/<name>.ipynb` (rendered by mkdocs-jupyter, which executes
nothing: notebooks are committed with their outputs), appends it to the Guides section of the
navigation, and fills the `<!-- notebooks -->` marker of guides/index.md with a list of links.
(A physical file with `src_dir` at the repository root, not `File.generated`: mkdocs-jupyter's
file wrapper loses the source path of generated files.)

Cells tagged `remove-cell` are the notebooks' own checks (asserts run by nbval in CI, collapsed
in JupyterLab by their `jupyter.source_hidden` metadata): the hook tells mkdocs-jupyter to drop
them, so a rendered guide shows only the cells that teach. The nbval tags of the cells that stay
(`nbval-check-output`, ...) are test settings too: the hook takes them out of the tag bar
mkdocs-jupyter draws above a tagged cell.
"""

import json
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
MARKER = "<!-- notebooks -->"
GUIDES = "Guides"
CHECK_TAG = "remove-cell"  # the tag of check cells (tests/test_notebook_tags.py enforces it)
JUPYTER_PLUGIN = "mkdocs-jupyter"
# one tag in mkdocs-jupyter's tag bar, when it is an nbval setting; then a bar left empty
_TEST_TAG = re.compile(
    r'<div class="button_container tags_button_container">\s*<span class="tag-container">\s*'
    r'<span class="cell-tag">(?:nbval-[a-z-]+|raises-exception)</span>\s*</span>\s*</div>\s*')
_EMPTY_TAG_BAR = re.compile(r'<div class="celltoolbar">\s*</div>\s*')


def _notebooks():
    return sorted(NOTEBOOKS.glob("*.ipynb")) if NOTEBOOKS.is_dir() else []


def _title(path):
    """The notebook's first Markdown heading, else its file name."""
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        for line in text.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem.replace("_", " ")


def _drop_check_cells(config):
    """Configures mkdocs-jupyter's TagRemovePreprocessor to remove the `remove-cell` cells."""
    plugin = config["plugins"].get(JUPYTER_PLUGIN)
    if plugin is None:
        raise ValueError(f"mkdocs.yml: the notebooks hook needs the '{JUPYTER_PLUGIN}' plugin.")
    tags = plugin.config["remove_tag_config"]
    # mkdocs-jupyter reads one tag per option (the first of the list)
    if tags.get("remove_cell_tags", [CHECK_TAG])[:1] != [CHECK_TAG]:
        raise ValueError(
            f"mkdocs.yml: {JUPYTER_PLUGIN}'s remove_tag_config.remove_cell_tags must be "
            f"['{CHECK_TAG}'] (the notebooks' check cells). Received: {tags['remove_cell_tags']}.")
    plugin.config["remove_tag_config"] = {**tags, "remove_cell_tags": [CHECK_TAG]}


def on_config(config):
    _drop_check_cells(config)
    for entry in config["nav"]:
        if isinstance(entry, dict) and GUIDES in entry:
            entry[GUIDES].extend(f"notebooks/{path.name}" for path in _notebooks())
            break
    else:
        raise ValueError(f"mkdocs.yml: the nav needs a '{GUIDES}' section for the notebooks.")
    return config


@event_priority(100)  # before mkdocs-jupyter's on_files, which claims the .ipynb pages
def on_files(files, config):
    for path in _notebooks():
        files.append(File(f"notebooks/{path.name}", src_dir=str(ROOT),
                          dest_dir=config["site_dir"],
                          use_directory_urls=config["use_directory_urls"]))
    return files


def without_test_tags(html):
    """`html` without the nbval tags in mkdocs-jupyter's tag bars (and without emptied bars)."""
    return _EMPTY_TAG_BAR.sub("", _TEST_TAG.sub("", html))


def on_page_content(html, page, config, files):
    if page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".ipynb"):
        return without_test_tags(html)
    return html


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != "guides/index.md" or MARKER not in markdown:
        return markdown
    links = [f"- [{_title(path)}](../notebooks/{path.name})" for path in _notebooks()]
    listing = "\n".join(links) if links else "*No guides have been written yet.*"
    return markdown.replace(MARKER, listing)
