"""Rule files: the shipped set is clean; each bad example fails with its file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerting.rule_loader import check_rule_files, default_rule_files, load_rules
from noc.cli.main import main
from noc.errors import ConfigError

HERE = Path(__file__).parent / "rules"
BAD = sorted((HERE / "bad").glob("*.yaml"))

ISSUE_RULES = {
    "device_down",
    "link_down",
    "ring_lost_redundancy",
    "ring_split",
    "link_utilization_high",
    "interface_errors",
    "optical_rx_low",
    "ups_on_battery",
    "ups_battery_low",
    "ups_load_high",
    "genset_not_started",
    "genset_fuel_low",
    "ats_on_generator",
    "crac_alarm",
    "room_temperature_out_of_range",
    "humidity_out_of_range",
    "water_leak",
    "door_open",
    "collection_failing",
}


def test_the_shipped_rules_are_clean_and_cover_the_issue() -> None:
    ruleset, problems = check_rule_files(default_rule_files())
    assert [str(p) for p in problems] == []
    assert {r.name for r in ruleset.rules} >= ISSUE_RULES


def test_good_examples_load() -> None:
    for f in sorted((HERE / "good").glob("*.yaml")):
        assert load_rules([f]).rules


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_example_names_file_line_and_key(path: Path) -> None:
    expect = path.read_text().splitlines()[0].removeprefix("# expect: ")
    _, problems = check_rule_files([path])
    assert problems, "expected a problem"
    got = str(problems[0]).removeprefix(f"{path}:").replace(" error:", "", 1)
    assert got.startswith(expect), str(problems[0])


def test_a_rule_name_used_twice_across_files_is_a_problem(tmp_path: Path) -> None:
    good = HERE / "good" / "minimal.yaml"
    copy = tmp_path / "copy.yaml"
    copy.write_text(good.read_text())
    _, problems = check_rule_files([good, copy])
    assert len(problems) == 1
    assert "is already defined in" in str(problems[0]) and str(copy) in str(problems[0])


def test_load_rules_raises_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_rules(BAD[:2])
    assert "check-rules" in str(err.value)


def test_cli_check_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "check-rules"]) == 0
    out = capsys.readouterr().out
    assert "SUCCESS" in out and "power.yaml" in out
    assert main(["alerts", "check-rules", str(HERE / "bad" / "unknown_key.yaml")]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "unknown_key.yaml:7: error: rules[0].treshold" in out
