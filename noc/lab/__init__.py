"""The simulated city lab: devices of inventory.yaml answering SNMP and SSH on loopback."""
