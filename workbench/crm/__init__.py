"""CRM systems as data: per system, how its export becomes the snapshot and how its import wizard
loads a change set (one YAML file each, shipped beside this module; an analyst's own by path)."""
from __future__ import annotations

from workbench.crm.load import DEFAULT, load_layout, parse_layout, shipped_names
from workbench.crm.model import CrmLayout

__all__ = ["DEFAULT", "CrmLayout", "load_layout", "parse_layout", "shipped_names"]
