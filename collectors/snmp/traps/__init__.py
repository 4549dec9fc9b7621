"""SNMP trap reception: rules (YAML) that turn notifications into observations, and the receiver."""

from collectors.snmp.traps.receiver import TrapConfig, TrapObservation, TrapReceiver, TrapStats
from collectors.snmp.traps.rules import TrapRule, TrapRules, load_rules

__all__ = [
    "TrapConfig",
    "TrapObservation",
    "TrapReceiver",
    "TrapRule",
    "TrapRules",
    "TrapStats",
    "load_rules",
]
