"""Summaries and descriptions: jinja2 templates rendered in a sandbox, in ``id`` and ``en``."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

LANGUAGES = ("id", "en")


@cache
def template_env() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        autoescape=False, undefined=StrictUndefined, keep_trailing_newline=False
    )


def render(template: str, context: dict[str, Any]) -> str:
    """The rendered text; a template that fails shows itself rather than raising."""
    try:
        return template_env().from_string(template).render(**context)
    except TemplateError as err:
        return f"{template} [template error: {err.message or type(err).__name__}]"
