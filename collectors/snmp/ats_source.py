"""What an ATS runs on, in the NOC's words: its selected input (A or B, as the ATS names them)
becomes the utility or the generator, from the inventory's power feeds into it.

The inventory says ``{from: pln-dc, to: ats-1, feed: A}`` and ``{from: genset-1, to: ats-1,
feed: B}``. Without the ``feed`` letter the NOC cannot tell them apart and says ``unknown``
rather than guess.
"""

from __future__ import annotations

from noc.model import DeviceRole, Inventory, Sample

SELECTED = "ats_selected_input"
INPUT_STATUS = "ats_input_status"
SOURCE = "ats_source"


def input_kinds(inventory: Inventory, ats: str) -> dict[str, str]:
    """``{"a": "utility", "b": "generator"}`` for the inputs of ``ats`` the inventory letters."""
    sources = {s.id for s in inventory.power.sources}
    roles = {d.id: d.role for d in inventory.devices}
    out: dict[str, str] = {}
    for feed in inventory.feeds_to(ats):
        if feed.feed is None:
            continue
        if feed.from_ in sources:
            kind = "utility"
        elif roles.get(feed.from_) is DeviceRole.genset:
            kind = "generator"
        else:
            kind = "other"
        out[feed.feed.lower()] = kind
    return out


def with_ats_source(inventory: Inventory, ats: str, samples: list[Sample]) -> list[Sample]:
    """``samples`` with each input's status labelled by its source, plus ``ats_source``."""
    kinds = input_kinds(inventory, ats)
    out: list[Sample] = []
    for s in samples:
        if s.metric == INPUT_STATUS and "input" in s.labels:
            kind = kinds.get(s.labels["input"], "unknown")
            s = s.model_copy(update={"labels": {**s.labels, "source": kind}})
        out.append(s)
        if s.metric == SELECTED and "state" in s.labels:
            kind = kinds.get(s.labels["state"], "unknown")
            labels = {k: v for k, v in s.labels.items() if k != "state"}
            out.append(s.model_copy(update={"metric": SOURCE, "labels": {**labels, "state": kind}}))
    return out
