"""The ``influxdb`` metric backend: line protocol through influxdb-client, with a disk spool."""
