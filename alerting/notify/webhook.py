"""Webhook: the group as JSON, signed with HMAC-SHA256 so the receiver can trust it.

Headers: ``X-NOC-Timestamp`` (Unix seconds) and ``X-NOC-Signature: sha256=<hex>`` where the hex
is ``HMAC-SHA256(secret, timestamp + "." + body)``; :func:`verify_signature` checks one.
"""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from alerting.notify.base import ChannelType, NotificationGroup, Outcome, Secret, http_outcome
from alerting.notify.tls import client_tls


class WebhookConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    url: str = Field(pattern=r"^https?://")
    secret: Secret = Field(description="shared HMAC key; at least 16 characters")
    timeout_seconds: float = Field(10.0, gt=0, le=120)

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, v: SecretStr) -> SecretStr:
        if len(v.get_secret_value()) < 16:
            raise ValueError("the webhook secret needs at least 16 characters")
        return v


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), header)


class WebhookNotifier:
    def __init__(self, name: str, config: WebhookConfig) -> None:
        self.name = name
        self._config = config
        self._tls = client_tls()  # built once, not per notification

    async def notify(self, group: NotificationGroup) -> Outcome:
        body = group.model_dump_json().encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-NOC-Timestamp": timestamp,
            "X-NOC-Signature": sign(self._config.secret.get_secret_value(), timestamp, body),
        }
        try:
            async with httpx.AsyncClient(
                timeout=self._config.timeout_seconds, verify=self._tls
            ) as client:
                response = await client.post(self._config.url, content=body, headers=headers)
        except httpx.TimeoutException:
            return Outcome.retry("timed out")
        except httpx.TransportError as err:
            return Outcome.retry(f"could not connect ({type(err).__name__})")
        return http_outcome(response.status_code)


CHANNEL = ChannelType("webhook", WebhookConfig, WebhookNotifier)
