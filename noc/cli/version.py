"""``noc version``: print the version of the platform and of its key libraries."""

from __future__ import annotations

import argparse
import platform
from importlib import metadata
from typing import Any

import noc

_LIBRARIES = ("fastapi", "pydantic", "apscheduler", "prometheus-client", "influxdb-client")


def add(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("version", help="print versions and exit")
    p.add_argument("--verbose", "-v", action="store_true", help="also list library versions")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print(f"noc-command-center {noc.__version__}")
    if args.verbose:
        print(f"python {platform.python_version()}")
        for lib in _LIBRARIES:
            try:
                print(f"{lib} {metadata.version(lib)}")
            except metadata.PackageNotFoundError:
                print(f"{lib} (not installed)")
    return 0
