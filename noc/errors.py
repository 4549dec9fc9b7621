"""One tree of errors. A user sees one clear sentence and what to do, never a secret."""

from __future__ import annotations


class NocError(Exception):
    """Base of every error the platform raises on purpose.

    ``str(err)`` is the one sentence shown to a user; ``hint`` says what to do about it.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class ConfigError(NocError):
    """A configuration file or setting is wrong (inventory.yaml, rules, settings)."""


class CollectError(NocError):
    """A device could not be read (timeout, refused, bad answer, wrong credentials)."""


class StoreError(NocError):
    """The metric store or the event store could not do what was asked."""


class AuthError(NocError):
    """A login, token or role check failed."""
