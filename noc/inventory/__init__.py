"""Load and check ``inventory.yaml``: the validated model of the city's network.

``load_inventory(path)`` returns the :class:`~noc.model.inventory.Inventory` or raises
:class:`InventoryError` listing every problem; ``check_inventory(path)`` returns a
:class:`CheckReport` with every error and design warning, each with file, line and key.
"""

from noc.inventory.loader import check_inventory, check_text, load_inventory, parse_inventory
from noc.inventory.problems import CheckReport, InventoryError, Problem, Severity, Summary
from noc.inventory.render import render_json, render_text

__all__ = [
    "CheckReport",
    "InventoryError",
    "Problem",
    "Severity",
    "Summary",
    "check_inventory",
    "check_text",
    "load_inventory",
    "parse_inventory",
    "render_json",
    "render_text",
]
