"""Inventory credentials to resolved SNMP auth, every secret registered for redaction."""

from __future__ import annotations

from pathlib import Path

from collectors.snmp.client import SnmpAuth
from noc.logs import redact
from noc.model import SnmpCredentials, SnmpV1Credentials, SnmpV2cCredentials


def auth_from(cred: SnmpCredentials, base_dir: Path | None = None) -> SnmpAuth:
    """Resolve the references now; raises ConfigError naming the reference, never the value."""
    if isinstance(cred, SnmpV1Credentials | SnmpV2cCredentials):
        community = cred.community.resolve(base_dir).get_secret_value()
        redact(community)
        return SnmpAuth("v1" if isinstance(cred, SnmpV1Credentials) else "v2c", community)
    auth_key = cred.auth_key.resolve(base_dir).get_secret_value() if cred.auth_key else ""
    priv_key = cred.priv_key.resolve(base_dir).get_secret_value() if cred.priv_key else ""
    for s in (auth_key, priv_key):
        redact(s)
    return SnmpAuth(
        "v3",
        user=cred.user,
        auth_protocol=cred.auth_protocol,
        auth_key=auth_key,
        priv_protocol=cred.priv_protocol,
        priv_key=priv_key,
        context=cred.context,
    )
