"""Process settings from NOC_* environment variables (and an optional .env file).

Nothing reads the environment at import: call ``Settings()`` (or ``load_settings``) in the
composition root and pass the object down.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from noc.errors import ConfigError


class MetricBackend(StrEnum):
    sqlite = "sqlite"
    influxdb = "influxdb"


class LogFormat(StrEnum):
    json = "json"
    text = "text"


class Settings(BaseSettings):
    """Everything the process needs that is not in inventory.yaml."""

    model_config = SettingsConfigDict(
        env_prefix="NOC_", extra="forbid", env_file=None, validate_default=True
    )

    inventory: Path = Field(Path("inventory.yaml"), description="the inventory file to monitor")
    data_dir: Path = Field(Path("var"), description="where the embedded stores keep their files")
    listen_host: str = "127.0.0.1"
    listen_port: int = Field(8080, ge=1, le=65535)

    metric_backend: MetricBackend = MetricBackend.sqlite
    raw_retention_days: int = Field(14, ge=1)
    rollup_5m_retention_days: int = Field(90, ge=1)
    rollup_1h_retention_days: int = Field(800, ge=1)
    influx_url: str = "http://127.0.0.1:8086"
    influx_org: str = "noc"
    influx_bucket: str = "noc"
    influx_token: SecretStr | None = None
    influx_spool_max_bytes: int = Field(512 * 1024 * 1024, ge=1024 * 1024)
    influx_query_url: str | None = Field(
        None, description="a Prometheus-compatible read API (VictoriaMetrics); unset: write-only"
    )

    log_level: str = "INFO"
    log_format: LogFormat = LogFormat.text

    admin_user: str = "admin"
    admin_password: SecretStr | None = Field(
        None, description="first admin's password; generated and printed once when unset"
    )

    session_hours: int = Field(12, ge=1, le=24 * 30, description="how long a login lasts")
    cookie_secure: bool = Field(
        False, description="send the session cookie over HTTPS only (set behind TLS)"
    )

    alerting_config: Path | None = Field(
        None,
        description="alerting.yaml: notifiers, grouping, escalation (see alerting.example.yaml)",
    )

    trap_host: str = Field("127.0.0.1", description="where the SNMP trap receiver listens")
    trap_port: int = Field(11162, ge=0, le=65535, description="UDP port for traps (0: off)")
    trap_v3_engine_ids: dict[str, str] = Field(
        default_factory=dict,
        description="device id -> the SNMPv3 engine ID (hex) its traps are sent with",
    )

    reachability_collectors: list[str] = Field(
        default_factory=lambda: ["icmp"],
        description="collectors whose answer decides up/down (JSON list, e.g. "
        '["icmp","snmp"]); a device is up when any of them reached it',
    )

    report_recipients: list[str] = Field(
        default_factory=list,
        description="who gets the monthly SLA report on the 1st (JSON list of addresses); "
        "empty: no mail",
    )
    report_hour: int = Field(7, ge=0, le=23, description="the hour it is sent, local time")
    report_timezone: str | None = Field(None, description="unset: the inventory's time zone")
    report_language: Literal["id", "en"] | None = Field(None, description="unset: the locale")
    smtp_host: str | None = Field(None, description="the mail server for the monthly report")
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_starttls: bool = True
    smtp_username: str | None = None
    smtp_password_ref: str | None = Field(
        None, description="env:NAME or file:PATH holding the SMTP password (never the password)"
    )
    smtp_from: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+$")
    smtp_ca_file: Path | None = Field(None, description="trust this CA instead of the system's")

    poll_jitter_ratio: float = Field(0.1, ge=0.0, le=0.5)
    max_concurrent_polls: int = Field(64, ge=1, le=10_000)
    retention_interval_seconds: int = Field(3600, ge=60)
    sla_refresh_seconds: int = Field(300, ge=10, description="month-to-date SLA on /metrics")

    @field_validator("log_level")
    @classmethod
    def _level(cls, v: str) -> str:
        v = v.upper()
        if v not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return v

    @model_validator(mode="after")
    def _report_mail(self) -> Settings:
        if self.report_recipients and (self.smtp_host is None or self.smtp_from is None):
            raise ValueError("NOC_REPORT_RECIPIENTS needs NOC_SMTP_HOST and NOC_SMTP_FROM")
        if (self.smtp_username is None) != (self.smtp_password_ref is None):
            raise ValueError("set both NOC_SMTP_USERNAME and NOC_SMTP_PASSWORD_REF, or neither")
        return self

    @property
    def events_path(self) -> Path:
        return self.data_dir / "events.sqlite"

    @property
    def metrics_path(self) -> Path:
        return self.data_dir / "metrics.sqlite"

    @property
    def spool_path(self) -> Path:
        return self.data_dir / "influx-spool"

    def redacted(self) -> dict[str, Any]:
        """A dump safe to print or log: secrets show as '**********'."""
        return self.model_dump(mode="json")


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment; one clear ConfigError naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as err:
        first = err.errors(include_input=False)[0]
        key = ".".join(str(p) for p in first["loc"])
        if key:
            what = f"setting NOC_{key.upper()} is invalid"
        else:  # a cross-field check
            what = "the settings do not fit together"
        raise ConfigError(
            f"{what}: {first['msg'].removeprefix('Value error, ')}",
            hint=f"{err.error_count()} problem(s); check the NOC_* environment variables",
        ) from None
