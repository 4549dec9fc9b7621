"""References to secrets: ``env:NAME`` or ``file:PATH``, resolved only when used.

The inventory never holds a secret in clear text. A :class:`SecretRef` names where the
secret lives; :meth:`SecretRef.resolve` reads it into a :class:`pydantic.SecretStr` at run
time. The reference itself is not secret (it is shown by ``repr`` and ``model_dump``); the
value it points to never is, and no error message ever contains it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler, SecretStr
from pydantic_core import core_schema

from noc.errors import ConfigError

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

NOT_A_REF = "not a credential reference (use env:NAME or file:PATH)"


class SecretRef:
    """Where a secret lives: an environment variable or a file."""

    __slots__ = ("scheme", "target")

    scheme: Literal["env", "file"]
    target: str

    def __init__(self, text: str) -> None:
        scheme, sep, target = text.partition(":")
        if not sep or scheme not in ("env", "file"):
            raise ValueError(NOT_A_REF)
        if scheme == "env":
            if not _ENV_NAME.match(target):
                raise ValueError(
                    "an env: reference needs a variable name of letters, digits and '_', "
                    "like env:NOC_SNMP_COMMUNITY"
                )
            self.scheme = "env"
        else:
            if not target.strip():
                raise ValueError("a file: reference needs a path, like file:/etc/noc/snmp.key")
            self.scheme = "file"
        self.target = target

    def __str__(self) -> str:
        return f"{self.scheme}:{self.target}"

    def __repr__(self) -> str:
        return f"SecretRef({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretRef) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def resolve(self, base_dir: Path | None = None) -> SecretStr:
        """Read the secret now; a relative ``file:`` path is taken from ``base_dir`` (or cwd).

        Raises :class:`ConfigError` naming the reference (never the value) when the variable
        is unset or empty, or the file cannot be read or is empty.
        """
        if self.scheme == "env":
            value = os.environ.get(self.target)
            if value is None:
                raise ConfigError(
                    f"credential reference {self} is not set",
                    hint=f"export {self.target} before starting noc",
                )
        else:
            path = Path(self.target).expanduser()
            if base_dir is not None and not path.is_absolute():
                path = base_dir / path
            try:
                value = path.read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as err:
                reason = err.strerror or type(err).__name__
                raise ConfigError(
                    f"credential reference {self} cannot be read ({reason})",
                    hint="check the path and that the noc user may read it",
                ) from None
        if not value:
            raise ConfigError(f"credential reference {self} is empty", hint="put the secret in it")
        return SecretStr(value)

    @classmethod
    def _validate(cls, value: Any) -> SecretRef:
        if isinstance(value, SecretRef):
            return value
        if not isinstance(value, str):
            raise ValueError(NOT_A_REF)
        return cls(value.strip())

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            json_schema_input_schema=core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )
