"""Row outcomes: the status, reason and record ids of every input row, then the actions the
entities took for it, and the counts of a run."""
from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.definition import Definition
from workbench.match.classify import REVIEW
from workbench.messages import in_every_language, leads, say
from workbench.validate import (
    join_reasons,
    person_without_last_name,
    rule_new_organisation_needs_name_and_address,
    rule_new_person_needs,
)

STATUSES = ("accepted", "in_file_duplicate", "skipped", "rejected")
ACTIONS = ("insert", "update", "unchanged", "none")
ACTION_COLUMNS = ("org_action", "person_action", "contact_action")
OUTCOME_COLUMNS = ["source_row", "status", "org_action", "person_action", "contact_action",
                   "org_id", "person_id", "duplicate_of", "reason"]
# The reasons of the definition's actions, worded once (workbench.messages): they are counted
# by these words too, in either language.
ENTITIES = {"organisations": ("organisation", "crm_org_id", "org"),
            "persons": ("person", "crm_person_id", "person")}


def not_created(entity: str) -> str:
    """The reason of a row whose record of ``entity`` is not in the CRM and not created."""
    return say(f"outcome.not_created.{entity}")


def first_verdicts(raw: pd.DataFrame, rejections: pd.Series, blank: pd.Series) -> pd.DataFrame:
    """One outcome per row: blank rows skipped, rows the checks refused rejected, others open."""
    out = pd.DataFrame({"source_row": raw["source_row"].to_numpy()}, index=raw.index)
    out["status"] = None
    for col in ACTION_COLUMNS:
        out[col] = "none"
    for col in ("org_id", "person_id", "duplicate_of", "reason"):
        out[col] = None
    out.loc[blank, ["status", "reason"]] = ["skipped", say("outcome.blank_row")]
    rejected = rejections.dropna()
    out.loc[rejected.index, "status"] = "rejected"
    out.loc[rejected.index, "reason"] = rejected.to_numpy()
    return out


def _review_reason(m: pd.DataFrame, level: str, id_col: str, prefix: str) -> pd.Series:
    """Why a row waits: the CRM record or earlier row it may be, the score and what agreed."""
    other_row = m.get(f"{prefix}_review_row", pd.Series(None, index=m.index, dtype=object))
    waiting = m[f"{prefix}_band"].eq(REVIEW)  # a sentence for the rows that wait, not all
    out = pd.Series(None, index=m.index, dtype=object)
    m, other_row = m[waiting], other_row[waiting]
    out[waiting] = [
        say(f"outcome.review_crm.{level}", id=crm_id, score=f"{score:.2f}", why=why)
        if pd.isna(row) else
        say(f"outcome.review_row.{level}", row=row, score=f"{score:.2f}", why=why)
        for crm_id, row, score, why in zip(
            m[id_col].astype(str), other_row.astype(object), m[f"{prefix}_score"],
            m[f"{prefix}_explanation"].astype(str), strict=True)]
    return out


def _settle(out: pd.DataFrame, mask: pd.Series, status: str, reasons: pd.Series | str) -> None:
    """Give the rows of mask that are still open this status and reason."""
    mask = mask & out["status"].isna()
    out.loc[mask, "status"] = status
    out.loc[mask, "reason"] = reasons[mask] if isinstance(reasons, pd.Series) else reasons


def settle_by_definition(out: pd.DataFrame, m: pd.DataFrame, std: pd.DataFrame,
                         definition: Definition) -> pd.DataFrame:
    """Rows the definition skips (undecided pairs, new records not wanted) or refuses (a new
    organisation without a name or address)."""
    out = out.copy()
    new_org = m["has_org"].eq(True) & m["crm_org_id"].isna()
    if definition.undecided == "skip":
        _settle(out, m["org_band"].eq(REVIEW), "skipped",
                _review_reason(m, "organisation", "crm_org_id", "org"))
        _settle(out, m["person_band"].eq(REVIEW), "skipped",
                _review_reason(m, "person", "crm_person_id", "person"))
    if not definition.creates("organisations"):
        _settle(out, new_org, "skipped", not_created("organisations"))
    # a person-only row whose person is not created makes nothing at all
    _settle(out, _person_held_back(m, definition) & m["has_org"].ne(True), "skipped",
            not_created("persons"))
    incomplete = _incomplete_new_organisations(out, std, new_org)
    _settle(out, incomplete.notna(), "rejected", incomplete)
    _settle_new_persons(out, m, std, definition)
    return out


def _incomplete_new_organisations(out: pd.DataFrame, std: pd.DataFrame, new_org: pd.Series
                                  ) -> pd.Series:
    """Why an open row of a new organisation is refused (no name or usable address), per row."""
    todo = (new_org & out["status"].isna()).to_numpy(dtype=bool)
    reasons = pd.Series(None, index=out.index, dtype=object)
    if todo.any():  # the rule checks only the rows it can still refuse
        reasons[todo] = rule_new_organisation_needs_name_and_address(
            std[todo], new_org[todo]).to_numpy()
    return reasons


def _person_held_back(m: pd.DataFrame, definition: Definition) -> pd.Series:
    """True where the row names a person the CRM does not hold and persons are not created."""
    return (m["has_person"].eq(True) & m["crm_person_id"].isna() & definition.import_persons
            & (not definition.creates("persons")))


def _settle_new_persons(out: pd.DataFrame, m: pd.DataFrame, std: pd.DataFrame,
                        definition: Definition) -> None:
    """Reject the rows of a new person without a field the target CRM requires (AFAS Profit:
    Geslacht), as its wizard would: the canonical accounting tells the same story."""
    from workbench.crm import load_layout

    if not (definition.import_persons and definition.creates("persons")):
        return
    layout = load_layout(definition.target)
    new_person = m["person_entity"].where(m["has_person"].eq(True) & m["crm_person_id"].isna())
    for fields, columns in layout.new_person_needs():
        reasons = rule_new_person_needs(std, new_person, fields, columns, layout.system)
        _settle(out, reasons.notna(), "rejected", reasons)


def record_ids(m: pd.DataFrame, todo: pd.Series, definition: Definition
               ) -> tuple[pd.Series, pd.Series]:
    """The organisation and person of every open row (None where the row makes none)."""
    org = m["org_entity"].where(m["has_org"].eq(True) & todo)
    person = m["person_entity"].where(m["has_person"].eq(True) & todo)
    if not definition.import_persons:
        person[:] = None
    if not definition.creates("persons"):
        person = person.where(m["crm_person_id"].notna())
    return org, person


def mark_in_file_duplicates(out: pd.DataFrame, m: pd.DataFrame, std: pd.DataFrame,
                            org: pd.Series, person: pd.Series) -> pd.DataFrame:
    """Open rows accepted, or a duplicate of the first row naming the same records."""
    out = out.copy()
    todo = out["status"].isna()
    key = org.fillna("").astype(str) + "|" + person.fillna("").astype(str)
    for col in ("department_name", "delivery_postcode", "delivery_house_number"):
        if col in std:  # another department or delivery address is another record, no duplicate
            key = key + "|" + std[col].fillna("").astype(str).str.lower()
    # the first row of a group carries it; a row without a last name never comes first
    partial = person_without_last_name(std).to_numpy() & m["has_org"].ne(True).to_numpy()
    ranked = pd.DataFrame({"key": key, "partial": partial, "sr": out["source_row"]})[todo]
    ranked = ranked.sort_values(["partial", "sr"], kind="mergesort")
    first_sr = ranked.groupby("key")["sr"].transform("first").reindex(out.index)
    dup = todo & (out["source_row"] != first_sr)
    out.loc[todo & ~dup, "status"] = "accepted"
    out.loc[dup, "status"] = "in_file_duplicate"
    out.loc[dup, "duplicate_of"] = first_sr[dup].astype(int)
    out.loc[dup, "reason"] = say("outcome.in_file_duplicate")
    return out


def row_outcomes(raw: pd.DataFrame, std: pd.DataFrame, rejections: pd.Series, blank: pd.Series,
                 m: pd.DataFrame, definition: Definition) -> pd.DataFrame:
    """Status, reason, record ids and duplicate_of of every row; actions 'none' for now."""
    out = settle_by_definition(first_verdicts(raw, rejections, blank), m, std, definition)
    todo = out["status"].isna()
    org, person = record_ids(m, todo, definition)
    out.loc[todo, "org_id"] = org[todo]
    out.loc[todo, "person_id"] = person[todo]
    # the row goes on for its organisation; why its person is left out is said
    out.loc[todo & _person_held_back(m, definition), "reason"] = not_created("persons")
    return mark_in_file_duplicates(out, m, std, org, person)


def explain_unchanged(out: pd.DataFrame, m: pd.DataFrame, definition: Definition
                      ) -> pd.DataFrame:
    """With update_existing off, the reason of each accepted row whose existing organisation or
    person is left as the CRM has it."""
    if definition.update_existing:
        return out
    out = out.copy()
    accepted = out["status"].eq("accepted")
    for entity, (_, crm_col, prefix) in ENTITIES.items():
        kept = accepted & out[f"{prefix}_action"].eq("unchanged") & m[crm_col].notna()
        reason = pd.Series(None, index=out.index, dtype=object)
        reason[kept] = [say(f"outcome.not_updated.{entity}", id=crm_id)
                        for crm_id in m.loc[kept, crm_col].astype(str)]
        out["reason"] = join_reasons(out["reason"], reason)
    return out


def with_actions(out: pd.DataFrame, org_actions: pd.Series, person_actions: pd.Series,
                 link_actions: pd.Series, extra_actions: pd.Series | None) -> pd.DataFrame:
    """The outcomes with the action taken per entity; in-file duplicates take none of their own
    (they are merged into their original)."""
    out = out.copy()
    out.loc[org_actions.index, "org_action"] = org_actions
    out.loc[person_actions.index, "person_action"] = person_actions
    out.loc[link_actions.index, "contact_action"] = link_actions
    if extra_actions is not None:
        # a department or delivery address counts where the person link did nothing
        took = extra_actions.index
        current_action = out.loc[took, "contact_action"]
        out.loc[took, "contact_action"] = current_action.where(
            current_action.isin(["insert", "update"]), extra_actions)
    dup = out["status"] == "in_file_duplicate"
    out.loc[dup, list(ACTION_COLUMNS)] = "none"
    return out


def run_counts(outcomes: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, int]]:
    """How many rows per status and action, and how many records per file."""
    counted = {col: outcomes[col].value_counts() for col in ("status", *ACTION_COLUMNS)}
    return {
        "status": {s: int(counted["status"].get(s, 0)) for s in STATUSES},
        **{col: {a: int(counted[col].get(a, 0)) for a in ACTIONS} for col in ACTION_COLUMNS},
        "files": {name: len(frame) for name, frame in tables.items()},
        "held_back": _held_back(outcomes["reason"]),
    }


def _held_back(reasons: pd.Series) -> dict[str, int]:
    """Rows whose records the definition's actions left alone: not created, not changed."""
    # each distinct reason read once, counted as often as rows give it
    text = reasons.dropna().astype(str).value_counts()
    out = {}
    for entity in ENTITIES:
        out[f"{entity}_not_created"] = _mentioning(
            text, in_every_language(f"outcome.not_created.{entity}"))
        out[f"{entity}_not_updated"] = _mentioning(text, leads(f"outcome.not_updated.{entity}"))
    return out


def _mentioning(text: pd.Series, sentences: tuple[str, ...]) -> int:
    """How many rows hold one of ``sentences`` (the same sentence in each language); ``text``:
    how many rows give each distinct reason."""
    found = [any(said in reason for said in dict.fromkeys(sentences)) for reason in text.index]
    return int(text[np.asarray(found, dtype=bool)].sum())
