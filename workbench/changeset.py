"""Build the change set: what to insert, update and link, and the outcome of every input row."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import duckdb
import numpy as np
import pandas as pd

from workbench.definition import Definition
from workbench.fields import (
    ADDRESS_FIELDS,
    ADDRESS_HISTORY_COLUMNS,
    CONTACT_FIELDS,
    CRM_TABLES,
    MAX_VALUES,
    ORG_FIELDS,
    PERSON_FIELDS,
)
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


def _as_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Blank strings become missing, so 'first value' and 'empty' mean the same everywhere."""
    out = frame.astype(object)
    for i in range(len(out.columns)):
        col = out.iloc[:, i]
        # .str gives NaN for what is not text, so only blank strings compare equal to ""
        try:
            # isspace is False for "" and makes no new strings, unlike strip
            blank = (col.isna().to_numpy() | (col.to_numpy() == "")
                     | col.str.isspace().eq(True).to_numpy(dtype=bool))
        except AttributeError:  # no text in the column at all
            blank = col.isna().to_numpy()
        if blank.any():
            values = col.to_numpy(copy=True)
            values[blank] = None
            out.iloc[:, i] = values
    return out


def _lookup(frame: pd.DataFrame, ids: pd.Series, fields: pd.Series) -> np.ndarray:
    """frame.at[id, field] for many (id, field) at once; None where either is unknown."""
    rows = frame.index.get_indexer(ids)
    cols = frame.columns.get_indexer(fields)
    out = np.full(len(rows), None, dtype=object)
    ok = (rows >= 0) & (cols >= 0)
    out[ok] = frame.to_numpy(dtype=object)[rows[ok], cols[ok]]
    return out


@dataclass(frozen=True)
class _EntityChanges:
    inserts: pd.DataFrame
    updates: pd.DataFrame
    diff: pd.DataFrame
    actions: pd.Series  # per row: insert / update / unchanged


def _entity_changes(entity: str, ids: pd.Series, std: pd.DataFrame, fields: dict[str, str],
                    current: pd.DataFrame, definition: Definition, run_id: str,
                    new_ids: pd.Series) -> _EntityChanges:
    """Aggregate the rows of each record (first non-empty value per field, in source order),
    then decide inserts for new records and per-field updates for existing ones."""
    key_col = CRM_TABLES[f"{entity}s"][0]
    rows = _as_missing(std.loc[ids.index, [s for s in fields if s in std]])
    rows = rows.rename(columns=fields)
    crm_cols = list(rows.columns)
    source_row = std.loc[ids.index, "source_row"].astype(int)
    group = ids.astype(str)
    first = rows.groupby(group, sort=False).first()
    first_row = source_row.groupby(group, sort=False).first()
    # per field, the first row that gave it a value (one group-by over all fields at once)
    filled = rows.notna().to_numpy()
    contrib = pd.DataFrame(np.where(filled, source_row.to_numpy()[:, None], np.nan),
                           index=rows.index, columns=crm_cols).groupby(group, sort=False).first()
    contrib = contrib.reindex(first.index)
    is_new = first.index.isin(new_ids)
    actions = pd.Series("unchanged", index=ids.index, dtype=object)

    # New records: one insert each, from the first row that names it; defaults fill what is empty.
    new = first[is_new].copy()
    for src, value in definition.defaults.items():
        if src in fields and fields[src] in new:
            new[fields[src]] = new[fields[src]].where(new[fields[src]].notna(), value)
            contrib[fields[src]] = contrib[fields[src]].fillna(first_row)
    inserts = new.copy()
    inserts.insert(0, key_col, new.index)
    inserts["run_id"] = run_id
    inserts["source_row"] = first_row[is_new].to_numpy()
    new_diff = new.reset_index(names="id").melt(id_vars="id", var_name="field", value_name="new")
    new_diff = new_diff[new_diff["new"].notna()]
    new_diff["source_row"] = _lookup(contrib, new_diff["id"], new_diff["field"])
    new_diff["old"] = None
    new_diff["action"] = "insert"
    is_first = source_row.to_numpy() == first_row.reindex(group).to_numpy()
    actions[is_first & group.isin(new.index).to_numpy()] = "insert"

    # Existing records: each field under its policy; an empty incoming value never erases.
    old = first[~is_new]
    cur = current.reindex(old.index)
    changed = pd.DataFrame(False, index=old.index, columns=crm_cols)
    if definition.update_existing and len(old):
        target_of = {crm: src for src, crm in fields.items()}
        for col in crm_cols:
            policy = definition.policy_for(target_of[col])
            incoming = old[col]
            before = _as_missing(cur[[col]])[col] if col in cur else pd.Series(None, index=old.index)
            differs = incoming.notna() & (incoming.astype(str) != before.astype(str))
            if target_of[col] in definition.erase_when_empty and \
                    target_of[col] in definition.columns and policy != "leave":
                # asked for explicitly: an empty cell in a mapped column clears the CRM value
                differs = differs | (incoming.isna() & before.notna())
                contrib[col] = contrib[col].fillna(first_row)
            if policy == "overwrite":
                changed[col] = differs
            elif policy == "fill_empty":
                changed[col] = differs & before.isna()
    any_change = changed.any(axis=1)
    upd_ids = changed.index[any_change]
    updates = cur.loc[upd_ids].copy()
    for col in crm_cols:
        take = changed.loc[upd_ids, col].to_numpy()
        if col not in updates:
            updates[col] = None
        updates[col] = updates[col].astype(object)
        updates.loc[take, col] = old.loc[upd_ids, col].to_numpy()[take]
    updates[key_col] = upd_ids
    picked = changed.loc[upd_ids]
    updates["changed_fields"] = picked.dot(pd.Index(crm_cols) + ",").str.rstrip(",").to_numpy() \
        if len(upd_ids) else []
    updates["run_id"] = run_id
    updates["source_row"] = contrib.loc[upd_ids, crm_cols].where(picked).min(axis=1) \
        .astype(int).to_numpy() if len(upd_ids) else []
    long = picked.reset_index(names="id").melt(id_vars="id", var_name="field",
                                               value_name="changed")
    long = long[long["changed"]]
    upd_diff = pd.DataFrame({
        "id": long["id"].to_numpy(), "field": long["field"].to_numpy(),
        "old": _lookup(cur, long["id"], long["field"]),
        "new": _lookup(old, long["id"], long["field"]),
        "source_row": _lookup(contrib, long["id"], long["field"]),
        "action": "update"})
    who = set(zip(upd_diff["id"], upd_diff["source_row"].astype(int), strict=True))
    hit = [(g, s) in who for g, s in zip(group, source_row, strict=True)]
    actions[np.asarray(hit, dtype=bool)] = "update"
    diff = pd.concat([new_diff, upd_diff], ignore_index=True)
    diff.insert(0, "entity", entity)
    return _EntityChanges(inserts=inserts, updates=updates, diff=diff, actions=actions)


_ADDRESS = ADDRESS_FIELDS


def _inherit(contacts: pd.DataFrame, org_inserts: pd.DataFrame, org_updates: pd.DataFrame,
             con: duckdb.DuckDBPyConnection, what: tuple[str, ...]) -> pd.DataFrame:
    """New contacts take their organisation's address and/or phone where they have none."""
    known = sorted(set(contacts["org_id"]) - set(org_inserts["org_id"]))
    crm = _crm_frame(con, "organisations", "org_id", known)
    state = pd.concat([crm.set_index("org_id", drop=False),
                       org_updates.set_index("org_id", drop=False),
                       org_inserts.set_index("org_id", drop=False)])
    state = state[~state.index.duplicated(keep="last")]  # an update wins over the CRM record
    org = state.reindex(contacts["org_id"].to_numpy())
    out = contacts.copy()
    if "phone" in what:
        out["phone"] = out["phone"].where(out["phone"].notna(), org["phone"].to_numpy())
    if "address" in what:
        empty = out.reindex(columns=list(_ADDRESS)).isna().all(axis=1).to_numpy()
        for col in _ADDRESS:
            out[col] = out.reindex(columns=[col])[col].astype(object)
            out.loc[empty, col] = org[col].to_numpy()[empty]
    return out


def _moves(orgs: pd.Series, std: pd.DataFrame, crm_orgs: pd.DataFrame, new_orgs: set,
           run_id: str) -> tuple[list[str], pd.DataFrame]:
    """Existing organisations that move (a move date and another address), and their history rows."""
    columns = [*ADDRESS_HISTORY_COLUMNS, "run_id", "source_row"]
    group = orgs.astype(str)
    dates = std.loc[orgs.index, "org_move_date"] if "org_move_date" in std else None
    if dates is None or dates.isna().all():
        return [], pd.DataFrame(columns=columns)
    date = dates.groupby(group).first().dropna()
    date = date[~date.index.isin(new_orgs)]
    src = {f"org_{f}": f for f in ADDRESS_FIELDS}
    incoming = _as_missing(std.loc[orgs.index, list(src)]).rename(columns=src)
    incoming = incoming.groupby(group).first().reindex(date.index)
    old = _as_missing(crm_orgs.reindex(date.index).reindex(columns=list(ADDRESS_FIELDS)))
    key = ["postcode", "house_number", "house_number_addition"]
    differs = (incoming[key].fillna("").astype(str) != old[key].fillna("").astype(str)).any(axis=1)
    moving = date[differs & incoming["postcode"].notna()]
    first_row = std.loc[orgs.index, "source_row"].where(dates.notna()).groupby(group).min()
    rows = []
    for org_id, when in moving.items():
        base = {"entity": "organisation", "record_id": org_id, "run_id": run_id,
                "source_row": int(first_row[org_id])}
        rows.append({**base, **old.loc[org_id].to_dict(), "valid_from": None, "valid_to": when})
        new_address = {f: incoming.at[org_id, f] for f in ADDRESS_FIELDS}
        new_address = {f: v if v is not None else old.at[org_id, f]  # e.g. the country stays
                       for f, v in new_address.items()}
        rows.append({**base, **new_address, "valid_from": when, "valid_to": None})
    return list(moving.index), pd.DataFrame(rows, columns=columns)


_KINDS = {
    "department": ("department_name", ("street", "house_number", "house_number_addition",
                                       "postcode", "city", "country"), "org_"),
    "delivery_address": (None, ("street", "house_number", "house_number_addition", "postcode",
                                "city"), "delivery_"),
}


def _department_and_delivery_contacts(out: pd.DataFrame, std: pd.DataFrame,
                                      con: duckdb.DuckDBPyConnection, run_id: str,
                                      first_number: int
                                      ) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """New department and delivery-address contacts; existing ones (same organisation, name and
    address) are left as they are."""
    columns = [*CRM_TABLES["contacts"], "run_id", "source_row"]
    rows, diff = [], []
    actions = pd.Series(dtype=object)
    has_org = out["org_id"].notna() & out["status"].isin(["accepted", "in_file_duplicate"])
    number = first_number
    for kind, (name_col, address, prefix) in _KINDS.items():
        if kind == "department":
            wanted = has_org & std["department_name"].notna()
        else:
            wanted = has_org & std["delivery_postcode"].notna() & \
                std["delivery_house_number"].notna()
        if not wanted.any():
            continue
        frame = pd.DataFrame({"org_id": out.loc[wanted, "org_id"],
                              "source_row": out.loc[wanted, "source_row"]})
        for col in address:
            frame[col] = std.loc[wanted, f"{prefix}{col}"] if f"{prefix}{col}" in std else None
        frame["department_name"] = std.loc[wanted, "department_name"] if name_col else None
        frame["key"] = (frame["org_id"].astype(str) + "|"
                        + frame["department_name"].fillna("").astype(str).str.lower() + "|"
                        + frame["postcode"].fillna("").astype(str) + "|"
                        + frame["house_number"].fillna("").astype(str))
        existing = con.execute(
            "SELECT org_id, department_name, postcode, house_number FROM contacts "
            "WHERE contact_type = ? AND org_id IN (SELECT unnest(?))",
            [kind, sorted(set(frame["org_id"]))]).df()
        known = set(existing["org_id"].astype(str) + "|"
                    + existing["department_name"].fillna("").astype(str).str.lower() + "|"
                    + existing["postcode"].fillna("").astype(str) + "|"
                    + existing["house_number"].fillna("").astype(str))
        first = ~frame["key"].duplicated()
        new = first & ~frame["key"].isin(known)
        actions = pd.concat([actions, pd.Series(np.where(new, "insert", "unchanged"),
                                                index=frame.index)])
        for rec in frame[new].to_dict("records"):
            cid = f"NEW-CON-{number:06d}"
            number += 1
            values = {c: rec.get(c) for c in (*address, "department_name") if rec.get(c)}
            rows.append({**values, "contact_id": cid, "org_id": rec["org_id"],
                         "contact_type": kind, "run_id": run_id,
                         "source_row": int(rec["source_row"])})
            diff.extend({"entity": "contact", "id": cid, "action": "insert", "field": f,
                         "old": None, "new": v, "source_row": int(rec["source_row"])}
                        for f, v in {"contact_type": kind, **values}.items())
    return (pd.DataFrame(rows, columns=columns), pd.DataFrame(diff), actions)


# second to fifth e-mails, phones and addresses, exported after the canonical columns
_MORE = rf"(email|phone|mobile|street|house_number|house_number_addition|postcode|city)_[2-{MAX_VALUES}]"


def _extras(std: pd.DataFrame, prefix: str) -> dict[str, str]:
    """The multi-valued columns (``contact_email_2``, ``org_street_3`` ...) present, with their
    export names."""
    from workbench.standardise import ADDRESS_EXTRA_FIELDS, EXTRA_FIELDS

    return {f: f[len(prefix):].replace("contact_", "") for f in (*EXTRA_FIELDS,
                                                               *ADDRESS_EXTRA_FIELDS)
            if f.startswith(prefix) and f in std}


def _crm_frame(con: duckdb.DuckDBPyConnection, table: str, key: str, ids: list[str]) -> pd.DataFrame:
    if not ids:
        return pd.DataFrame(columns=list(CRM_TABLES[table])).set_index(key, drop=False)
    frame = con.execute(f"SELECT * FROM {table} WHERE {key} IN (SELECT unnest(?))", [ids]).df()
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.drop_duplicates(key).set_index(frame[key].drop_duplicates().to_numpy())


def _row_statuses(out: pd.DataFrame, m: pd.DataFrame, std: pd.DataFrame,
                  definition: Definition) -> None:
    """Status, reason, ids and duplicate_of for every row not already decided (vectorised)."""
    todo = out["status"].isna()
    skip = definition.undecided == "skip"
    new_org = m["has_org"].eq(True) & m["crm_org_id"].isna()

    def settle(mask: pd.Series, status: str, reasons: pd.Series | str) -> None:
        nonlocal todo
        mask = mask & todo
        out.loc[mask, "status"] = status
        out.loc[mask, "reason"] = reasons[mask] if isinstance(reasons, pd.Series) else reasons
        todo = todo & ~mask

    def review_reason(level: str, id_col: str, prefix: str) -> pd.Series:
        return ("needs review: may be CRM " + level + " " + m[id_col].astype(str) + " (score "
                + m[f"{prefix}_score"].map(lambda v: f"{v:.2f}") + ": "
                + m[f"{prefix}_explanation"].astype(str) + ")")

    if skip:
        settle(m["org_band"].eq(REVIEW), "skipped", review_reason("organisation", "crm_org_id", "org"))
        settle(m["person_band"].eq(REVIEW), "skipped",
               review_reason("person", "crm_person_id", "person"))
    if not definition.create_new:
        settle(new_org, "skipped", "organisation not found in the CRM and 'create new' is off")
    nameless = std["org_name"].isna() | (std["org_name"].astype(str).str.strip() == "")
    settle(new_org & (nameless | ~has_address(std)), "rejected",
           "a new organisation needs a name and an address "
           "(postcode and house number, or street, house number and city)")
    org = m["org_entity"].where(m["has_org"].eq(True) & todo)
    person = m["person_entity"].where(m["has_person"].eq(True) & todo)
    if not definition.import_persons:
        person[:] = None
    if not definition.create_new:
        person = person.where(m["crm_person_id"].notna())
    out.loc[todo, "org_id"] = org[todo]
    out.loc[todo, "person_id"] = person[todo]
    key = org.fillna("").astype(str) + "|" + person.fillna("").astype(str)
    for col in ("department_name", "delivery_postcode", "delivery_house_number"):
        if col in std:  # another department or delivery address is another record, no duplicate
            key = key + "|" + std[col].fillna("").astype(str).str.lower()
    # the first row of a group carries it; a row without a last name never comes first
    last = std["person_last_name"] if "person_last_name" in std else pd.Series(None, index=std.index)
    partial = (last.isna() | (last.astype("string").str.strip() == "")).to_numpy() & \
        m["has_org"].ne(True).to_numpy()
    ranked = pd.DataFrame({"key": key, "partial": partial, "sr": out["source_row"]})[todo]
    ranked = ranked.sort_values(["partial", "sr"], kind="mergesort")
    first_sr = ranked.groupby("key")["sr"].transform("first").reindex(out.index)
    dup = todo & (out["source_row"] != first_sr)
    out.loc[todo & ~dup, "status"] = "accepted"
    out.loc[dup, "status"] = "in_file_duplicate"
    out.loc[dup, "duplicate_of"] = first_sr[dup].astype(int)
    out.loc[dup, "reason"] = "same organisation and person as an earlier row"


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
    _row_statuses(out, m, std.reindex(raw.index), definition)
    std = std.reindex(raw.index)
    tables: dict[str, pd.DataFrame] = {}
    diffs = []

    # Records this run creates (never decided by the id's spelling: a test environment made by
    # `workbench apply` holds ids that started life as NEW-… in an earlier run).
    new_orgs = set(m.loc[m["crm_org_id"].isna(), "org_entity"].dropna())
    new_persons = set(m.loc[m["crm_person_id"].isna(), "person_entity"].dropna())

    # Organisations: one insert per new organisation, one update per changed existing one. An
    # organisation with a move date and another address moves: its address is replaced whatever
    # the policy, and the address history gets the old address closed and the new one opened.
    orgs = out["org_id"].dropna()
    crm_orgs = _crm_frame(con, "organisations", "org_id", sorted(set(orgs) - new_orgs))
    moving, history = _moves(orgs, std, crm_orgs, new_orgs, run_id)
    moved_rows = orgs.isin(moving)
    address_policy = {f"org_{f}": "overwrite" for f in ADDRESS_FIELDS}
    org_fields = {**ORG_FIELDS, **_extras(std, "org_")}
    parts = [_entity_changes("organisation", orgs[~moved_rows], std, org_fields, crm_orgs,
                             definition, run_id, new_ids=pd.Series(sorted(new_orgs), dtype=object)),
             _entity_changes("organisation", orgs[moved_rows], std, org_fields, crm_orgs,
                             replace(definition, update_existing=True, field_policies={
                                 **definition.field_policies, **address_policy}),
                             run_id, new_ids=pd.Series([], dtype=object))]
    out.loc[orgs.index, "org_action"] = pd.concat([p.actions for p in parts])
    tables["organisations_insert"] = pd.concat([p.inserts for p in parts if len(p.inserts)] or
                                               [parts[0].inserts])
    tables["organisations_update"] = pd.concat([p.updates for p in parts if len(p.updates)] or
                                               [parts[0].updates])
    # the import wizards' "postal address is visiting address" flag, for the records they create
    tables["organisations_insert"]["postal_address_is_visiting"] = \
        "true" if definition.postal_is_visiting else "false"
    tables["address_history"] = history
    diffs.extend(p.diff for p in parts)

    # Persons: a private person (no organisation) keeps its contact details and its address on the
    # person record; for a contact person they belong to the contact and the organisation.
    persons = out["person_id"].dropna()
    # a row without a last name only adds to a person another row names: it never comes first
    nameless = std["person_last_name"].reindex(persons.index).isna().to_numpy() \
        if "person_last_name" in std else np.zeros(len(persons), dtype=bool)
    persons = pd.concat([persons[~nameless], persons[nameless]])
    private_fields = {"contact_email": "email", "contact_phone": "phone",
                      "contact_mobile": "mobile", **{f"org_{f}": f for f in ADDRESS_FIELDS}}
    fields = {**PERSON_FIELDS, **private_fields}
    has_org = out["org_id"].notna().groupby(out["person_id"]).transform("any").reindex(persons.index)
    pstd = std.copy()
    for src in private_fields:
        pstd.loc[has_org[has_org].index, src] = None
    person_changes = _entity_changes(
        "person", persons, pstd, fields,
        _crm_frame(con, "persons", "person_id", sorted(set(persons) - new_persons)),
        definition, run_id, new_ids=pd.Series(sorted(new_persons), dtype=object))
    out.loc[persons.index, "person_action"] = person_changes.actions
    tables["persons_insert"], tables["persons_update"] = (person_changes.inserts,
                                                         person_changes.updates)
    diffs.append(person_changes.diff)

    # Contacts: the link of a person to an organisation, with the work details.
    linked = out["org_id"].notna() & out["person_id"].notna()
    link = (out.loc[linked, "org_id"].astype(str) + "|" + out.loc[linked, "person_id"].astype(str))
    both_known = (~out.loc[linked, "org_id"].isin(new_orgs)
                  & ~out.loc[linked, "person_id"].isin(new_persons))
    known = sorted(set(link[both_known]))
    existing = pd.DataFrame(columns=list(CRM_TABLES["contacts"]))
    if known:
        existing = con.execute(
            "SELECT * FROM contacts WHERE contact_type = 'person' AND org_id || '|' || person_id "
            "IN (SELECT unnest(?))", [known]).df()
        existing = existing.astype(object).where(existing.notna(), None)
    existing["link"] = existing["org_id"].astype(str) + "|" + existing["person_id"].astype(str)
    existing = existing.drop_duplicates("link").set_index("link")
    new_links = [k for k in dict.fromkeys(link) if k not in existing.index]
    contact_id = {k: f"NEW-CON-{i:06d}" for i, k in enumerate(new_links, 1)}
    contact_id.update(dict(zip(existing.index, existing["contact_id"], strict=True)))
    ids = link.map(contact_id)
    current = existing.set_index(existing["contact_id"].to_numpy()) if len(existing) else \
        pd.DataFrame(columns=list(CRM_TABLES["contacts"]))
    contact_changes = _entity_changes("contact", ids, std,
                                      {**CONTACT_FIELDS, **_extras(std, "contact_")}, current,
                                      definition,
                                      run_id, new_ids=pd.Series(list(contact_id[k] for k in new_links),
                                                               dtype=object))
    ins = contact_changes.inserts
    if len(ins):
        first_link = link.groupby(ids).first()
        org_person = first_link.reindex(ins["contact_id"]).str.split("|", n=1, expand=True)
        ins["org_id"], ins["person_id"] = org_person[0].to_numpy(), org_person[1].to_numpy()
        ins["contact_type"] = "person"
    if len(ins) and definition.inherit:
        ins = _inherit(ins, tables["organisations_insert"], tables["organisations_update"], con,
                       definition.inherit)
    out.loc[ids.index, "contact_action"] = contact_changes.actions
    # Departments and delivery addresses: contacts of the organisation, known by name + address.
    extra, extra_diff, extra_actions = _department_and_delivery_contacts(
        out, std, con, run_id, first_number=len(new_links) + 1)
    if len(extra):
        ins = pd.concat([ins, extra], ignore_index=True) if len(ins) else extra
        diffs.append(extra_diff)
        took = extra_actions.index
        current_action = out.loc[took, "contact_action"]
        out.loc[took, "contact_action"] = current_action.where(
            current_action.isin(["insert", "update"]), extra_actions)
    tables["contacts_insert"], tables["contacts_update"] = ins, contact_changes.updates
    diffs.append(contact_changes.diff)

    # In-file duplicates are merged into their original: they take no action of their own.
    dup = out["status"] == "in_file_duplicate"
    out.loc[dup, ["org_action", "person_action", "contact_action"]] = "none"

    frames = {}
    for name, frame in tables.items():
        if name == "address_history":
            frames[name] = frame.reset_index(drop=True)
            continue
        table = name.split("_")[0]
        extra = ("changed_fields",) if name.endswith("update") else \
            ("postal_address_is_visiting",) if name == "organisations_insert" else ()
        # second to fifth e-mails and phones follow the canonical columns they belong to
        more = sorted((c for c in frame.columns if re.fullmatch(_MORE, c)),
                      key=lambda c: (c[-1], c))
        frames[name] = frame.reindex(columns=[*CRM_TABLES[table], *more, *extra, "run_id",
                                              "source_row"]).reset_index(drop=True)
    diff = pd.concat(diffs, ignore_index=True)
    diff["run_id"] = run_id
    diff = diff.reindex(columns=["entity", "id", "action", "field", "old", "new", "source_row",
                                 "run_id"])
    diff["source_row"] = diff["source_row"].astype("Int64")
    outcomes = out[OUTCOME_COLUMNS].reset_index(drop=True)
    counts = {
        "status": {s: int((outcomes["status"] == s).sum()) for s in STATUSES},
        **{col: {a: int((outcomes[col] == a).sum()) for a in ACTIONS}
           for col in ("org_action", "person_action", "contact_action")},
        "files": {name: len(frame) for name, frame in frames.items()},
    }
    return ChangeSet(run_id=run_id, tables=frames, changes=diff, outcomes=outcomes, counts=counts)
