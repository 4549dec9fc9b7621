"""An incident's title in each language of the app.

The event store keeps the English title the incident opened with (it is what the audit chain
and the auditors' export carry). The rule that fired rendered its summary in every language;
the alerting journal keeps that alert, restarts included, so the wall and the incident pages
show the title in the reader's language and fall back to the stored one.
"""

from __future__ import annotations

from alerting.incidents import PLANNED
from alerting.journal import Journal
from noc.store.events import Incident
from noc.web.i18n import LANGUAGES, translate

PLANNED_KEY = "incident.planned_prefix"


def incident_titles(incident: Incident, journal: Journal | None) -> dict[str, str]:
    """``{"id": ..., "en": ...}``; a language the alert has no summary for gets the stored title."""
    record = (
        journal.alert(incident.source_alert)
        if journal is not None and incident.source_alert
        else None
    )
    planned = incident.title.startswith(PLANNED)
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        summary = record.alert.summary.get(lang) if record is not None else None
        if not summary:
            out[lang] = incident.title
            continue
        out[lang] = translate(PLANNED_KEY, lang) + summary if planned else summary
    return out
