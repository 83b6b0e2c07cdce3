"""Organisations: one insert per new organisation, one update per changed existing one, and the
address history of those that move."""
from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from workbench.changeset.frames import crm_frame, extra_columns
from workbench.changeset.history import address_history
from workbench.changeset.merge import entity_changes
from workbench.definition import Definition
from workbench.fields import ADDRESS_FIELDS, ORG_FIELDS


@dataclass(frozen=True)
class OrganisationChanges:
    """The organisation tables, their diff lines and the organisation action of every row."""

    inserts: pd.DataFrame
    updates: pd.DataFrame
    history: pd.DataFrame
    crm: pd.DataFrame  # the CRM records of the existing organisations the rows name
    diffs: list[pd.DataFrame]
    actions: pd.Series


def _moving_definition(definition: Definition) -> Definition:
    """The definition for a moving organisation: its address is replaced whatever the policy."""
    address_policy = {f"org_{f}": "overwrite" for f in ADDRESS_FIELDS}
    return replace(definition, update_existing=True,
                   field_policies={**definition.field_policies, **address_policy})


def organisation_changes(orgs: pd.Series, std: pd.DataFrame, con: duckdb.DuckDBPyConnection,
                         definition: Definition, run_id: str, new_orgs: set) -> OrganisationChanges:
    """Inserts, updates and address history of the organisations the rows name."""
    crm_orgs = crm_frame(con, "organisations", "org_id", sorted(set(orgs) - new_orgs))
    moving, history = address_history(orgs, std, crm_orgs, new_orgs, run_id)
    moved_rows = orgs.isin(moving)
    fields = {**ORG_FIELDS, **extra_columns(std, "org_")}
    parts = [entity_changes("organisation", orgs[~moved_rows], std, fields, crm_orgs,
                            definition, run_id, new_ids=pd.Series(sorted(new_orgs), dtype=object)),
             entity_changes("organisation", orgs[moved_rows], std, fields, crm_orgs,
                            _moving_definition(definition), run_id,
                            new_ids=pd.Series([], dtype=object))]
    inserts = pd.concat([p.inserts for p in parts if len(p.inserts)] or [parts[0].inserts])
    updates = pd.concat([p.updates for p in parts if len(p.updates)] or [parts[0].updates])
    # the import wizards' "postal address is visiting address" flag, for the records they create
    inserts["postal_address_is_visiting"] = "true" if definition.postal_is_visiting else "false"
    return OrganisationChanges(inserts=inserts, updates=updates, history=history, crm=crm_orgs,
                               diffs=[p.diff for p in parts],
                               actions=pd.concat([p.actions for p in parts]))
