"""`noc check` over the good/bad corpus in tests/config, the demo city, and secrets."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from noc.cli.main import main
from noc.inventory import InventoryError, check_inventory, load_inventory
from noc.model.inventory import Inventory

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).resolve().parent / "config"
GOOD = sorted((CONFIG / "good").glob("*.yaml"))
BAD = sorted((CONFIG / "bad").glob("*.yaml"))
DEMO = ROOT / "inventory.yaml"
SUMMARY = re.compile(r": (OK|FAILED)\b.*\(\d+ sites?, ")


def expectations(path: Path) -> dict[str, str]:
    """The ``# expect-...`` header of a bad file; the line is where ``# <-- here`` is."""
    text = path.read_text(encoding="utf-8")
    found = dict(re.findall(r"^# expect-(\w+):[ ]?(.*)$", text, flags=re.MULTILINE))
    if "line" not in found:
        marked = [n for n, line in enumerate(text.splitlines(), 1) if "# <-- here" in line]
        assert len(marked) == 1, f"{path.name} needs exactly one '# <-- here' marker"
        found["line"] = str(marked[0])
    found.setdefault("severity", "error")
    return found


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def problem_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line and not SUMMARY.search(line)]


def test_corpus_has_the_cases_the_design_asks_for() -> None:
    names = {p.stem for p in BAD}
    for case in (
        "yaml_syntax_error",
        "duplicate_yaml_key",
        "unknown_key",
        "dangling_link_device",
        "dangling_link_interface",
        "duplicate_device_id",
        "wrong_type",
        "backbone_1g",
        "ring_not_a_cycle",
        "missing_service_component",
        "literal_secret",
        "depends_on_cycle",
        "n_of_m_n_too_large",
        "n_of_m_without_n",
    ):
        assert case in names


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_good_file_passes(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_check(capsys, str(path))
    assert code == 0, out
    assert problem_lines(out) == []
    assert f"{path}: OK (" in out


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_fails_at_the_right_place(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    want = expectations(path)
    code, out, err = run_check(capsys, str(path))
    assert code == 1
    assert err == ""
    lines = problem_lines(out)
    assert len(lines) == 1, f"{path.name} should have exactly one problem:\n{out}"
    key = f"{want['key']}: " if want["key"] else ""
    prefix = f"{path}:{want['line']}: {want['severity']}: {key}"
    assert lines[0].startswith(prefix), f"expected {prefix!r}, got {lines[0]!r}"
    assert want["message"] in lines[0]
    assert "FAILED" in out.splitlines()[-1]


@pytest.mark.parametrize(
    "path", [p for p in BAD if expectations(p)["severity"] == "warning"], ids=lambda p: p.stem
)
def test_warnings_pass_with_no_strict(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_check(capsys, "--no-strict", str(path))
    assert code == 0
    assert ": OK with 1 warning (" in out


@pytest.mark.parametrize(
    "path", [p for p in BAD if expectations(p)["severity"] == "error"][:3], ids=lambda p: p.stem
)
def test_errors_fail_even_with_no_strict(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run_check(capsys, "--no-strict", str(path))
    assert code == 1


def test_json_output_carries_the_same_problem(capsys: pytest.CaptureFixture[str]) -> None:
    path = CONFIG / "bad" / "dangling_link_interface.yaml"
    want = expectations(path)
    code, out, _ = run_check(capsys, "--format", "json", str(path))
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    assert report["errors"] == 1
    assert report["warnings"] == 0
    [problem] = report["problems"]
    assert problem == {
        "file": str(path),
        "line": int(want["line"]),
        "key": want["key"],
        "message": "device 'sw-1' has no interface 'Gi0/7'",
        "severity": "error",
    }
    assert report["summary"]["links"] == 1


def demo_counts() -> dict[str, int]:
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    return {
        "sites": len(data["sites"]),
        "devices": len(data["devices"]),
        "links": len(data["links"]),
        "rings": len({k["ring"] for k in data["links"] if "ring" in k}),
        "services": len(data["services"]),
        "power_feeds": len(data["power"]["feeds"]),
    }


def test_demo_inventory_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_check(capsys, str(DEMO))
    assert (code, err) == (0, "")
    assert problem_lines(out) == []
    counts = demo_counts()
    assert out.strip() == (
        f"{DEMO}: OK ({counts['sites']} sites, {counts['devices']} devices, "
        f"{counts['links']} links, {counts['rings']} rings, {counts['services']} services, "
        f"{counts['power_feeds']} power feeds)"
    )
    code, out, _ = run_check(capsys, "--format", "json", str(DEMO))
    assert code == 0
    report = json.loads(out)
    assert report["summary"] == counts
    assert report["problems"] == []


def test_demo_inventory_has_the_shape_the_design_asks_for() -> None:
    inv = load_inventory(DEMO)
    cores = [d for d in inv.devices if d.role == "core_switch"]
    assert len(cores) == 2
    assert {c.redundant_peer for c in cores} == {c.id for c in cores}
    rings = inv.rings()
    assert len(rings) >= 2
    for links in rings.values():
        ring_devices = {d for k in links for d in k.devices}
        assert sum(inv.site(inv.device(d).site).kind == "district" for d in ring_devices) >= 4
        assert all(k.capacity_bps >= 10**10 and k.media == "single_mode_fiber" for k in links)
    assert len(inv.services) >= 6
    assert {s.rule.value for s in inv.services} >= {"all", "any", "n_of_m"}
    addresses = [str(d.address) for d in inv.devices]
    assert len(set(addresses)) == len(addresses)
    assert all(a.startswith("127.10.") for a in addresses)
    assert inv.settings.snmp_port == 11161
    assert inv.settings.timezone == "Asia/Jakarta"


def test_default_file_is_inventory_yaml_in_the_current_directory(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run_check(capsys)
    assert code == 0
    assert out.startswith("inventory.yaml: OK (")


def test_missing_file_is_one_sentence_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run_check(capsys, str(tmp_path / "nope.yaml"))
    assert code == 1
    assert out == ""
    assert err.startswith("noc check: cannot read ")
    assert "Traceback" not in err


def test_console_script_checks_the_demo() -> None:
    script = Path(sys.executable).parent / "noc"
    if not script.exists():
        pytest.skip("the noc console script is not installed (pip install -e .)")
    done = subprocess.run(
        [str(script), "check", "inventory.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("inventory.yaml: OK (")
    failed = subprocess.run(
        [str(script), "check", str(CONFIG / "bad" / "unknown_key.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert failed.returncode == 1
    assert "unknown key 'adress'" in failed.stdout


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(
        """\
version: 1
city: Kota Uji
sites:
  - {id: hq, name: Kantor Pusat, kind: agency}
  - {id: hq2, name: Kantor Dua, kind: agencyy}
devices:
  - {id: sw-1, site: hq, role: access_switch, address: 127.10.9.1, interfaces: [Gi0/1]}
  - {id: sw-2, site: hq2, role: acces_switch, address: 127.10.9.2, interfaces: [Gi0/1]}
  - {id: sw-3, site: nowhere, role: access_switch, address: 127.10.9.3, depends_on: [sw-2, sw-4]}
links:
  - {id: l-1, a: "sw-1:Gi0/1", b: "sw-2:Gi0/1", kind: access, capacity_bps: 1G, media: copper}
  - {id: l-2, a: "sw-3:Gi0/1", b: "sw-1:Gi0/1", kind: acess, capacity_bps: 1G, media: copper}
services:
  - {id: s, name: S, components: [device:sw-2, link:l-2, link:l-9]}
""",
        encoding="utf-8",
    )
    report = check_inventory(path)
    found = {(p.line, p.key) for p in report.problems}
    assert found == {
        (5, "sites[hq2].kind"),
        (8, "devices[sw-2].role"),
        (9, "devices[sw-3].site"),
        (9, "devices[sw-3].depends_on[1]"),
        (12, "links[l-2].kind"),
        (14, "services[s].components[2]"),
    }
    assert report.inventory is None
    with pytest.raises(InventoryError) as caught:
        load_inventory(path)
    assert len(caught.value.problems) == 6
    assert str(caught.value).startswith(f"{path} has 6 errors; first: {path}:5: error:")


SECRET = "Xy9-very-secret-community"
ENV_SECRET = "Zq7-secret-from-environment"


def test_no_secret_value_ever_appears(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOC_TEST_SNMP_COMMUNITY", ENV_SECRET)
    path = tmp_path / "leaky.yaml"
    path.write_text(
        f"""\
version: 1
city: Kota Uji
credentials:
  good: {{type: snmp_v2c, community: env:NOC_TEST_SNMP_COMMUNITY}}
  literal: {{type: snmp_v2c, community: {SECRET}}}
  quoted: {{type: snmp_v2c, community: "{SECRET}:x"}}
  v3: {{type: snmp_v3, user: noc, auth_protocol: SHA, auth_key: {SECRET}}}
  ssh: {{type: ssh, username: noc, password: {SECRET}, key_file: 12345}}
  wrongplace: {{type: snmp_v2c, community: env:NOC_TEST_SNMP_COMMUNITY, secret: {SECRET}}}
  tagged: {{type: snmp_v2c, community: !vault {SECRET}}}
""",
        encoding="utf-8",
    )
    outputs = []
    for fmt in ("text", "json"):
        code, out, err = run_check(capsys, "--format", fmt, str(path))
        assert code == 1
        outputs += [out, err]
    report = json.loads(outputs[2])
    keys = {p["key"] for p in report["problems"]}
    assert keys == {
        "credentials.literal.community",
        "credentials.quoted.community",
        "credentials.v3.auth_key",
        "credentials.ssh.password",
        "credentials.ssh.key_file",
        "credentials.wrongplace.secret",
        "credentials.tagged.community",
    }
    broken = tmp_path / "broken.yaml"
    broken.write_text(f"version: 1\ncity: [{SECRET}\nsites: {SECRET}: {SECRET}\n", encoding="utf-8")
    for fmt in ("text", "json"):
        code, out, err = run_check(capsys, "--format", fmt, str(broken))
        assert code == 1
        assert "YAML syntax error" in out
        outputs += [out, err]
    with pytest.raises(InventoryError) as caught:
        load_inventory(path)
    outputs += [str(caught.value), repr(caught.value), repr(caught.value.problems)]
    good = load_inventory_text_ok(tmp_path)
    outputs += [repr(good), str(good.model_dump()), good.model_dump_json()]
    for text in outputs:
        assert SECRET not in text
        assert ENV_SECRET not in text
    resolved = good.credentials["good"].community.resolve()  # type: ignore[union-attr]
    assert resolved.get_secret_value() == ENV_SECRET
    assert ENV_SECRET not in repr(resolved) and ENV_SECRET not in str(resolved)


def load_inventory_text_ok(tmp_path: Path) -> Inventory:
    path = tmp_path / "ok.yaml"
    path.write_text(
        "version: 1\ncity: Kota Uji\ncredentials:\n"
        "  good: {type: snmp_v2c, community: env:NOC_TEST_SNMP_COMMUNITY}\n",
        encoding="utf-8",
    )
    return load_inventory(path)


def test_secret_env_is_never_read_by_check(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checking needs no secrets: unset references are fine until something resolves them."""
    for name in ("NOC_SNMP_COMMUNITY", "NOC_SNMP_V3_AUTH", "NOC_SNMP_V3_PRIV", "NOC_SSH_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    code, _, _ = run_check(capsys, str(DEMO))
    assert code == 0
