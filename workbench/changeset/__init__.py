"""Build the change set: what to insert, update and link, and the outcome of every input row.

One module per job: ``outcomes`` decides each row's status and the records it names,
``organisations``, ``persons`` and ``contacts`` decide the changes of one entity each (all through
``merge``, which merges the rows of a record and applies the update policies), ``history`` keeps
the address history of organisations that move, ``frames`` holds the small shared helpers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from workbench.changeset.contacts import contact_changes, existing_links, known_links
from workbench.changeset.frames import as_nullable_int, crm_frame, export_columns, stack_rows
from workbench.changeset.organisations import organisation_changes
from workbench.changeset.outcomes import (
    ACTIONS,
    OUTCOME_COLUMNS,
    STATUSES,
    explain_unchanged,
    row_outcomes,
    run_counts,
    with_actions,
)
from workbench.changeset.persons import known_person_ids, person_changes
from workbench.changeset.prefetch import CrmReads
from workbench.definition import Definition

__all__ = ["ACTIONS", "OUTCOME_COLUMNS", "STATUSES", "ChangeSet", "build_changeset"]

DIFF_COLUMNS = ["entity", "id", "action", "field", "old", "new", "source_row", "run_id"]


@dataclass
class ChangeSet:
    """Tables to load (per entity and action), the field-level diff and the row outcomes."""

    run_id: str
    tables: dict[str, pd.DataFrame]
    changes: pd.DataFrame
    outcomes: pd.DataFrame
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def _created_here(m: pd.DataFrame) -> tuple[set, set]:
    """The organisations and persons this run creates."""
    # never decided by the id's spelling: a test environment made by `workbench apply` holds ids
    # that started life as NEW-… in an earlier run
    new_orgs = set(m.loc[m["crm_org_id"].isna(), "org_entity"].dropna())
    new_persons = set(m.loc[m["crm_person_id"].isna(), "person_entity"].dropna())
    return new_orgs, new_persons


def _diff(diffs: list[pd.DataFrame], run_id: str) -> pd.DataFrame:
    """The field-level diff of all entities, one line per field changed."""
    diff = stack_rows(diffs)
    diff["run_id"] = run_id
    diff = diff.reindex(columns=DIFF_COLUMNS)
    diff["source_row"] = as_nullable_int(diff["source_row"])
    return diff


def build_changeset(raw: pd.DataFrame, std: pd.DataFrame, rejections: pd.Series,
                    blank: pd.Series, matches: pd.DataFrame, con: duckdb.DuckDBPyConnection,
                    definition: Definition, run_id: str) -> ChangeSet:
    """Decide every row's outcome and collect the records to insert and update."""
    # the same rows in the same order need no copy (both are only read here)
    m = matches if matches.index.equals(raw.index) else matches.reindex(raw.index)
    if not std.index.equals(raw.index):
        std = std.reindex(raw.index)
    out = row_outcomes(raw, std, rejections, blank, m, definition)
    new_orgs, new_persons = _created_here(m)
    with CrmReads(con) as reads:  # the persons and links read while the organisations merge
        reads.start("persons", crm_frame, "persons", "person_id",
                    known_person_ids(out, new_persons))
        reads.start("links", existing_links, known_links(out, new_orgs, new_persons))
        orgs = organisation_changes(out["org_id"].dropna(), std, con, definition, run_id,
                                    new_orgs)
        persons = person_changes(out, std, con, definition, run_id, new_persons,
                                 reads.take("persons"))
        contacts = contact_changes(out, std, con, definition, run_id, new_orgs, new_persons,
                                   (orgs.crm, orgs.inserts, orgs.updates), reads.take("links"))
    out = with_actions(out, orgs.actions, persons.actions, contacts.link_actions,
                       contacts.extra_actions)
    out = explain_unchanged(out, m, definition)
    tables = export_columns({
        "organisations_insert": orgs.inserts, "organisations_update": orgs.updates,
        "address_history": orgs.history,
        "persons_insert": persons.inserts, "persons_update": persons.updates,
        "contacts_insert": contacts.inserts, "contacts_update": contacts.updates})
    outcomes = out[OUTCOME_COLUMNS].reset_index(drop=True)
    return ChangeSet(run_id=run_id, tables=tables,
                     changes=_diff([*orgs.diffs, persons.diff, *contacts.diffs], run_id),
                     outcomes=outcomes, counts=run_counts(outcomes, tables))
