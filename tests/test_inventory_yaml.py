"""Reading YAML with lines: duplicate keys, merges, odd scalars, key paths."""

from __future__ import annotations

from noc.inventory import check_text, parse_inventory
from noc.inventory.paths import data_path, key_text
from noc.inventory.yamlsource import read_yaml


def test_every_key_and_item_has_its_line() -> None:
    src = read_yaml("a: 1\nlist:\n  - x\n  - {id: y, b: 2}\n")
    assert src.problems == []
    assert src.data == {"a": 1, "list": ["x", {"id": "y", "b": 2}]}
    assert src.lines[("a",)] == 1
    assert src.lines[("list", 0)] == 3
    assert src.lines[("list", 1, "b")] == 4
    assert src.line(("list", 1, "missing", "deeper")) == 4
    assert src.line(()) == 1


def test_duplicate_keys_are_found_at_any_depth() -> None:
    src = read_yaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert [(line, path) for line, path, _ in src.problems] == [(4, ("b", "c")), (5, ("a",))]
    assert "first at line 3" in src.problems[0][2]
    assert src.data == {"a": 3, "b": {"c": 2}}


def test_syntax_error_has_a_line_and_no_data() -> None:
    src = read_yaml("a: 1\nb: [1, 2\nc: 3\n")
    [(line, path, message)] = src.problems
    assert line >= 2 and path == ()
    assert message.startswith("YAML syntax error: ")
    assert src.data is None


def test_merge_keys_and_base_60_lookalikes() -> None:
    src = read_yaml("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nt: 8:30\n")
    assert src.problems == []
    assert src.data["use"] == {"x": 1, "y": 3}
    assert src.data["t"] == "8:30"  # YAML 1.1 would read 510


def test_recursive_alias_is_a_problem_not_a_hang() -> None:
    src = read_yaml("a: &a\n  b: *a\n")
    assert any("refers to itself" in message for _, _, message in src.problems)


def test_key_text_prefers_unique_ids() -> None:
    data = {"devices": [{"id": "a"}, {"id": "b"}, {"id": "b"}, "x"], "settings": {"t": 1}}
    assert key_text(data, ("devices", 0, "role")) == "devices[a].role"
    assert key_text(data, ("devices", 1)) == "devices[1]"  # the id is not unique
    assert key_text(data, ("devices", 3)) == "devices[3]"
    assert key_text(data, ("settings", "t")) == "settings.t"
    assert key_text(data, ()) == ""


def test_data_path_skips_union_tags_and_keeps_missing_keys() -> None:
    data = {"credentials": {"c": {"type": "snmp_v3"}}}
    loc = ("credentials", "c", "snmp_v3", "user")
    assert data_path(data, loc, missing=True) == ("credentials", "c", "user")
    assert data_path(data, loc, missing=False) == ("credentials", "c")


def test_extension_keys_hold_anchors() -> None:
    inv = parse_inventory(
        "version: 1\ncity: X\nx-site: &s {kind: agency}\n"
        "sites:\n  - {<<: *s, id: a, name: A}\n  - {<<: *s, id: b, name: B}\n"
    )
    assert [s.kind.value for s in inv.sites] == ["agency", "agency"]


def test_check_text_names_the_file() -> None:
    report = check_text("version: 1\ncity: X\nsites: 3\n", file="mem.yaml")
    [problem] = report.problems
    assert str(problem) == "mem.yaml:3: error: sites: expected a list here"
    assert report.summary.sites == 0
