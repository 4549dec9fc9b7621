"""Entry point of the ``noc`` command.

Each command lives in its own module under ``noc.cli`` (found by name, no list to edit) and
exposes ``add(subparsers)``,
which registers its parser and sets ``func`` to a callable taking the parsed arguments
and returning the process exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from noc.errors import NocError
from noc.logs import scrub

_NOT_COMMANDS = frozenset({"main", "common"})


def command_modules() -> list[str]:
    """Every module of ``noc.cli`` that defines ``add``: a new command needs no edit here."""
    import noc.cli

    names = [m.name for m in pkgutil.iter_modules(noc.cli.__path__) if not m.ispkg]
    return sorted(n for n in names if n not in _NOT_COMMANDS and not n.startswith("_"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="noc",
        description="NOC Command Center: monitor the city's network and data center.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in command_modules():
        module = importlib.import_module(f"noc.cli.{name}")
        if hasattr(module, "add"):
            module.add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except NocError as err:
        print(f"noc {args.command}: {scrub(str(err))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # a bug: one sentence for the user, the traceback on request
        if os.environ.get("NOC_DEBUG"):
            raise
        print(
            f"noc {args.command}: internal error ({type(err).__name__}: {scrub(str(err))}); "
            "run again with NOC_DEBUG=1 to see the traceback and report it",
            file=sys.stderr,
        )
        return 1
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
