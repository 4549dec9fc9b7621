"""Alerting: rules, the alert state machine, incidents, mute stages and notifiers (next issue)."""
