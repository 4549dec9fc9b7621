"""The 404 page of the operator app: it names what was asked for and where to look instead."""

from __future__ import annotations

from fastapi.responses import Response

from noc.web.pages import PageContext


def not_found(page: PageContext, area: str, kind: str, ident: str, back: str) -> Response:
    """``kind`` is a message key (``inventory.kind.device``); ``back`` the list to go back to."""
    return page.render(
        "inventory/not_found.html", area, status_code=404, kind=kind, ident=ident, back=back
    )
