"""Named credential sets: how collectors log in to devices (SNMP v1/v2c/v3 and SSH).

Every secret is a :class:`~noc.model.secrets.SecretRef`; the values are read at run time.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from noc.model.base import InventoryModel
from noc.model.secrets import SecretRef


class AuthProtocol(StrEnum):
    """SNMPv3 authentication protocols."""

    md5 = "MD5"
    sha = "SHA"
    sha224 = "SHA-224"
    sha256 = "SHA-256"
    sha384 = "SHA-384"
    sha512 = "SHA-512"


class PrivProtocol(StrEnum):
    """SNMPv3 privacy (encryption) protocols."""

    des = "DES"
    aes = "AES"
    aes192 = "AES-192"
    aes256 = "AES-256"


class SnmpV1Credentials(InventoryModel):
    type: Literal["snmp_v1"]
    community: SecretRef


class SnmpV2cCredentials(InventoryModel):
    type: Literal["snmp_v2c"]
    community: SecretRef


class SnmpV3Credentials(InventoryModel):
    """SNMPv3 user; the security level follows from which keys are given."""

    type: Literal["snmp_v3"]
    user: str = Field(min_length=1)
    auth_protocol: AuthProtocol | None = None
    auth_key: SecretRef | None = None
    priv_protocol: PrivProtocol | None = None
    priv_key: SecretRef | None = None
    context: str = ""

    @model_validator(mode="after")
    def _pairs(self) -> SnmpV3Credentials:
        if (self.auth_protocol is None) != (self.auth_key is None):
            raise ValueError("auth_protocol and auth_key go together: give both or neither")
        if (self.priv_protocol is None) != (self.priv_key is None):
            raise ValueError("priv_protocol and priv_key go together: give both or neither")
        if self.priv_key is not None and self.auth_key is None:
            raise ValueError("SNMPv3 privacy needs authentication too: add auth_protocol/auth_key")
        return self

    @property
    def security_level(self) -> Literal["noAuthNoPriv", "authNoPriv", "authPriv"]:
        if self.priv_key is not None:
            return "authPriv"
        if self.auth_key is not None:
            return "authNoPriv"
        return "noAuthNoPriv"


class SshCredentials(InventoryModel):
    """SSH login: a user name with a password and/or a private key."""

    type: Literal["ssh"]
    username: str = Field(min_length=1)
    password: SecretRef | None = None
    key_file: SecretRef | None = None
    key_passphrase: SecretRef | None = None

    @model_validator(mode="after")
    def _some_secret(self) -> SshCredentials:
        if self.password is None and self.key_file is None:
            raise ValueError("SSH credentials need a password, a key_file, or both")
        return self


SnmpCredentials = SnmpV1Credentials | SnmpV2cCredentials | SnmpV3Credentials

CredentialSet = Annotated[
    SnmpV1Credentials | SnmpV2cCredentials | SnmpV3Credentials | SshCredentials,
    Field(discriminator="type"),
]
"""One named credential set; ``type`` is ``snmp_v1``, ``snmp_v2c``, ``snmp_v3`` or ``ssh``."""
