"""PDUs: decode a request, answer it from a :class:`MibView`, encode the response."""

from __future__ import annotations

from dataclasses import dataclass

from noc.lab.snmp import ber
from noc.lab.snmp.ber import Oid, Tlv, Value
from noc.lab.snmp.mibview import END_OF_MIB_VIEW, MibView

NO_ERROR = 0
TOO_BIG = 1
GEN_ERR = 5
NO_ACCESS = 6

MAX_REPETITIONS = 1000
_VARBIND_OVERHEAD = 4  # sequence headers around each varbind, counted roughly


@dataclass(frozen=True)
class Pdu:
    tag: int
    request_id: int
    a: int  # error-status, or non-repeaters for GETBULK
    b: int  # error-index, or max-repetitions for GETBULK
    varbinds: list[tuple[Oid, Value]]


def decode_pdu(item: Tlv) -> Pdu:
    parts = item.children()
    if len(parts) != 4 or parts[3].tag != ber.SEQUENCE:
        raise ber.BerError("a PDU has four fields")
    varbinds: list[tuple[Oid, Value]] = []
    for vb in parts[3].children():
        pair = vb.children()
        if len(pair) != 2:
            raise ber.BerError("a varbind is a name and a value")
        varbinds.append((pair[0].as_oid(), ber.decode_value(pair[1])))
    return Pdu(item.tag, parts[0].as_int(), parts[1].as_int(), parts[2].as_int(), varbinds)


def encode_pdu(
    tag: int, request_id: int, status: int, index: int, varbinds: list[tuple[Oid, Value]]
) -> bytes:
    return ber.seq(
        ber.enc_int(request_id),
        ber.enc_int(status),
        ber.enc_int(index),
        ber.enc_varbinds(varbinds),
        tag=tag,
    )


def _size(oid: Oid, value: Value) -> int:
    return len(ber.enc_oid(oid)) + len(ber.enc_value(value)) + _VARBIND_OVERHEAD


def answer(view: MibView, pdu: Pdu, max_bytes: int) -> bytes:
    """The Response PDU for a GET, GETNEXT or GETBULK (writes are refused: noAccess)."""
    rid = pdu.request_id
    if pdu.tag == ber.GET:
        out = [(oid, view.get(oid)) for oid, _ in pdu.varbinds]
    elif pdu.tag == ber.GETNEXT:
        out = [view.next(oid) for oid, _ in pdu.varbinds]
    elif pdu.tag == ber.GETBULK:
        return _bulk(view, pdu, max_bytes)
    elif pdu.tag == ber.SET:
        return encode_pdu(ber.RESPONSE, rid, NO_ACCESS, 1, pdu.varbinds)
    else:
        return encode_pdu(ber.RESPONSE, rid, GEN_ERR, 0, pdu.varbinds)
    if sum(_size(o, v) for o, v in out) > max_bytes:
        return encode_pdu(ber.RESPONSE, rid, TOO_BIG, 0, [])
    return encode_pdu(ber.RESPONSE, rid, NO_ERROR, 0, out)


def _bulk(view: MibView, pdu: Pdu, max_bytes: int) -> bytes:
    names = [oid for oid, _ in pdu.varbinds]
    non_rep = max(0, min(pdu.a, len(names)))
    reps = max(0, min(pdu.b, MAX_REPETITIONS))
    out: list[tuple[Oid, Value]] = []
    used = 0

    def add(oid: Oid, value: Value) -> bool:
        nonlocal used
        size = _size(oid, value)
        if used + size > max_bytes:
            return False
        out.append((oid, value))
        used += size
        return True

    for oid in names[:non_rep]:
        if not add(*view.next(oid)):
            return encode_pdu(ber.RESPONSE, pdu.request_id, TOO_BIG, 0, [])
    cursors = names[non_rep:]
    for _ in range(reps if cursors else 0):
        row = [view.next(oid) for oid in cursors]
        for oid, value in row:
            if not add(oid, value):
                return encode_pdu(ber.RESPONSE, pdu.request_id, NO_ERROR, 0, out)
        if all(v == END_OF_MIB_VIEW for _, v in row):
            break
        cursors = [oid for oid, _ in row]
    return encode_pdu(ber.RESPONSE, pdu.request_id, NO_ERROR, 0, out)
