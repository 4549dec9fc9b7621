"""The TLS context of the HTTP notifiers (webhook, Alertmanager, Telegram), built once.

httpx builds a context for every new client, and that loads the CA bundle: 25-150 ms of
blocking work on the event loop, paid by every notification (it showed in issue 6's bench as
most of the time between the feed event and the webhook). The context is built on first use
(a notifier's construction, at start-up), never at import.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx


@cache
def client_tls() -> ssl.SSLContext:
    """httpx's own default: the certifi CA bundle, or SSL_CERT_FILE / SSL_CERT_DIR if set."""
    return httpx.create_ssl_context()
