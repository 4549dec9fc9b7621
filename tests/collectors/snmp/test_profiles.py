"""Profiles: the shipped ones load and resolve; good and bad examples validate as they should."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from collectors.snmp.catalog import Catalog, load_profile
from noc.errors import ConfigError

HERE = Path(__file__).parent / "profiles"
GOOD = sorted((HERE / "good").glob("*.yaml"))
BAD = sorted((HERE / "bad").glob("*.yaml"))


def test_shipped_profiles_load_and_resolve() -> None:
    cat = Catalog.load()
    for name in cat.profiles:
        cat.resolve(name)
    for kind in (
        "if_mib",
        "ups_mib",
        "apc_ups",
        "cisco_switch",
        "juniper",
        "himoinsa",
        "stulz",
        "apc_cooling",
        "akcp",
        "netbotz",
        "apc_rpdu",
        "lldp",
        "cdp",
        "generic",
    ):
        assert kind in cat.profiles


def test_sysobjectid_longest_prefix_wins() -> None:
    cat = Catalog.load()
    choice = cat.by_sysobjectid("1.3.6.1.4.1.9.1.2688")
    assert choice is not None and choice.profile == "cisco_switch"
    assert "1.3.6.1.4.1.9.1" in choice.reason
    assert cat.by_sysobjectid("1.3.6.1.4.1.424242.1") is None
    assert cat.by_sysobjectid("not an oid") is None


def test_every_counter_with_a_rate_and_metric_names_have_units() -> None:
    cat = Catalog.load()
    for prof in cat.profiles.values():
        for m in [*prof.scalars, *(m for t in prof.tables for m in t.metrics)]:
            if m.type == "counter":
                assert m.name.endswith("_total")


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_good_profiles(path: Path, tmp_path: Path) -> None:
    load_profile(path)
    for p in GOOD:
        shutil.copy(p, tmp_path)
    Catalog.load(tmp_path).resolve(path.stem)


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_profiles_name_the_file_and_key(path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    assert path.name in str(caught.value)


def test_unknown_key_is_named() -> None:
    with pytest.raises(ConfigError, match="colour"):
        load_profile(HERE / "bad" / "unknown_key.yaml")


def test_include_of_a_missing_profile_and_loops(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: a\ninclude: [b]\n")
    with pytest.raises(ConfigError, match="include 'b'"):
        Catalog.load(tmp_path)
    (tmp_path / "b.yaml").write_text("name: b\ninclude: [a]\n")
    with pytest.raises(ConfigError, match="loop"):
        Catalog.load(tmp_path).resolve("a")


def test_unknown_profile_names_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="if_mib"):
        Catalog.load().resolve("no_such_profile")
