"""Show a check report as text lines or JSON."""

from __future__ import annotations

import json

from noc.inventory.problems import CheckReport


def render_text(report: CheckReport, *, strict: bool = True) -> str:
    """One line per problem, then a summary line."""
    lines = [str(p) for p in report.problems]
    errors, warnings = len(report.errors), len(report.warnings)
    counts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    if warnings:
        counts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    if report.failed(strict=strict):
        verdict = "FAILED, " + ", ".join(counts)
    elif warnings:
        verdict = "OK with " + counts[-1]
    else:
        verdict = "OK"
    lines.append(f"{report.file}: {verdict} ({report.summary})")
    return "\n".join(lines)


def render_json(report: CheckReport, *, strict: bool = True) -> str:
    return json.dumps(report.to_dict(strict=strict), indent=2, ensure_ascii=False)
