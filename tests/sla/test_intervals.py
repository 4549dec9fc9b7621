"""The interval algebra against Python sets of integer points (exact, on small ranges)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sla.intervals import IntervalSet, at_least, from_us, to_us

pairs = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=8,
)


def points(pairs_: list[tuple[int, int]]) -> set[int]:
    return {t for s, e in pairs_ for t in range(s, e)}


def as_points(x: IntervalSet) -> set[int]:
    return points(list(x))


@settings(max_examples=150, deadline=None)
@given(pairs, pairs, st.integers(0, 40), st.integers(0, 80))
def test_operations_equal_point_sets(
    a: list[tuple[int, int]], b: list[tuple[int, int]], lo: int, hi: int
) -> None:
    x, y = IntervalSet.of(a), IntervalSet.of(b)
    pa, pb = points(a), points(b)
    assert as_points(x) == pa and x.total() == len(pa)
    assert as_points(x.union(y)) == pa | pb
    assert as_points(x.intersection(y)) == pa & pb
    assert as_points(x.difference(y)) == pa - pb
    assert as_points(x.clip(lo, hi)) == {t for t in pa if lo <= t < hi}
    assert as_points(x.complement(lo, hi)) == set(range(lo, hi)) - pa
    # Normalized: sorted, disjoint, not touching, no empty interval.
    flat = [v for p in x for v in p]
    assert flat == sorted(flat) and all(s < e for s, e in x)
    assert all(e1 < s2 for (_, e1), (s2, _) in zip(list(x), list(x)[1:], strict=False))


@settings(max_examples=100, deadline=None)
@given(st.lists(pairs, min_size=1, max_size=5), st.integers(1, 5))
def test_at_least_k_of_m(sets: list[list[tuple[int, int]]], k: int) -> None:
    got = as_points(at_least([IntervalSet.of(s) for s in sets], k))
    universe = set().union(*(points(s) for s in sets))
    want = {t for t in universe if sum(t in points(s) for s in sets) >= k}
    assert got == want


def test_microsecond_conversion_is_exact() -> None:
    t = datetime(2026, 10, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert from_us(to_us(t)) == t
    assert to_us(t + timedelta(microseconds=1)) - to_us(t) == 1
