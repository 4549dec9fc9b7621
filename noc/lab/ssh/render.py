"""A lab device's state -> the text its CLI prints, in the platform's real format.

Formats are data: ``platforms/<platform>.yaml`` holds the prompt, the replies to session
set-up commands, the "invalid input" message and a jinja2 template per command, rendered
from a :class:`~noc.lab.view.LabDevice` at the moment of reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Any

import jinja2
import yaml
from pydantic import BaseModel, ConfigDict, Field

from noc.lab.view import LabComponent, LabDevice, LabInterface


class PlatformCli(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt: str  # jinja2, e.g. "{{ hostname }}#"
    invalid: str  # what an unknown command prints
    replies: dict[str, str] = Field(default_factory=dict)  # set-up commands -> fixed reply
    commands: dict[str, str] = Field(default_factory=dict)  # command -> jinja2 template


def load_platforms() -> dict[str, PlatformCli]:
    out: dict[str, PlatformCli] = {}
    for entry in (resources.files("noc.lab.ssh") / "platforms").iterdir():
        if entry.name.endswith(".yaml"):
            data = yaml.safe_load(entry.read_text(encoding="utf-8"))
            out[entry.name.removesuffix(".yaml")] = PlatformCli.model_validate(data)
    return out


def uptime_words(seconds: float) -> str:
    """``2 years, 31 weeks, 6 days, 9 hours, 55 minutes`` (Cisco IOS style)."""
    left = int(seconds) // 60
    parts = []
    for unit, size in (("year", 525600), ("week", 10080), ("day", 1440), ("hour", 60)):
        n, left = divmod(left, size)
        if n:
            parts.append(f"{n} {unit}{'s' if n != 1 else ''}")
    parts.append(f"{left} minute{'s' if left != 1 else ''}")
    return ", ".join(parts)


def dbm_to_mw(dbm: float) -> float:
    return float(10 ** (dbm / 10.0))


@dataclass(frozen=True)
class Snapshot:
    """What the templates see: the device read once, plus handy derived lists."""

    hostname: str
    model: str
    serial: str
    os_version: str
    vendor: str
    uptime_seconds: float
    interfaces: list[LabInterface]
    components: list[LabComponent]

    @classmethod
    def of(cls, device: LabDevice) -> Snapshot:
        return cls(
            hostname=device.hostname,
            model=device.model,
            serial=device.serial,
            os_version=device.os_version,
            vendor=device.vendor,
            uptime_seconds=device.uptime_seconds(),
            interfaces=list(device.interfaces()),
            components=list(device.components()),
        )

    @cached_property
    def optics(self) -> list[LabInterface]:
        return [i for i in self.interfaces if i.rx_power_dbm is not None]

    @cached_property
    def neighbors(self) -> list[LabInterface]:
        return [i for i in self.interfaces if i.neighbor_system and i.oper_up]

    def parts(self, kind: str) -> list[LabComponent]:
        return [c for c in self.components if c.kind == kind]

    def context(self) -> dict[str, Any]:
        return {
            "d": self,
            "hostname": self.hostname,
            "uptime": uptime_words(self.uptime_seconds),
            "psus": self.parts("psu"),
            "fans": self.parts("fan"),
            "temperatures": self.parts("temperature"),
            "mw": dbm_to_mw,
        }


class Renderer:
    """Renders prompts and command outputs for every platform; templates compiled once."""

    def __init__(self, platforms: dict[str, PlatformCli] | None = None) -> None:
        self.platforms = platforms if platforms is not None else load_platforms()
        self._env = jinja2.Environment(  # noqa: S701 - plain text for a terminal, not HTML
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
        )
        self._cache: dict[str, jinja2.Template] = {}

    def _template(self, text: str) -> jinja2.Template:
        tpl = self._cache.get(text)
        if tpl is None:
            tpl = self._cache[text] = self._env.from_string(text)
        return tpl

    def cli(self, platform: str | None) -> PlatformCli:
        if platform is None or platform not in self.platforms:
            raise KeyError(f"the lab has no SSH CLI for platform {platform}")
        return self.platforms[platform]

    def prompt(self, device: LabDevice) -> str:
        return self._template(self.cli(device.platform).prompt).render(hostname=device.hostname)

    def answer(self, device: LabDevice, command: str) -> str:
        """The text ``command`` prints (without the prompt); the platform's error if unknown."""
        cli = self.cli(device.platform)
        wanted = " ".join(command.split())
        if wanted == "":
            return ""
        if wanted in cli.replies:
            return cli.replies[wanted]
        template = cli.commands.get(wanted)
        if template is None:
            return cli.invalid
        return self._template(template).render(Snapshot.of(device).context())
