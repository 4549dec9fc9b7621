"""Validate a YAML text against a pydantic model, with file:line problems (no input echoed)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from noc.inventory.paths import data_path, key_text
from noc.inventory.problems import Problem
from noc.inventory.yamlsource import YamlSource, read_yaml

M = TypeVar("M", bound=BaseModel)
_PREFIXES = ("Value error, ", "Assertion failed, ")


def validate_yaml(
    text: str, file: str, model: type[M]
) -> tuple[M | None, YamlSource, list[Problem]]:
    src = read_yaml(text)
    problems = [Problem(file, line, key_text(src.data, p), msg) for line, p, msg in src.problems]
    if src.data is None:
        if not src.problems:
            problems.append(Problem(file, 1, "", "the file is empty"))
        return None, src, problems
    try:
        parsed = model.model_validate(src.data)
    except ValidationError as err:
        for e in err.errors(include_url=False, include_input=False):
            path = data_path(src.data, e["loc"], missing=e["type"] == "missing")
            problems.append(Problem(file, src.line(path), key_text(src.data, path), describe(e)))
        return None, src, sorted(problems, key=lambda p: p.line)
    return (None if problems else parsed), src, problems


def describe(err: ErrorDetails) -> str:
    loc = err["loc"]
    last = str(loc[-1]) if loc else ""
    if err["type"] == "extra_forbidden":
        return f"unknown key {last!r}"
    if err["type"] == "missing":
        return f"required key {last!r} is missing"
    msg: Any = err["msg"]
    for prefix in _PREFIXES:
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return str(msg)
