"""Load and check an inventory file: every problem at once, each with file, line and key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path as FsPath
from typing import Any

from noc.errors import ConfigError
from noc.inventory.conformance import check_conformance
from noc.inventory.cycles import check_cycles
from noc.inventory.partial import LISTS, Ghosts, Partial, salvage, whole
from noc.inventory.paths import key_text
from noc.inventory.powerchain import check_power_chain
from noc.inventory.problems import CheckReport, Finding, InventoryError, Path, Problem
from noc.inventory.references import check_references
from noc.inventory.rings import check_rings
from noc.inventory.schema import schema_problems, validate
from noc.inventory.summary import summarize
from noc.inventory.yamlsource import read_yaml
from noc.model.inventory import Inventory

EXTENSION_PREFIX = "x-"

Check = Callable[[Inventory, Ghosts], list[Finding]]

CHECKS: tuple[Check, ...] = (
    check_references,
    lambda inv, _ghosts: check_cycles(inv),
    check_rings,
    check_power_chain,
    check_conformance,
)


def check_text(text: str, file: str = "<text>") -> CheckReport:
    """Check inventory YAML given as text; ``file`` is the name shown in problems."""
    src = read_yaml(text)
    report = CheckReport(file=file, summary=summarize(src.data))
    problems = report.problems

    def add(path: Path, message: str, finding: Finding | None = None) -> None:
        line = src.line(path)
        key = key_text(src.data, path)
        if finding is None:
            problems.append(Problem(file, line, key, message))
        else:
            problems.append(Problem(file, line, key, finding.message, finding.severity))

    for line, path, message in src.problems:
        problems.append(Problem(file, line, key_text(src.data, path), message))
    if src.data is None:
        if not src.problems:
            problems.append(
                Problem(file, 1, "", "the file is empty; an inventory starts with version: 1")
            )
        return report

    data = _without_extensions(src.data)
    inventory, errors = validate(data)
    yaml_paths = {path for _, path, _ in src.problems}
    for path, message in schema_problems(data, errors):
        if path not in yaml_paths:  # already reported, from the YAML side
            add(path, message)
    partial = whole(inventory) if inventory is not None else salvage(data, errors)
    if partial is not None:
        for check in CHECKS:
            for finding in check(partial.inventory, partial.ghosts):
                add(_file_path(partial, finding.path), finding.message, finding)
    report.inventory = inventory
    problems.sort(key=lambda p: p.line)
    return report


def _without_extensions(data: Any) -> Any:
    """Drop top-level ``x-...`` keys: a place for YAML anchors, as in docker-compose."""
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not str(k).startswith(EXTENSION_PREFIX)}
    return data


def _file_path(partial: Partial, path: Path) -> Path:
    """Turn model indices (after invalid items were dropped) back into file indices."""
    if len(path) >= 2 and path[0] in LISTS and isinstance(path[1], int):
        return (path[0], partial.file_index(str(path[0]), path[1]), *path[2:])
    if len(path) >= 3 and path[0] == "power" and isinstance(path[2], int):
        section = f"power.{path[1]}"
        return (path[0], path[1], partial.file_index(section, path[2]), *path[3:])
    return path


def read_text(path: str | FsPath) -> str:
    """The file's text, or a ConfigError that says why it cannot be read."""
    try:
        return FsPath(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text", hint="save it as UTF-8") from None
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise ConfigError(f"cannot read {path}: {reason}", hint="check the path") from None


def check_inventory(path: str | FsPath) -> CheckReport:
    """Check an inventory file; raises ConfigError only when it cannot be read at all."""
    return check_text(read_text(path), str(path))


def parse_inventory(text: str, file: str = "<text>") -> Inventory:
    """The Inventory in ``text``; InventoryError (with every problem) when it has errors."""
    return _inventory_of(check_text(text, file))


def load_inventory(path: str | FsPath) -> Inventory:
    """The Inventory in a file; InventoryError (with every problem) when it has errors.

    Warnings (design conformance) do not stop loading; ``noc check`` shows them.
    """
    return _inventory_of(check_inventory(path))


def _inventory_of(report: CheckReport) -> Inventory:
    if report.errors or report.inventory is None:
        raise InventoryError(report.file, report.problems)
    return report.inventory
