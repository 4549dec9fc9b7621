"""CLI formats of the lab's SSH simulators (YAML data, one file per platform)."""
