"""SNMP collection: an async collector reading devices with declarative YAML profiles."""

from collectors.snmp.collector import SnmpCollector, SnmpConfig

__all__ = ["SnmpCollector", "SnmpConfig"]
