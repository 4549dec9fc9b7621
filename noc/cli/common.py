"""What several commands share: settings from the environment plus command-line overrides."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from noc.clock import SystemClock
from noc.settings import Settings, load_settings
from noc.store.events import EventStore, open_event_store


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, help="where the stores live (default: $NOC_DATA_DIR or ./var)"
    )


def settings_from(args: argparse.Namespace, **extra: Any) -> Settings:
    overrides = {k: v for k, v in extra.items() if v is not None}
    if getattr(args, "data_dir", None) is not None:
        overrides["data_dir"] = args.data_dir
    return load_settings(**overrides)


def open_events(settings: Settings) -> EventStore:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return open_event_store(settings.events_path, SystemClock())
