"""Just enough BER (X.690) for SNMP: encode and decode the types an agent answers with.

OIDs are tuples of ints, so Python's tuple order is SNMP's lexicographic order.
"""

from __future__ import annotations

from dataclasses import dataclass

Oid = tuple[int, ...]

INTEGER = 0x02
OCTET_STRING = 0x04
NULL = 0x05
OBJECT_ID = 0x06
SEQUENCE = 0x30
IP_ADDRESS = 0x40
COUNTER32 = 0x41
GAUGE32 = 0x42
TIMETICKS = 0x43
COUNTER64 = 0x46
NO_SUCH_OBJECT = 0x80
NO_SUCH_INSTANCE = 0x81
END_OF_MIB_VIEW = 0x82

GET = 0xA0
GETNEXT = 0xA1
RESPONSE = 0xA2
SET = 0xA3
GETBULK = 0xA5
TRAP_V2 = 0xA7
REPORT = 0xA8

_UNSIGNED = frozenset({COUNTER32, GAUGE32, TIMETICKS, COUNTER64})


class BerError(ValueError):
    """The bytes are not the BER an SNMP message should be."""


@dataclass(frozen=True, slots=True)
class Value:
    """A typed SNMP value: ``tag`` is the BER tag, ``value`` its Python form."""

    tag: int
    value: int | bytes | Oid | None = None


def integer(v: int) -> Value:
    return Value(INTEGER, int(v))


def octets(v: str | bytes) -> Value:
    return Value(OCTET_STRING, v.encode() if isinstance(v, str) else v)


def oid_value(v: Oid) -> Value:
    return Value(OBJECT_ID, v)


def counter32(v: int) -> Value:
    return Value(COUNTER32, int(v) % 2**32)


def gauge32(v: int) -> Value:
    return Value(GAUGE32, max(0, min(int(v), 2**32 - 1)))


def timeticks(v: int) -> Value:
    return Value(TIMETICKS, int(v) % 2**32)


def counter64(v: int) -> Value:
    return Value(COUNTER64, int(v) % 2**64)


def ip_address(text: str) -> Value:
    return Value(IP_ADDRESS, bytes(int(p) for p in text.split(".")))


def parse_oid(text: str) -> Oid:
    return tuple(int(p) for p in text.strip().strip(".").split("."))


def format_oid(oid: Oid) -> str:
    return ".".join(str(p) for p in oid)


# -- encoding --


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _length(len(content)) + content


def _int_bytes(v: int, unsigned: bool) -> bytes:
    if unsigned:
        size = v.bit_length() // 8 + 1  # one spare bit keeps the sign clear
        return v.to_bytes(size, "big")
    size = (v + (v < 0)).bit_length() // 8 + 1
    return v.to_bytes(size, "big", signed=True)


def enc_int(v: int, tag: int = INTEGER) -> bytes:
    return tlv(tag, _int_bytes(v, tag in _UNSIGNED))


def enc_octets(v: bytes) -> bytes:
    return tlv(OCTET_STRING, v)


def enc_oid(oid: Oid) -> bytes:
    if len(oid) < 2:
        oid = (*oid, 0) if oid else (0, 0)
    parts = [oid[0] * 40 + oid[1], *oid[2:]]
    out = bytearray()
    for p in parts:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out.extend(reversed(chunk))
    return tlv(OBJECT_ID, bytes(out))


def seq(*items: bytes, tag: int = SEQUENCE) -> bytes:
    return tlv(tag, b"".join(items))


def enc_value(v: Value) -> bytes:
    if v.tag in (NULL, NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW):
        return tlv(v.tag, b"")
    if v.tag == OBJECT_ID:
        assert isinstance(v.value, tuple)
        return enc_oid(v.value)
    if isinstance(v.value, bytes):
        return tlv(v.tag, v.value)
    assert isinstance(v.value, int)
    return enc_int(v.value, v.tag)


def enc_varbinds(varbinds: list[tuple[Oid, Value]]) -> bytes:
    return seq(*(seq(enc_oid(o), enc_value(v)) for o, v in varbinds))


# -- decoding --


@dataclass(frozen=True, slots=True)
class Tlv:
    tag: int
    start: int  # absolute offset of the content
    end: int  # absolute offset just past the content
    data: bytes

    @property
    def content(self) -> bytes:
        return self.data[self.start : self.end]

    def children(self) -> list[Tlv]:
        out: list[Tlv] = []
        pos = self.start
        while pos < self.end:
            item = read_tlv(self.data, pos, self.end)
            out.append(item)
            pos = item.end
        return out

    def as_int(self) -> int:
        if self.tag not in (INTEGER, *_UNSIGNED) or self.start == self.end:
            raise BerError("expected an integer")
        return int.from_bytes(self.content, "big", signed=self.tag == INTEGER)

    def as_bytes(self) -> bytes:
        if self.tag != OCTET_STRING:
            raise BerError("expected an octet string")
        return self.content

    def as_oid(self) -> Oid:
        if self.tag != OBJECT_ID or self.start == self.end:
            raise BerError("expected an object identifier")
        parts: list[int] = []
        acc = 0
        for b in self.content:
            acc = (acc << 7) | (b & 0x7F)
            if not b & 0x80:
                parts.append(acc)
                acc = 0
        first = parts[0]
        head = (min(first // 40, 2), first - 40 * min(first // 40, 2))
        return (*head, *parts[1:])


def read_tlv(data: bytes, pos: int = 0, limit: int | None = None) -> Tlv:
    limit = len(data) if limit is None else limit
    if pos + 2 > limit:
        raise BerError("truncated")
    tag = data[pos]
    n = data[pos + 1]
    pos += 2
    if n & 0x80:
        count = n & 0x7F
        if count == 0 or count > 4 or pos + count > limit:
            raise BerError("bad length")
        n = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + n > limit:
        raise BerError("truncated")
    return Tlv(tag, pos, pos + n, data)


def decode_value(item: Tlv) -> Value:
    if item.tag in (NULL, NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW):
        return Value(item.tag)
    if item.tag == OBJECT_ID:
        return Value(item.tag, item.as_oid())
    if item.tag in (INTEGER, *_UNSIGNED):
        return Value(item.tag, item.as_int())
    return Value(item.tag, item.content)
