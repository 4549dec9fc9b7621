"""The lab's SNMP agents: a small BER codec, v2c and v3 (USM) message handling, traps."""
