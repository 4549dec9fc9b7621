"""The same fault again and again: a trap racing a poll, and when repeats become flapping.

Issue 6's bench paged only 3 of 5 trapped utility failures. Its faults came 13 s apart: each
is a fire and a resolve (two changes), so the third resolve made the sixth change inside the
10-minute flap window, the alert went flapping and the next failures were not paged again (as
designed: a flapping alert pages once). ``Flap.quiet_spacing`` says how far apart repeated
faults must be to be paged each; the bench paces its runs with it.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from alerting.engine import AlertEngine
from alerting.rule_loader import load_rules
from alerting.rule_model import Flap, RuleSet
from noc.model import Sample
from tests.alerting.support import T0

KEY = "ups_on_battery/device:ups-a"


def source(e: AlertEngine, seconds: float, state: str) -> list[str]:
    """One ups_output_source sample of ups-a taken at ``seconds`` (a poll's or a trap's)."""
    value = {"battery": 5.0, "normal": 3.0}[state]
    labels = {"device": "ups-a", "site": "dc", "state": state}
    ts = T0 + timedelta(seconds=seconds)
    moves = e.observe_samples(
        [Sample(metric="ups_output_source", labels=labels, value=value, ts=ts)]
    )
    return [f"{t.alert.key}:{t.old.value}->{t.new.value}" for t in moves if t.alert.key == KEY]


def episodes(e: AlertEngine, starts: list[float], length: float) -> list[list[str]]:
    """A utility failure of ``length`` seconds at each start: the moves of each."""
    return [source(e, t, "battery") + source(e, t + length, "normal") for t in starts]


def power_rules() -> RuleSet:
    return load_rules()


def test_a_poll_read_before_the_trap_does_not_undo_it() -> None:
    e = AlertEngine(power_rules())
    assert source(e, 0, "normal") == []
    assert source(e, 10.0, "battery") == [f"{KEY}:inactive->firing"]  # the trap
    # the poll that started at 9.8 s read "normal" and answers after the trap: stale
    assert source(e, 9.8, "normal") == []
    assert source(e, 20.0, "battery") == []  # the next poll agrees with the trap
    assert source(e, 30.0, "normal") == [f"{KEY}:firing->resolved"]
    alert = e.alert(KEY)
    assert alert is not None and alert.fired_at == T0 + timedelta(seconds=10)


def test_same_time_samples_are_both_taken() -> None:
    e = AlertEngine(power_rules())
    assert source(e, 5.0, "battery") == [f"{KEY}:inactive->firing"]
    assert source(e, 5.0, "normal") == [f"{KEY}:firing->resolved"]


def test_failures_13_s_apart_page_three_times_then_flap() -> None:
    """What the bench saw: the third resolve is the sixth change in the window."""
    e = AlertEngine(power_rules())
    moves = episodes(e, [13.0 * i for i in range(5)], length=1.0)
    assert moves == [
        [f"{KEY}:inactive->firing", f"{KEY}:firing->resolved"],
        [f"{KEY}:resolved->firing", f"{KEY}:firing->resolved"],
        [f"{KEY}:resolved->firing", f"{KEY}:firing->flapping"],
        [],
        [],
    ]


@pytest.mark.parametrize("length", [0.05, 1.0, 120.0, 299.0])
def test_failures_past_the_quiet_spacing_are_each_paged(length: float) -> None:
    rules = power_rules()
    spacing = rules.by_name("ups_on_battery").flap.quiet_spacing()
    assert spacing == timedelta(minutes=5)  # default flap: 6 changes in 10 minutes
    gap = spacing.total_seconds() + 1.0
    moves = episodes(AlertEngine(rules), [gap * i for i in range(8)], length)
    assert all(m[0].endswith("->firing") and m[1].endswith("->resolved") for m in moves), moves


def test_failures_just_inside_the_quiet_spacing_flap() -> None:
    rules = power_rules()
    spacing = rules.by_name("ups_on_battery").flap.quiet_spacing()
    assert spacing is not None
    gap = spacing.total_seconds() - 5.0
    moves = episodes(AlertEngine(rules), [gap * i for i in range(4)], length=1.0)
    assert any(m.endswith("->flapping") for m in moves[2]), moves


@pytest.mark.parametrize(
    ("window_s", "changes"), [(600, 6), (600, 7), (300, 4), (900, 10), (120, 5)]
)
def test_quiet_spacing_holds_for_any_flap_setting(window_s: int, changes: int) -> None:
    flap = Flap(window=timedelta(seconds=window_s), changes=changes)
    spacing = flap.quiet_spacing()
    assert spacing is not None
    base = power_rules()
    rule = base.by_name("ups_on_battery").model_copy(update={"flap": flap})
    rng = random.Random(window_s * 100 + changes)
    gap = spacing.total_seconds() + 0.5
    for _ in range(20):
        e = AlertEngine(RuleSet(rules=(rule,)))
        starts = [gap * i for i in range(12)]
        lengths = [rng.uniform(0.01, gap - 0.01) for _ in starts]
        for t, length in zip(starts, lengths, strict=True):
            moves = source(e, t, "battery") + source(e, t + length, "normal")
            assert [m.split("->")[1] for m in moves] == ["firing", "resolved"], (t, moves)


def test_no_spacing_when_one_episode_fills_the_flap_count() -> None:
    assert Flap(window=timedelta(minutes=10), changes=3).quiet_spacing() is None
    assert Flap(window=timedelta(minutes=10), changes=4).quiet_spacing() == timedelta(minutes=10)
