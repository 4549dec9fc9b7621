"""SSH device profiles: which commands to run on a platform and how to read each answer.

A profile is data (``collectors/ssh/profiles/<platform>.yaml``): the netmiko device type, the
napalm driver and getters if one exists, what a rejected command looks like, and per command
its kind, its parser (an ntc-templates TextFSM template, or ``lines`` rules written in the
profile) and how the parser's fields map onto the typed result. The collector only interprets.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from collectors.ssh.models import Kind
from noc.errors import ConfigError

Getter = Literal[
    "get_facts", "get_interfaces", "get_lldp_neighbors_detail", "get_environment", "get_optics"
]

DEFAULT_OK_STATES = ("ok", "good", "green", "normal", "present", "up", "on", "active")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as err:
        raise ValueError(f"not a valid regular expression ({err})") from None
    return value


class LineRule(_Strict):
    """One line pattern of a ``lines`` parser: named groups become fields of a record.

    ``new: true`` starts a new record (a block header or a table row); otherwise the groups
    update the record being built; ``inherit`` copies fields of the previous record into a new
    one (a lane of a port). ``set`` adds constant fields, formatted with the groups.
    """

    match: str
    new: bool = False
    inherit: list[str] = Field(default_factory=list)  # fields a new record copies (interface)
    set: dict[str, str] = Field(default_factory=dict)

    _check = field_validator("match")(_regex)


class CommandSpec(_Strict):
    command: str = Field(min_length=1)
    kind: Kind
    parser: Literal["textfsm", "lines"] = "textfsm"
    template: str | None = None  # ntc-templates file name; default <platform>_<command>.textfsm
    fields: dict[str, str] = Field(default_factory=dict)  # typed field (a.b) <- record key
    rules: list[LineRule] = Field(default_factory=list)
    set: dict[str, str] = Field(default_factory=dict)  # constant typed fields (protocol: cdp)
    ok_states: list[str] = Field(default_factory=lambda: list(DEFAULT_OK_STATES))


class SshProfile(_Strict):
    """How to read one platform over SSH."""

    name: str = Field(min_length=1)
    platform: str = Field(min_length=1)
    vendor: str = ""
    netmiko_device_type: str = Field(min_length=1)
    enable: bool = False  # enter privileged mode before running commands
    napalm_driver: str | None = None  # a netmiko-based napalm driver: ios, nxos_ssh, ...
    napalm_getters: list[Getter] = Field(default_factory=list)
    rejected_patterns: list[str] = Field(default_factory=list)
    commands: list[CommandSpec] = Field(default_factory=list)

    _check = field_validator("rejected_patterns")(lambda v: [_regex(p) for p in v])

    def command(self, text: str) -> CommandSpec | None:
        """The spec whose command is ``text`` (whitespace and case insensitive)."""
        wanted = " ".join(text.lower().split())
        return next(
            (c for c in self.commands if " ".join(c.command.lower().split()) == wanted), None
        )

    def rejected(self, output: str) -> str | None:
        """The line of ``output`` that says the device refused the command, or None."""
        for pattern in self.rejected_patterns:
            if m := re.search(pattern, output, re.MULTILINE):
                line_start = output.rfind("\n", 0, m.start()) + 1
                line_end = output.find("\n", m.end())
                return output[line_start : line_end if line_end >= 0 else None].strip()
        return None


def _load_file(text: str, where: str) -> SshProfile:
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError(f"{where}: not valid YAML ({err})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: an SSH profile is a mapping with platform and commands")
    try:
        return SshProfile.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "profile"
        raise ConfigError(
            f"{where}: {key}: {first['msg']}", hint=f"{err.error_count()} problem(s) in the profile"
        ) from None


def load_profiles(extra_dir: Path | None = None) -> dict[str, SshProfile]:
    """The built-in profiles, then any ``*.yaml`` in ``extra_dir`` (same name replaces)."""
    profiles: dict[str, SshProfile] = {}
    builtin = resources.files("collectors.ssh") / "profiles"
    for entry in sorted(builtin.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            profile = _load_file(entry.read_text(encoding="utf-8"), f"profiles/{entry.name}")
            profiles[profile.name] = profile
    if extra_dir is not None:
        for path in sorted(extra_dir.glob("*.yaml")):
            profile = _load_file(path.read_text(encoding="utf-8"), str(path))
            profiles[profile.name] = profile
    return profiles


def profile_for(
    profiles: dict[str, SshProfile], platform: str | None, name: str | None
) -> SshProfile:
    """The profile called ``name`` if given and known, else the one for ``platform``."""
    if name and name in profiles:
        return profiles[name]
    for profile in profiles.values():
        if profile.platform == platform and profile.name == platform:
            return profile
    for profile in profiles.values():
        if profile.platform == platform:
            return profile
    known = ", ".join(sorted({p.platform for p in profiles.values()}))
    raise ConfigError(
        f"no SSH profile for platform {platform or '(none)'}",
        hint=f"set the device's platform to one of: {known}",
    )
