"""The cookie that carries a person's language to the web pages (``noc.web.pages``)."""

from __future__ import annotations

from fastapi import Response

from noc.web.pages import LANG_COOKIE

ONE_YEAR_SECONDS = 365 * 86400


def set_language_cookie(response: Response, language: str) -> None:
    response.set_cookie(
        LANG_COOKIE, language, max_age=ONE_YEAR_SECONDS, samesite="strict", path="/"
    )
