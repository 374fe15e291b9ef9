"""The YAML reader of the curated data: libyaml's event stream turned into plain values, in one linear pass.

PyYAML's composer and constructor are recursive and slow (a 30 MB file took minutes, 100,000 nested `[` ended in a
RecursionError); here libyaml (C) parses and a loop with an explicit stack builds the values, so time grows with the
file and depth never touches Python's stack. What curated data may hold is narrower than YAML: no aliases or
anchors (an alias bomb expands to gigabytes when walked), no tags but the standard scalar ones, at most
`MAX_DEPTH` levels of nesting and `MAX_BYTES` per file. Plain scalars are typed as PyYAML's safe loader types them
(null, booleans, numbers, dates); every mapping gets its line under the key `LINE`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, NodeEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent)

__all__ = ["LINE", "MAX_BYTES", "MAX_DEPTH", "YamlProblem", "load_yaml", "read_yaml_file"]

LINE = "__line__"
#: The largest curated file read (bytes); larger ones are refused before parsing (docs/data.md).
MAX_BYTES = 8 * 1024 * 1024
#: The deepest nesting of lists and mappings a curated file may use (records need 4).
MAX_DEPTH = 32

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed (it is in PyYAML's wheels)
#: What XML 1.0 (GraphML, RDF/XML) cannot carry, and C1 controls: never meant in curated text.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


class YamlProblem(ValueError):
    """The text is not YAML that curated data may hold; `line` is 1-based (or None)."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line


class _Scalars(yaml.SafeLoader):
    """PyYAML's own resolver and safe constructors, used one scalar at a time."""

    def __init__(self) -> None:
        super().__init__("")


def read_yaml_file(file: Path) -> Any:
    """The values of the YAML file FILE; YamlProblem (with the whole message) if it is too large, not UTF-8 text,
    or not YAML that curated data may hold."""
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise YamlProblem(None, f"larger than {MAX_BYTES >> 20} MiB ({size >> 20} MiB): split its records over more "
                          "files or source folders")
    data = file.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(data[:exc.start].count(b"\n") + 1, f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
                          f"offset {exc.start}): save the file as UTF-8") from None
    try:
        return load_yaml(text)
    except YamlProblem as exc:
        raise YamlProblem(exc.line, f"not valid YAML: {exc}") from None


def load_yaml(text: str) -> Any:
    """The values of the one YAML document in TEXT (None if it holds none)."""
    if len(text) > MAX_BYTES:
        raise YamlProblem(None, f"larger than {MAX_BYTES >> 20} MiB: split the records over files or folders")
    scalars = _Scalars()
    cache: dict[tuple[str | None, str, bool], Any] = {}
    stack: list[tuple[list | dict, list]] = []  # each open container, and for mappings the pending key ([] or [key])
    root: list[Any] = []
    try:
        for event in yaml.parse(text, Loader=_Parser):
            if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor is not None):
                raise YamlProblem(event.start_mark.line + 1, "aliases (*name) are not allowed in curated data, nor "
                                  "anchors (&name): write the values out")
            if isinstance(event, ScalarEvent):
                _add(stack, root, _scalar(scalars, cache, event), event)
            elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                if event.tag is not None and not event.implicit:
                    raise YamlProblem(event.start_mark.line + 1, f"tag {event.tag} is not allowed in curated data")
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(event.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
                stack.append(([], []) if isinstance(event, SequenceStartEvent)
                             else ({LINE: event.start_mark.line + 1}, []))
            elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                container, _ = stack.pop()
                _add(stack, root, container, event)
    except yaml.reader.ReaderError as exc:  # a raw control character
        raise YamlProblem(text.count("\n", 0, exc.position) + 1, f"the character U+{exc.character:04X} is not allowed: "
                          "remove it (text may hold printable characters, tabs and line breaks)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlProblem(mark.line + 1 if mark else None, str(getattr(exc, "problem", None) or exc)) from None
    except UnicodeEncodeError as exc:  # a lone surrogate
        raise YamlProblem(text.count("\n", 0, exc.start) + 1, "a character that is not Unicode text") from None
    if len(root) > 1:
        raise YamlProblem(None, "more than one YAML document (a line `---`): keep one per file")
    return root[0] if root else None


def _add(stack: list[tuple[list | dict, list]], root: list[Any], value: Any, event: yaml.Event) -> None:
    if not stack:
        root.append(value)
        return
    container, key = stack[-1]
    if isinstance(container, list):
        container.append(value)
    elif key:
        container[key.pop()] = value
    elif isinstance(value, (list, dict)):
        raise YamlProblem(event.start_mark.line + 1, "a list or mapping used as a key")
    else:
        key.append(value)


def _scalar(scalars: _Scalars, cache: dict[tuple[str | None, str, bool], Any], event: ScalarEvent) -> Any:
    plain = event.implicit[0]
    key = (event.tag, event.value, plain)
    if key in cache:
        return cache[key]
    if bad := _NOT_TEXT.search(event.value):
        raise YamlProblem(event.start_mark.line + 1, f"the text {event.value[:60]!r} holds the control character "
                          f"U+{ord(bad[0]):04X}: remove it (text may hold printable characters, tabs and line breaks)")
    tag = scalars.resolve(yaml.ScalarNode, event.value, event.implicit) if event.tag in (None, "!") else event.tag
    if tag not in _SCALAR_TAGS:
        raise YamlProblem(event.start_mark.line + 1, f"tag {tag} is not allowed in curated data")
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        value = scalars.yaml_constructors[tag](scalars, node)
    except (ValueError, yaml.YAMLError) as exc:  # e.g. a timestamp with a month 13
        raise YamlProblem(event.start_mark.line + 1, f"{event.value[:40]!r} is not a valid {tag.rsplit(':', 1)[1]} "
                          f"({exc}); quote it to keep it as text") from None
    if len(cache) < 100_000:
        cache[key] = value
    return value
