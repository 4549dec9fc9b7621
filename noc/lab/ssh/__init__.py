"""The lab's SSH side: device simulators answering CLI commands from the lab state."""
