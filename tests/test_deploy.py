"""The deployment files: docker-compose.yml validates, refuses missing secrets; the image is sane.

There is no container engine on these machines: compose is checked by Debian's
docker-compose (``config -q``), the Dockerfile by reading it.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.peers import require_binary

REPO = Path(__file__).resolve().parent.parent
SECRETS = (
    "NOC_ADMIN_PASSWORD",
    "INFLUXDB_ADMIN_PASSWORD",
    "INFLUXDB_TOKEN",
    "GRAFANA_ADMIN_PASSWORD",
)


def _env_example_keys() -> list[str]:
    lines = (REPO / ".env.example").read_text().splitlines()
    return [ln.split("=", 1)[0] for ln in lines if ln and not ln.startswith("#")]


def _compose(env_file: Path) -> subprocess.CompletedProcess[str]:
    compose = require_binary("docker-compose")
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run(
        [
            compose,
            "--env-file",
            str(env_file),
            "-f",
            str(REPO / "docker-compose.yml"),
            "config",
            "-q",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.integration
def test_compose_is_valid_once_every_secret_is_set(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{k}=value-for-{k.lower()}\n" for k in _env_example_keys()))
    result = _compose(env_file)
    assert result.returncode == 0, result.stderr


@pytest.mark.integration
@pytest.mark.parametrize("missing", SECRETS)
def test_compose_refuses_to_start_without_a_secret(tmp_path: Path, missing: str) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{k}=value\n" for k in _env_example_keys() if k != missing))
    result = _compose(env_file)
    assert result.returncode != 0
    assert f"set {missing} in .env" in result.stderr


def test_env_example_names_every_secret_and_sets_none() -> None:
    values = dict(
        ln.split("=", 1)
        for ln in (REPO / ".env.example").read_text().splitlines()
        if ln and not ln.startswith("#")
    )
    for key in SECRETS:
        assert values[key] == "", f"{key} must be empty in .env.example (no default password)"


def test_dockerfile_runs_as_non_root_from_a_pinned_base_with_a_healthcheck() -> None:
    text = (REPO / "Dockerfile").read_text()
    base = re.search(r"^FROM\s+(\S+)", text, re.M)
    assert base is not None
    # Pinned: an exact patch version or a digest, never a floating tag.
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", base.group(1))
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK .*\n?.*healthz", text, re.M)
    assert 'CMD ["noc", "serve"]' in text
