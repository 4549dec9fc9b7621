"""Raw text -> records: TextFSM with ntc-templates, or the profile's own ``lines`` rules.

A record is a flat ``{field: text}`` dict (TextFSM list values become lists). Turning records
into typed results is :mod:`collectors.ssh.typed`'s job.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from importlib import resources

import textfsm

from collectors.ssh.profile import CommandSpec
from noc.errors import ConfigError

Record = dict[str, str | list[str]]


@lru_cache(maxsize=128)
def _template_text(name: str) -> str:
    path = resources.files("ntc_templates") / "templates" / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise ConfigError(
            f"ntc-templates has no template {name}",
            hint="fix the profile's template name or use the lines parser",
        ) from None


def template_name(platform: str, spec: CommandSpec) -> str:
    if spec.template:
        return spec.template
    return f"{platform}_{'_'.join(spec.command.lower().split())}.textfsm"


def textfsm_records(platform: str, spec: CommandSpec, text: str) -> list[Record]:
    fsm = textfsm.TextFSM(io.StringIO(_template_text(template_name(platform, spec))))
    header = [h.lower() for h in fsm.header]
    rows = fsm.ParseText(text)
    return [dict(zip(header, row, strict=True)) for row in rows]


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def lines_records(spec: CommandSpec, text: str) -> list[Record]:
    """Apply the profile's line rules: a ``new`` rule starts a record, others update it."""
    records: list[Record] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        for rule in spec.rules:
            m = _compiled(rule.match).search(line)
            if m is None:
                continue
            groups = {k: v.strip() for k, v in m.groupdict().items() if v is not None}
            if rule.new or not records:
                prev = records[-1] if records else {}
                records.append({k: prev[k] for k in rule.inherit if k in prev})
            current = records[-1]
            current.update(groups)
            for key, template in rule.set.items():
                current[key.format(**groups).lower()] = template.format(**groups)
            break
    return records


def parse_records(platform: str, spec: CommandSpec, text: str) -> list[Record]:
    if spec.parser == "lines":
        return lines_records(spec, text)
    return textfsm_records(platform, spec, text)
