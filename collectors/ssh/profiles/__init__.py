"""SSH device profiles (YAML data, one file per platform)."""
