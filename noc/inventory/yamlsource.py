"""Read YAML keeping the line of every key and item, and catching duplicate keys.

PyYAML's loaders forget where values came from and silently keep the last of two equal
keys. Here the document is composed into nodes and built by hand, so every path
(``("devices", 3, "role")``) has a line and a repeated key is a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from noc.inventory.problems import Path

_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


@dataclass
class YamlSource:
    """The plain data of a YAML document, the line of every path, and what went wrong."""

    data: Any = None
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[tuple[int, Path, str]] = field(default_factory=list)  # (line, path, message)

    def line(self, path: Path) -> int:
        """The line of ``path``, or of its nearest ancestor that exists (1 at worst)."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return 1


def read_yaml(text: str) -> YamlSource:
    """Parse ``text``; a syntax error becomes a problem with its line, not an exception."""
    source = YamlSource()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = err.problem or "cannot parse this"
        if err.context:
            at = f" at line {err.context_mark.line + 1}" if err.context_mark else ""
            what += f" ({err.context}{at})"
        source.problems.append((line, (), f"YAML syntax error: {what}"))
        return source
    except yaml.YAMLError as err:  # pragma: no cover - every PyYAML parse error is marked
        source.problems.append((1, (), f"YAML error: {type(err).__name__}"))
        return source
    if node is not None:
        source.lines[()] = _line(node)
        builder = _Builder(source)
        source.data = builder.build(node, (), frozenset())
    return source


class _Builder:
    def __init__(self, source: YamlSource) -> None:
        self.source = source
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path, stack: frozenset[int]) -> Any:
        if id(node) in stack:
            self.source.problems.append((_line(node), path, "a YAML alias refers to itself"))
            return None
        stack = stack | {id(node)}
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, stack)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                self.source.lines[(*path, i)] = _line(item)
                items.append(self.build(item, (*path, i), stack))
            return items
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        # YAML 1.1 reads 8:30 as the base-60 number 510; keep such values as text.
        if node.tag in (_INT, _FLOAT) and ":" in str(node.value):
            return str(node.value)
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            # The message would quote the line (a secret, maybe); say only what is wrong.
            tag = node.tag if node.tag.startswith("!") and len(node.tag) <= 40 else "this"
            message = f"unknown YAML tag {tag!r}; write plain values"
            self.source.problems.append((_line(node), path, message))
            return None
        except ValueError:  # e.g. 2024-13-45 looks like a date but is none
            return str(node.value)

    def _mapping(self, node: yaml.MappingNode, path: Path, stack: frozenset[int]) -> Any:
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.update(self._merge(value_node, path, stack))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.source.problems.append((_line(key_node), path, "a key must be plain text"))
                continue
            key = str(key_node.value)
            line = _line(key_node)
            if key in first_line:
                self.source.problems.append(
                    (
                        line,
                        (*path, key),
                        f"duplicate key {key!r} (first at line {first_line[key]}); "
                        "YAML would silently keep only the last one",
                    )
                )
            first_line.setdefault(key, line)
            self.source.lines[(*path, key)] = line
            out[key] = self.build(value_node, (*path, key), stack)
        return {**merged, **out}

    def _merge(self, node: yaml.Node, path: Path, stack: frozenset[int]) -> dict[str, Any]:
        parts = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for part in reversed(parts):  # earlier mappings win, as YAML merge keys say
            value = self.build(part, path, stack)
            if isinstance(value, dict):
                merged.update(value)
            else:
                self.source.problems.append((_line(part), path, "a << merge needs a mapping"))
        return merged


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1
