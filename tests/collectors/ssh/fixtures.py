"""Where the shared real device outputs live, and how to read their expected parses."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import yaml

CLI_DIR = Path(__file__).resolve().parents[3] / ".." / "shared" / "lab" / "cli"


def fixture_dirs() -> list[str]:
    """``platform/command`` of every fixture folder in the shared lab."""
    return sorted(
        f"{p.parent.name}/{p.name}" for p in CLI_DIR.glob("*/*") if p.is_dir() and any(p.iterdir())
    )


def raw_text(case: str) -> str:
    return next((CLI_DIR / case).glob("*.raw")).read_text(encoding="utf-8")


def expected(case: str) -> Any:
    """The ntc-templates ``parsed_sample`` list, or genieparser's ``expected_output`` dict."""
    folder = CLI_DIR / case
    for yml in folder.glob("*.yml"):
        return yaml.safe_load(yml.read_text(encoding="utf-8"))["parsed_sample"]
    for py in folder.glob("*_expected.py"):
        tree = ast.parse(py.read_text(encoding="utf-8"))
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and getattr(node.targets[0], "id", "") == "expected_output"
            ):
                return ast.literal_eval(node.value)
    raise FileNotFoundError(f"no expected parse in {folder}")
