"""Engine choice: gufo-snmp polls (it is faster); pysnmp where gufo-snmp lacks a feature."""

from __future__ import annotations

from collectors.snmp.client import SnmpEngine, SnmpSession, SnmpTarget


class AutoEngine:
    """gufo-snmp for v1/v2c and v3 without a context name; pysnmp for v3 context names."""

    name = "auto"

    def __init__(self) -> None:
        from collectors.snmp.gufo_engine import GufoEngine

        self._gufo = GufoEngine()
        self._pysnmp: SnmpEngine | None = None

    def session(self, target: SnmpTarget) -> SnmpSession:
        if target.auth.version == "v3" and target.auth.context:
            if self._pysnmp is None:
                from collectors.snmp.pysnmp_engine import PysnmpEngine

                self._pysnmp = PysnmpEngine()
            return self._pysnmp.session(target)
        return self._gufo.session(target)

    async def close(self) -> None:
        await self._gufo.close()
        if self._pysnmp is not None:
            await self._pysnmp.close()


def make_engine(name: str) -> SnmpEngine:
    if name == "pysnmp":
        from collectors.snmp.pysnmp_engine import PysnmpEngine

        return PysnmpEngine()
    return AutoEngine()
