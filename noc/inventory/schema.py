"""Check the data against the pydantic model and say what is wrong in plain words."""

from __future__ import annotations

import difflib
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from noc.inventory.paths import data_path
from noc.inventory.problems import Path
from noc.model.inventory import Inventory

_PREFIXES = ("Value error, ", "Assertion failed, ")


def validate(data: Any) -> tuple[Inventory | None, list[ErrorDetails]]:
    """The model, or None and pydantic's errors (whose inputs must never be shown)."""
    try:
        return Inventory.model_validate(data), []
    except ValidationError as err:
        return None, err.errors(include_url=False, include_input=False)


def schema_problems(data: Any, errors: list[ErrorDetails]) -> list[tuple[Path, str]]:
    """One (path, message) per pydantic error, located on the data, without duplicates."""
    out: list[tuple[Path, str]] = []
    for err in errors:
        loc = err["loc"]
        tagged = err["type"] in ("union_tag_not_found", "union_tag_invalid")
        if tagged:
            loc = (*loc, _discriminator(err))
        absent_field = tagged or (bool(loc) and str(loc[-1]) in known_keys(loc[:-1]))
        path = data_path(data, loc, missing=err["type"] == "missing" or absent_field)
        item = (path, describe(err))
        if item not in out:
            out.append(item)
    return out


def describe(err: ErrorDetails) -> str:
    """One sentence for one pydantic error; never the input value."""
    loc = err["loc"]
    last = loc[-1] if loc else ""
    if err["type"] == "extra_forbidden":
        known = known_keys(loc[:-1])
        close = difflib.get_close_matches(str(last), sorted(known), n=1) if known else []
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown key {str(last)!r}{hint}"
    if err["type"] == "missing":
        return f"required key {str(last)!r} is missing"
    if err["type"] == "union_tag_not_found":
        tags = ", ".join(repr(t) for t in union_tags(loc))
        hint = f"; use one of {tags}" if tags else ""
        return f"required key {_discriminator(err)!r} is missing{hint}"
    if err["type"] == "union_tag_invalid":
        tag = str(err.get("ctx", {}).get("tag", ""))
        return f"{_discriminator(err)} {tag!r} is unknown{_expected(err)}"
    if err["type"] in ("dict_type", "model_type", "model_attributes_type"):
        return "expected a mapping of keys to values here"
    if err["type"] == "list_type":
        return "expected a list here"
    msg = err["msg"]
    for prefix in _PREFIXES:
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return msg


def _discriminator(err: ErrorDetails) -> str:
    return str(err.get("ctx", {}).get("discriminator", "type")).strip("'\"")


def _expected(err: ErrorDetails) -> str:
    tags = err.get("ctx", {}).get("expected_tags")
    return f"; use one of {tags}" if tags else ""


def union_tags(loc: tuple[int | str, ...]) -> list[str]:
    """The ``type`` values a tagged union at ``loc`` accepts."""
    tp: Any = Inventory
    for seg in loc:
        tp = _step(_unwrap(tp), seg)
        if tp is None:
            return []
    tags: list[str] = []
    for member in get_args(_unwrap(tp)):
        field = getattr(member, "model_fields", {}).get("type")
        tags += [str(t) for t in get_args(getattr(field, "annotation", None))]
    return tags


def known_keys(loc: tuple[int | str, ...]) -> set[str]:
    """The keys the model accepts at ``loc`` (empty when it cannot tell)."""
    tp: Any = Inventory
    for seg in loc:
        tp = _step(_unwrap(tp), seg)
        if tp is None:
            return set()
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {f.alias or name for name, f in tp.model_fields.items()}
    return set()


def _unwrap(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _step(tp: Any, seg: int | str) -> Any:
    origin = get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, f in tp.model_fields.items():
            if seg in (name, f.alias):
                return f.annotation
        return None
    if origin is list and isinstance(seg, int):
        return get_args(tp)[0]
    if origin is dict and isinstance(seg, str):
        return get_args(tp)[1]
    if origin in (Union, types.UnionType):  # a tagged union: seg is the tag
        for member in get_args(tp):
            field = getattr(member, "model_fields", {}).get("type")
            tag = getattr(field, "annotation", None)
            if get_origin(tag) is Literal and seg in get_args(tag):
                return member
    return None
