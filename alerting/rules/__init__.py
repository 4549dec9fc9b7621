"""The default rule set: one YAML file per area. Metric names follow the collectors."""
