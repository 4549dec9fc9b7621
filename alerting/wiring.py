"""Build the alerting service from its settings: what the composition root calls.

``build_alerting(events, clock, topology, config, journal_path)`` returns an
:class:`~alerting.service.AlertingService`; ``load_alerting_config(path)`` reads the settings
file (``None``: defaults, no channels) with file:line errors.
"""

from __future__ import annotations

from pathlib import Path

from alerting.config import AlertingConfig, build_notifiers
from alerting.dispatch import Dispatcher
from alerting.engine import AlertEngine
from alerting.escalation import Escalator
from alerting.incidents import IncidentManager
from alerting.journal import Journal
from alerting.links import LinkStates
from alerting.mute import InhibitionMuter, MaintenanceMuter, MuteStages, SilenceMuter
from alerting.notify.base import Notifier
from alerting.rule_loader import load_rules
from alerting.service import AlertingService
from alerting.topology_view import TopologyView, WithPower, inventory_of
from alerting.yamlcheck import validate_yaml
from noc.clock import Clock
from noc.errors import ConfigError
from noc.store.events import EventStore

JOURNAL_NAME = "alerting.sqlite"


def journal_path(data_dir: Path) -> Path:
    """Where alerting keeps its journal: next to the event store."""
    return data_dir / JOURNAL_NAME


def load_alerting_config(path: str | Path | None) -> AlertingConfig:
    if path is None:
        return AlertingConfig()
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot read the alerting settings {file}: {e.strerror}") from None
    parsed, _src, problems = validate_yaml(text, str(file), AlertingConfig)
    if parsed is None:
        first = problems[0] if problems else f"{file}: invalid"
        raise ConfigError(str(first), hint="fix the alerting settings file")
    return parsed


def build_alerting(
    events: EventStore,
    clock: Clock,
    topology: TopologyView,
    config: AlertingConfig,
    journal_path: str | Path,
    *,
    notifiers: dict[str, Notifier] | None = None,
) -> AlertingService:
    """Everything wired; ``notifiers`` overrides the configured channels (tests)."""
    rules = load_rules(config.rule_files)
    inventory = inventory_of(topology)
    topology = WithPower.around(topology)
    built = build_notifiers(config) if notifiers is None else notifiers
    journal = Journal(journal_path)
    incidents = IncidentManager(events, journal, topology, reopen_within=config.reopen_within)
    stages = MuteStages(
        [
            MaintenanceMuter(events.maintenance, topology, inventory),
            SilenceMuter(events.silences),
            InhibitionMuter(topology, incidents.open_incident_for),
        ]
    )
    dispatcher = Dispatcher(
        journal,
        built,
        grouping=config.group,
        retry=config.retry,
        min_severity={c.name: c.min_severity for c in config.channels},
    )
    escalator = None
    if config.escalation is not None:
        rotations = {r.name: r for r in config.rotations}
        escalator = Escalator(
            events, journal, config.escalation, rotations, list(built), config.people
        )
    engine = AlertEngine(rules, topology)
    service = AlertingService(engine, stages, incidents, dispatcher, journal, clock, escalator)
    service.subscribe(service.feed.publish)
    if inventory is not None:
        service.links = LinkStates(inventory)
        if isinstance(topology, WithPower):
            topology.ring_ends = service.links.down_ends
    return service
