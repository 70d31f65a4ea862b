"""Read YAML and remember the line of every key, so errors can name it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ceasefire.errors import CeasefireError

KeyPath = tuple[str | int, ...]


class YamlDocument:
    """Parsed YAML plus the line number (1-based) of each key path."""

    def __init__(self, data: Any, lines: dict[KeyPath, int], path: Path) -> None:
        self.data = data
        self.lines = lines
        self.path = path

    def line_of(self, key_path: KeyPath) -> int | None:
        """The line of the deepest known prefix of key_path."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return line
        return None


def _build(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int]) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = yaml.SafeLoader("").construct_object(key_node)  # scalar keys only
            child = (*path, str(key))
            lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines) for i, item in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    return loader.construct_object(node, deep=True)


def read_yaml(path: Path) -> YamlDocument:
    """Parse a YAML file; a syntax error names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CeasefireError(f"{path}: cannot read the file ({exc.strerror})") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CeasefireError(f"{path}{where}: not valid YAML ({problem})") from exc
    if node is None:
        raise CeasefireError(f"{path}: the file is empty; expected a YAML mapping")
    lines: dict[KeyPath, int] = {}
    data = _build(node, (), lines)
    return YamlDocument(data, lines, path)
