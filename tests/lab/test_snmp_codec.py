"""The agent's own pieces: BER round trips, MIB order, GETBULK and the v3 report path."""

from __future__ import annotations

from noc.lab.snmp import ber
from noc.lab.snmp.message import UNKNOWN_ENGINE_IDS, Handler, Identity
from noc.lab.snmp.mibview import END_OF_MIB_VIEW, NO_SUCH_INSTANCE, NO_SUCH_OBJECT, MibView
from noc.lab.snmp.pdu import Pdu, answer, decode_pdu
from noc.lab.snmp.usm import engine_id_for, localize, password_to_key

VIEW = MibView(
    {
        (1, 3, 6, 1, 2, 1, 1, 1, 0): ber.octets("descr"),
        (1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 10): ber.integer(1),
        (1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 2): ber.integer(2),
        (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, 2): ber.counter64(2**64 - 1),
    }
)


def test_values_round_trip() -> None:
    for value in (
        ber.integer(-129),
        ber.integer(2**31 - 1),
        ber.counter32(2**32 - 1),
        ber.counter64(2**64 - 1),
        ber.gauge32(0),
        ber.timeticks(12345),
        ber.octets(b"\x00\xff"),
        ber.oid_value((1, 3, 6, 1, 4, 1, 2636, 3, 60, 1, 1, 1, 1, 5, 500000)),
        ber.ip_address("127.10.0.1"),
    ):
        assert ber.decode_value(ber.read_tlv(ber.enc_value(value))) == value


def test_order_is_numeric_not_textual() -> None:
    first = VIEW.next((1, 3, 6, 1, 2, 1, 2))
    assert first[0] == (1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 2)  # .2 before .10
    assert VIEW.next(first[0])[0] == (1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 10)
    assert VIEW.next((1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, 2))[1] == END_OF_MIB_VIEW


def test_get_distinguishes_missing_object_and_instance() -> None:
    assert VIEW.get((1, 3, 6, 1, 2, 1, 1, 1, 1)) == NO_SUCH_INSTANCE
    assert VIEW.get((1, 3, 6, 1, 2, 1, 1, 9, 0)) == NO_SUCH_OBJECT


def _run(pdu: Pdu) -> list[tuple[tuple[int, ...], ber.Value]]:
    return decode_pdu(ber.read_tlv(answer(VIEW, pdu, 60000))).varbinds


def test_getbulk_repeats_then_ends_in_end_of_mib_view() -> None:
    null = ber.Value(ber.NULL)
    out = _run(Pdu(ber.GETBULK, 7, 1, 10, [((1, 3), null), ((1, 3, 6, 1, 2, 1, 2), null)]))
    assert out[0][0] == (1, 3, 6, 1, 2, 1, 1, 1, 0)  # the non-repeater
    names = [o for o, _ in out[1:]]
    assert names[:3] == [
        (1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 2),
        (1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 10),
        (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, 2),
    ]
    assert out[-1][1] == END_OF_MIB_VIEW and len(out) == 5


def test_getbulk_respects_the_size_limit() -> None:
    null = ber.Value(ber.NULL)
    big = answer(VIEW, Pdu(ber.GETBULK, 1, 0, 1000, [((1, 3), null)]), 120)
    assert len(big) < 200


def test_v3_discovery_gets_a_report_with_the_engine_id() -> None:
    engine = engine_id_for("core-1")
    handler = Handler(Identity(engine), lambda: VIEW, lambda: (3, 1000))
    sec = ber.seq(
        ber.enc_octets(b""),
        ber.enc_int(0),
        ber.enc_int(0),
        ber.enc_octets(b""),
        ber.enc_octets(b""),
        ber.enc_octets(b""),
    )
    pdu = ber.seq(ber.enc_int(42), ber.enc_int(0), ber.enc_int(0), ber.seq(), tag=ber.GET)
    msg = ber.seq(
        ber.enc_int(3),
        ber.seq(ber.enc_int(9), ber.enc_int(65507), ber.enc_octets(b"\x04"), ber.enc_int(3)),
        ber.enc_octets(sec),
        ber.seq(ber.enc_octets(b""), ber.enc_octets(b""), pdu),
    )
    reply = handler.handle(msg)
    assert reply is not None
    parts = ber.read_tlv(reply).children()
    their_sec = ber.read_tlv(reply, parts[2].start, parts[2].end).children()
    assert their_sec[0].as_bytes() == engine and their_sec[1].as_int() == 3
    report = decode_pdu(parts[3].children()[2])
    assert report.tag == ber.REPORT and report.request_id == 42
    assert report.varbinds[0][0] == UNKNOWN_ENGINE_IDS


def test_key_localisation_matches_rfc3414_a3() -> None:
    # RFC 3414 A.3.2: SHA-1, "maplesyrup", engine 000000000000000000000002
    ku = password_to_key("SHA", b"maplesyrup")
    assert ku.hex() == "9fb5cc0381497b3793528939ff788d5d79145211"
    kul = localize("SHA", ku, bytes.fromhex("000000000000000000000002"))
    assert kul.hex() == "6695febc9288e36282235fc7151f128497b38f3f"


def test_garbage_is_ignored() -> None:
    handler = Handler(Identity(b"e", community=b"c"), lambda: VIEW, lambda: (1, 1))
    for junk in (b"", b"\x30", b"\x30\x03\x02\x01\x01", b"\xff" * 40):
        assert handler.handle(junk) is None
