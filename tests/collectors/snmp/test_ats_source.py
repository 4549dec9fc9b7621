"""An ATS's inputs A and B become utility and generator only when the inventory letters them."""

from __future__ import annotations

from datetime import UTC, datetime

from collectors.snmp.ats_source import input_kinds, with_ats_source
from noc.model import Inventory, Sample

TS = datetime(2026, 10, 1, tzinfo=UTC)


def _inventory(letters: tuple[str | None, str | None]) -> Inventory:
    feeds = [
        {"from": "pln", "to": "ats-1", "feed": letters[0]},
        {"from": "genset-1", "to": "ats-1", "feed": letters[1]},
    ]
    return Inventory.model_validate(
        {
            "version": 1,
            "city": "Kota Uji",
            "sites": [{"id": "dc", "name": "Pusat Data", "kind": "data_center"}],
            "devices": [
                {"id": "ats-1", "site": "dc", "role": "ats", "address": "127.0.0.1"},
                {"id": "genset-1", "site": "dc", "role": "genset", "address": "127.0.0.2"},
            ],
            "power": {
                "sources": [{"id": "pln", "name": "PLN", "site": "dc"}],
                "feeds": [{k: v for k, v in f.items() if v is not None} for f in feeds],
            },
        }
    )


def _selected(state: str) -> Sample:
    labels = {"device": "ats-1", "site": "dc", "state": state}
    return Sample(metric="ats_selected_input", labels=labels, value=2.0, ts=TS)


def test_lettered_inputs_name_the_source() -> None:
    inv = _inventory(("B", "A"))  # wired the other way round: B is the utility
    assert input_kinds(inv, "ats-1") == {"b": "utility", "a": "generator"}
    out = with_ats_source(inv, "ats-1", [_selected("b")])
    source = [s for s in out if s.metric == "ats_source"]
    assert [s.labels["state"] for s in source] == ["utility"]
    assert source[0].labels["device"] == "ats-1" and source[0].value == 2.0


def test_unlettered_inputs_say_unknown_instead_of_guessing() -> None:
    inv = _inventory((None, None))
    out = with_ats_source(inv, "ats-1", [_selected("a")])
    assert [s.labels["state"] for s in out if s.metric == "ats_source"] == ["unknown"]
