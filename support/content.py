"""Reading the content files (content/*.yaml): YAML that keeps line numbers, so that every problem in the FAQ,
the synonyms, the inflections or the canned replies is reported as FILE:LINE."""
from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import yaml


class ContentFileError(ValueError):
    """A content file that cannot be read or parsed; the message is `FILE:LINE: problem`."""


class LinedMap(dict):
    """A YAML mapping that remembers the line where it and each of its keys start (1-based)."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LinedList(list):
    """A YAML sequence that remembers the line of each item."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []

    def line_at(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    """SafeLoader whose collections carry line numbers and which reports duplicate keys (PyYAML keeps the last)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.found: list[tuple[int, str]] = []

    def construct_located_mapping(self, node):
        data = LinedMap(node.start_mark.line + 1)
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key, line = self.construct_object(key_node, deep=True), key_node.start_mark.line + 1
            if not isinstance(key, Hashable):
                self.found.append((line, "a mapping key must be a plain value"))
                continue
            if key in data:
                self.found.append((line, f"duplicate key {key!r} (first on line {data.key_lines[key]})"))
            data[key] = self.construct_object(value_node, deep=True)
            data.key_lines.setdefault(key, line)

    def construct_located_sequence(self, node):
        data = LinedList(node.start_mark.line + 1)
        yield data
        data.extend(self.construct_object(item, deep=True) for item in node.value)
        data.item_lines = [item.start_mark.line + 1 for item in node.value]


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_located_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_located_sequence)


def parse(text: str) -> tuple[object, list[tuple[int | None, str]]]:
    """Safe-load text into LinedMap/LinedList and plain scalars; return it with (line, problem) pairs, never raise."""
    try:
        loader = _Loader(text)   # the reader checks the characters here already
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [(line, f"invalid YAML: character U+{exc.character:04X} is not allowed")]
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = "; ".join(p for p in (exc.context, exc.problem) if p)
        if "\\t" in problem:
            problem += " (a tab: indent with spaces)"
        return None, [(mark.line + 1 if mark else None, f"invalid YAML: {problem}")]
    finally:
        loader.dispose()
    return data, loader.found


def read(path: str | Path) -> object | None:
    """A content file's data (LinedMap/LinedList and scalars); None when there is no such file.

    Raises ContentFileError at the first problem (unreadable file, invalid YAML, a duplicate key). The FAQ's
    loader (faq/catalog.py) uses parse() instead, to report every problem of the file at once.
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentFileError(f"{path}: cannot read the file: {exc}") from None
    data, problems = parse(text)
    if problems:
        line, problem = problems[0]
        raise ContentFileError(f"{path}:{line}: {problem}" if line else f"{path}: {problem}")
    return data


def where(path: str | Path, data: object, index: int | None = None) -> str:
    """`FILE:LINE` of a mapping, or of a list's item `index`, for a content checker's own messages."""
    if isinstance(data, LinedList) and index is not None:
        return f"{path}:{data.line_at(index)}"
    return f"{path}:{getattr(data, 'line', '?')}"
