"""Griffe extension: reads kernelkit's Keras-style Google docstrings for the API reference.

Three conventions of the codebase that griffe's Google parser does not know, rewritten in
the docstring text before it is parsed (the source files are not touched):

- `Example:` (singular, as STYLE.md writes it) becomes `Examples:`, so `>>>` blocks render as
  code instead of Markdown quotes.
- Grouped arguments, `a, b, c: See Conv.` (possibly wrapped over several lines), become one
  entry per name with the same description, so each name is listed and checked against the
  signature.
- Items of a `Call arguments:` section become a Markdown list.

Griffe reads `__all__` statically and does not evaluate `__all__ = sorted([...] + sub.__all__)`,
which several kernelkit packages write: the public names of each kernelkit module are taken
from the imported module instead, and a public alias (`MaxPool2D = MaxPooling2D`, which griffe
lists without a docstring or not at all) gets a one-line "Alias of" docstring, and a class
made by a factory function gets its runtime docstring.

It also replaces griffe's check that documented arguments exist (`warn_unknown_params`, off in
mkdocs.yml): arguments that a `**kwargs` passes on to a base class (Keras documents
`activity_regularizer` on every layer) are allowed; any other unknown name is a warning.
"""

import importlib
import inspect
import re

import griffe

_ARGS = re.compile(r"^(Args|Arguments|Parameters|Keyword Args|Keyword Arguments):\s*$")
_CALL_ARGS = re.compile(r"^Call arguments:\s*$")
_EXAMPLE = re.compile(r"^Example:\s*$", re.MULTILINE)
_NAMES = r"\*{0,2}\w+(?:\s*,\s*\*{0,2}\w+)*"
_GROUP_HEAD = re.compile(rf"^{_NAMES}\s*,\s*$")  # a wrapped name list: `a, b,`
_GROUPED = re.compile(rf"^({_NAMES}\s*,\s*{_NAMES})\s*:\s*(.*)$")  # `a, b: description`


def _indent(line):
    return len(line) - len(line.lstrip())


def _section_end(lines, start):
    """Index of the first line after the section whose header is at `start`."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > 0):
        end += 1
    return end


def _items(body):
    """Splits a section body into items: (first line, continuation lines)."""
    indent = min((_indent(line) for line in body if line.strip()), default=0)
    items = []
    for line in body:
        if line.strip() and _indent(line) == indent:
            items.append([line, []])
        elif items:
            items[-1][1].append(line)
    return indent, items


def _split_groups(body):
    indent, items = _items(body)
    out, index = [], 0
    while index < len(items):
        head, rest = items[index]
        text = head.strip()
        # `a, b,` continued by deeper lines or by the next item: join until the colon.
        while _GROUP_HEAD.match(text) and ":" not in text:
            if rest and rest[0].strip():
                text = f"{text} {rest.pop(0).strip()}"
            elif index + 1 < len(items):
                index += 1
                following, rest = items[index]
                text = f"{text} {following.strip()}"
            else:
                break
        match = _GROUPED.match(text)
        if match:
            names = [name.strip() for name in match.group(1).split(",")]
            for name in names:
                out.append(" " * indent + f"{name}: {match.group(2)}")
                out.extend(rest)
        else:
            out.append(" " * indent + text)
            out.extend(rest)
        index += 1
    return out


def _list_items(body):
    indent, items = _items(body)
    out = []
    for head, rest in items:
        out.append(" " * indent + "- " + head.strip())
        out.extend(rest)
    return out


def rewrite(text):
    """The docstring `text` with kernelkit's conventions turned into griffe's."""
    text = _EXAMPLE.sub("Examples:", text)
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        rule = _split_groups if _ARGS.match(line) else (
            _list_items if _CALL_ARGS.match(line) else None)
        if rule is None:
            index += 1
            continue
        end = _section_end(lines, index)
        while end > index + 1 and not lines[end - 1].strip():
            end -= 1
        body = rule(lines[index + 1:end])
        lines[index + 1:end] = body
        index += 1 + len(body)
    return "\n".join(lines)


def _unknown_arguments(obj):
    """Documented argument names of a function or class that its signature cannot take."""
    try:
        parameters = list(obj.parameters)
    except AttributeError:
        return []
    if any(p.kind is griffe.ParameterKind.var_keyword for p in parameters):
        return []
    known = {p.name for p in parameters}
    sections = obj.docstring.parse("google", warnings=False)
    return [item.name for section in sections
            if section.kind is griffe.DocstringSectionKind.parameters
            for item in section.value if item.name.lstrip("*") not in known]  # `*args` too


def _document_attribute(mod, name, value):
    """Documents `mod.name` when griffe sees only an assignment to a class or function.

    A second name (`MaxPool2D = MaxPooling2D`) gets an "Alias of" line; a class made by a
    factory (`GlorotNormal = _variance_scaling(...)`) gets its runtime docstring.
    """
    if not (inspect.isclass(value) or inspect.isfunction(value)):
        return
    member = mod.members.get(name)
    if member is not None and (member.is_alias or member.docstring is not None):
        return
    target = getattr(value, "__name__", name)
    text = f"Alias of `{target}`." if target != name else inspect.getdoc(value)
    if not text:
        return
    attribute = member if member is not None else griffe.Attribute(name)
    # Parse it like the module's own docstring (mkdocstrings sets the parser and its options).
    like = mod.docstring
    attribute.docstring = griffe.Docstring(
        rewrite(text), parent=attribute, parser=like.parser if like else "google",
        parser_options=like.parser_options if like else None)
    if member is None:
        mod.set_member(name, attribute)


class KernelkitDocstrings(griffe.Extension):
    """Applies `rewrite` to every docstring as griffe loads it, then checks argument names."""

    def on_instance(self, *, node, obj, agent, **kwargs):
        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value)

    def on_module_members(self, *, node, mod, agent, **kwargs):
        if mod.path.split(".")[0] != "kernelkit":
            return
        try:
            exports = getattr(importlib.import_module(mod.path), "__all__", None)
        except Exception as error:  # noqa: BLE001 - reported as a docs build warning
            griffe.logger.warning(f"{mod.path}: cannot import it to read __all__: {error!r}")
            return
        if exports is None:
            return
        mod.exports = list(exports)
        for name in exports:
            _document_attribute(mod, name, getattr(importlib.import_module(mod.path), name, None))

    def on_object(self, *, obj, loader, **kwargs):
        if obj.docstring is None or not (obj.is_class or obj.is_function):
            return
        for name in _unknown_arguments(obj):
            griffe.logger.warning(
                f"{obj.relative_filepath}:{obj.docstring.lineno}: {obj.path}: documented "
                f"argument '{name}' is not in the signature"
            )
