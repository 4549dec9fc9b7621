"""A device's MIB at one moment: sorted OIDs answering GET, GETNEXT and GETBULK."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping

from noc.lab.snmp import ber
from noc.lab.snmp.ber import Oid, Value

NO_SUCH_OBJECT = Value(ber.NO_SUCH_OBJECT)
NO_SUCH_INSTANCE = Value(ber.NO_SUCH_INSTANCE)
END_OF_MIB_VIEW = Value(ber.END_OF_MIB_VIEW)


class MibView:
    def __init__(self, values: Mapping[Oid, Value]) -> None:
        self._values = dict(values)
        self._oids = sorted(self._values)

    def __len__(self) -> int:
        return len(self._oids)

    def items(self) -> list[tuple[Oid, Value]]:
        return [(o, self._values[o]) for o in self._oids]

    def get(self, oid: Oid) -> Value:
        found = self._values.get(oid)
        if found is not None:
            return found
        # noSuchInstance when the object (the OID less its last sub-identifier) exists.
        parent = oid[:-1]
        i = bisect_right(self._oids, parent)
        if parent and i < len(self._oids) and self._oids[i][: len(parent)] == parent:
            return NO_SUCH_INSTANCE
        return NO_SUCH_OBJECT

    def next(self, oid: Oid) -> tuple[Oid, Value]:
        i = bisect_right(self._oids, oid)
        if i >= len(self._oids):
            return oid, END_OF_MIB_VIEW
        found = self._oids[i]
        return found, self._values[found]
