"""Build the change set: what to insert, update and link, and the outcome of every input row."""
from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from workbench.definition import Definition
from workbench.fields import CONTACT_FIELDS, CRM_TABLES, ORG_FIELDS, PERSON_FIELDS
from workbench.match.classify import REVIEW
from workbench.validate import has_address

STATUSES = ("accepted", "in_file_duplicate", "skipped", "rejected")
ACTIONS = ("insert", "update", "unchanged", "none")
OUTCOME_COLUMNS = ["source_row", "status", "org_action", "person_action", "contact_action",
                   "org_id", "person_id", "duplicate_of", "reason"]


@dataclass
class ChangeSet:
    """Tables to load (per entity and action), the field-level diff and the row outcomes."""

    run_id: str
    tables: dict[str, pd.DataFrame]
    changes: pd.DataFrame
    outcomes: pd.DataFrame
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or \
        (isinstance(value, str) and value.strip() == "") or value is pd.NA


def _first_values(rows: pd.DataFrame, fields: dict[str, str]) -> dict[str, object]:
    """Per CRM column the first non-empty value among the rows (in source order)."""
    out: dict[str, object] = {}
    for src, crm in fields.items():
        if src not in rows:
            continue
        values = [v for v in rows[src].tolist() if not _blank(v)]
        if values:
            out[crm] = values[0]
    return out


def _contributor(rows: pd.DataFrame, src: str) -> int:
    """The source_row of the first row with a value in ``src``."""
    for sr, v in zip(rows["source_row"], rows[src], strict=True):
        if not _blank(v):
            return int(sr)
    return int(rows["source_row"].iloc[0])


def _apply_policy(current: dict[str, object], incoming: dict[str, object], definition: Definition,
                  prefix: str, fields: dict[str, str]) -> dict[str, object]:
    """The CRM columns to change on an existing record, under each field's update policy."""
    if not definition.update_existing:
        return {}
    target_of = {crm: src for src, crm in fields.items()}
    changed = {}
    for crm, new in incoming.items():
        policy = definition.policy_for(target_of.get(crm, f"{prefix}{crm}"))
        old = current.get(crm)
        if policy == "leave" or _blank(new):  # an empty incoming value never erases CRM data
            continue
        if policy == "fill_empty" and not _blank(old):
            continue
        if str(old) != str(new):
            changed[crm] = new
    return changed


def _fetch(con: duckdb.DuckDBPyConnection, table: str, key: str, ids: list[str]) -> dict[str, dict]:
    if not ids:
        return {}
    frame = con.execute(f"SELECT * FROM {table} WHERE {key} IN (SELECT unnest(?))", [ids]).df()
    frame = frame.astype(object).where(frame.notna(), None)
    return {r[key]: r for r in frame.to_dict("records")}


def _table(records: list[dict], table: str, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    columns = [*CRM_TABLES[table], *extra, "run_id", "source_row"]
    return pd.DataFrame(records, columns=columns)


def build_changeset(raw: pd.DataFrame, std: pd.DataFrame, rejections: pd.Series,
                    blank: pd.Series, matches: pd.DataFrame, con: duckdb.DuckDBPyConnection,
                    definition: Definition, run_id: str) -> ChangeSet:
    """Decide every row's outcome and collect the records to insert and update."""
    out = pd.DataFrame({"source_row": raw["source_row"].to_numpy()}, index=raw.index)
    out["status"] = None
    for col in ("org_action", "person_action", "contact_action"):
        out[col] = "none"
    for col in ("org_id", "person_id", "duplicate_of", "reason"):
        out[col] = None
    out.loc[blank, ["status", "reason"]] = ["skipped", "blank row"]
    rejected = rejections.dropna()
    out.loc[rejected.index, "status"] = "rejected"
    out.loc[rejected.index, "reason"] = rejected.to_numpy()

    m = matches.reindex(raw.index)
    new_org = m["has_org"].eq(True) & m["crm_org_id"].isna()
    seen: dict[tuple[object, object], int] = {}
    org_rows: dict[str, list[int]] = {}
    person_rows: dict[str, list[int]] = {}
    addressed = has_address(std)
    for idx in m.index[out["status"].isna()]:
        row = m.loc[idx]
        reason = None
        if row["org_band"] == REVIEW and definition.undecided == "skip":
            reason = (f"needs review: may be CRM organisation {row['crm_org_id']} "
                      f"(score {row['org_score']:.2f}: {row['org_explanation']})")
        elif row["person_band"] == REVIEW and definition.undecided == "skip":
            reason = (f"needs review: may be CRM person {row['crm_person_id']} "
                      f"(score {row['person_score']:.2f}: {row['person_explanation']})")
        if reason:
            out.loc[idx, ["status", "reason"]] = ["skipped", reason]
            continue
        if new_org[idx] and not definition.create_new:
            out.loc[idx, ["status", "reason"]] = [
                "skipped", "organisation not found in the CRM and 'create new' is off"]
            continue
        if new_org[idx] and (_blank(std.at[idx, "org_name"]) or not addressed[idx]):
            out.loc[idx, ["status", "reason"]] = [
                "rejected", "a new organisation needs a name and an address "
                            "(postcode and house number, or street, house number and city)"]
            continue
        org = row["org_entity"] if row["has_org"] else None
        person = row["person_entity"] if row["has_person"] and definition.import_persons else None
        if person is not None and str(person).startswith("NEW-") and not definition.create_new:
            person = None
        key = (org, person)
        if key in seen:
            out.loc[idx, ["status", "duplicate_of"]] = ["in_file_duplicate", seen[key]]
            out.loc[idx, "reason"] = "same organisation and person as an earlier row"
        else:
            seen[key] = int(row["source_row"])
            out.loc[idx, "status"] = "accepted"
        out.loc[idx, "org_id"] = org
        out.loc[idx, "person_id"] = person
        if org is not None:
            org_rows.setdefault(org, []).append(idx)
        if person is not None:
            person_rows.setdefault(person, []).append(idx)

    tables: dict[str, list[dict]] = {name: [] for name in (
        "organisations_insert", "organisations_update", "persons_insert", "persons_update",
        "contacts_insert", "contacts_update")}
    changes: list[dict] = []

    def record_changes(entity: str, rid: str, action: str, old: dict, new: dict, rows: pd.DataFrame,
                       fields: dict[str, str]) -> None:
        src_of = {crm: src for src, crm in fields.items()}
        for crm, value in new.items():
            src = src_of.get(crm)
            changes.append({"entity": entity, "id": rid, "action": action, "field": crm,
                            "old": old.get(crm), "new": value,
                            "source_row": _contributor(rows, src) if src in rows else
                            int(rows["source_row"].iloc[0]), "run_id": run_id})

    def contributors(changed: dict, rows: pd.DataFrame, fields: dict[str, str]) -> set[int]:
        src_of = {crm: src for src, crm in fields.items()}
        return {_contributor(rows, src_of[c]) for c in changed if src_of.get(c) in rows}

    # Organisations: one insert per new organisation, one update per changed existing one.
    crm_orgs = _fetch(con, "organisations", "org_id",
                      [o for o in org_rows if not str(o).startswith("NEW-")])
    for org, idxs in org_rows.items():
        rows = std.loc[idxs]
        values = _first_values(rows, ORG_FIELDS)
        first_sr = int(rows["source_row"].iloc[0])
        if str(org).startswith("NEW-"):
            values = {k: v for k, v in values.items()}
            tables["organisations_insert"].append({**values, "org_id": org, "run_id": run_id,
                                                   "source_row": first_sr})
            record_changes("organisation", org, "insert", {}, values, rows, ORG_FIELDS)
            first = idxs[0]
            out.loc[first, "org_action"] = "insert"
            out.loc[idxs[1:], "org_action"] = "unchanged"
            continue
        current = crm_orgs.get(org, {})
        changed = _apply_policy(current, values, definition, "org_", ORG_FIELDS)
        out.loc[idxs, "org_action"] = "unchanged"
        if changed:
            who = contributors(changed, rows, ORG_FIELDS)
            tables["organisations_update"].append({**current, **changed, "changed_fields":
                                                   ",".join(changed), "run_id": run_id,
                                                   "source_row": min(who)})
            record_changes("organisation", org, "update", current, changed, rows, ORG_FIELDS)
            for i in idxs:
                if int(std.at[i, "source_row"]) in who:
                    out.loc[i, "org_action"] = "update"

    # Persons: private persons (no organisation) keep their contact details on the person record.
    person_fields = dict(PERSON_FIELDS)
    crm_persons = _fetch(con, "persons", "person_id",
                         [p for p in person_rows if not str(p).startswith("NEW-")])
    for person, idxs in person_rows.items():
        rows = std.loc[idxs]
        private = all(out.at[i, "org_id"] is None for i in idxs)
        fields = {**person_fields, **({"contact_email": "email", "contact_phone": "phone",
                                       "contact_mobile": "mobile"} if private else {})}
        values = _first_values(rows, fields)
        if str(person).startswith("NEW-"):
            tables["persons_insert"].append({**values, "person_id": person, "run_id": run_id,
                                             "source_row": int(rows["source_row"].iloc[0])})
            record_changes("person", person, "insert", {}, values, rows, fields)
            out.loc[idxs[0], "person_action"] = "insert"
            out.loc[idxs[1:], "person_action"] = "unchanged"
            continue
        current = crm_persons.get(person, {})
        changed = _apply_policy(current, values, definition, "person_", fields)
        out.loc[idxs, "person_action"] = "unchanged"
        if changed:
            who = contributors(changed, rows, fields)
            tables["persons_update"].append({**current, **changed, "changed_fields":
                                             ",".join(changed), "run_id": run_id,
                                             "source_row": min(who)})
            record_changes("person", person, "update", current, changed, rows, fields)
            for i in idxs:
                if int(std.at[i, "source_row"]) in who:
                    out.loc[i, "person_action"] = "update"

    # Contacts: the link of a person to an organisation, with the work details.
    links: dict[tuple[str, str], list[int]] = {}
    for idx in out.index[out["org_id"].notna() & out["person_id"].notna()]:
        links.setdefault((out.at[idx, "org_id"], out.at[idx, "person_id"]), []).append(idx)
    existing = {}
    known = [(o, p) for o, p in links if not str(o).startswith("NEW-") and not str(p).startswith("NEW-")]
    if known:
        frame = con.execute(
            "SELECT * FROM contacts WHERE contact_type = 'person' AND org_id || '|' || person_id "
            "IN (SELECT unnest(?))", [[f"{o}|{p}" for o, p in known]]).df()
        frame = frame.astype(object).where(frame.notna(), None)
        for rec in frame.to_dict("records"):
            existing.setdefault((rec["org_id"], rec["person_id"]), rec)
    n_new = 0
    for (org, person), idxs in links.items():
        rows = std.loc[idxs]
        values = _first_values(rows, CONTACT_FIELDS)
        current = existing.get((org, person))
        if current is None:
            n_new += 1
            cid = f"NEW-CON-{n_new:06d}"
            rec = {**values, "contact_id": cid, "org_id": org, "person_id": person,
                   "contact_type": "person", "run_id": run_id,
                   "source_row": int(rows["source_row"].iloc[0])}
            tables["contacts_insert"].append(rec)
            record_changes("contact", cid, "insert", {}, {"org_id": org, "person_id": person,
                                                          **values}, rows, CONTACT_FIELDS)
            out.loc[idxs[0], "contact_action"] = "insert"
            out.loc[idxs[1:], "contact_action"] = "unchanged"
            continue
        changed = _apply_policy(current, values, definition, "contact_", CONTACT_FIELDS)
        out.loc[idxs, "contact_action"] = "unchanged"
        if changed:
            who = contributors(changed, rows, CONTACT_FIELDS)
            tables["contacts_update"].append({**current, **changed, "changed_fields":
                                              ",".join(changed), "run_id": run_id,
                                              "source_row": min(who)})
            record_changes("contact", current["contact_id"], "update", current, changed, rows,
                           CONTACT_FIELDS)
            for i in idxs:
                if int(std.at[i, "source_row"]) in who:
                    out.loc[i, "contact_action"] = "update"

    # In-file duplicates are merged into their original: they take no action of their own.
    dup = out["status"] == "in_file_duplicate"
    out.loc[dup, ["org_action", "person_action", "contact_action"]] = "none"

    frames = {}
    for name, records in tables.items():
        table = name.split("_")[0]
        extra = ("changed_fields",) if name.endswith("update") else ()
        frames[name] = _table(records, table, extra)
    diff = pd.DataFrame(changes, columns=["entity", "id", "action", "field", "old", "new",
                                          "source_row", "run_id"])
    outcomes = out[OUTCOME_COLUMNS].reset_index(drop=True)
    counts = {
        "status": {s: int((outcomes["status"] == s).sum()) for s in STATUSES},
        **{col: {a: int((outcomes[col] == a).sum()) for a in ACTIONS}
           for col in ("org_action", "person_action", "contact_action")},
        "files": {name: len(frame) for name, frame in frames.items()},
    }
    return ChangeSet(run_id=run_id, tables=frames, changes=diff, outcomes=outcomes, counts=counts)
