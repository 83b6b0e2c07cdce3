"""Contacts: the link of a person to an organisation with the work details, and the department and
delivery-address contacts of an organisation."""
from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pandas as pd

from workbench.changeset.frames import extra_columns
from workbench.changeset.merge import EntityChanges, entity_changes
from workbench.definition import Definition
from workbench.fields import ADDRESS_FIELDS, CONTACT_FIELDS, CRM_TABLES


@dataclass(frozen=True)
class ContactChanges:
    """The contact tables, their diff lines (in export order) and the contact actions of the rows:
    of the person links, then of the department and delivery-address contacts (None if none)."""

    inserts: pd.DataFrame
    updates: pd.DataFrame
    diffs: list[pd.DataFrame]
    link_actions: pd.Series
    extra_actions: pd.Series | None


def _inherit(contacts: pd.DataFrame, crm: pd.DataFrame, org_inserts: pd.DataFrame,
             org_updates: pd.DataFrame, what: tuple[str, ...]) -> pd.DataFrame:
    """New contacts take their organisation's address and/or phone where they have none
    (``crm``: the CRM records of the existing organisations the rows name, read once)."""
    state = pd.concat([crm.set_index("org_id", drop=False),
                       org_updates.set_index("org_id", drop=False),
                       org_inserts.set_index("org_id", drop=False)])
    state = state[~state.index.duplicated(keep="last")]  # an update wins over the CRM record
    org = state.reindex(contacts["org_id"].to_numpy())
    out = contacts.copy()
    if "phone" in what:
        out["phone"] = out["phone"].where(out["phone"].notna(), org["phone"].to_numpy())
    if "address" in what:
        empty = out.reindex(columns=list(ADDRESS_FIELDS)).isna().all(axis=1).to_numpy()
        for col in ADDRESS_FIELDS:
            out[col] = out.reindex(columns=[col])[col].astype(object)
            out.loc[empty, col] = org[col].to_numpy()[empty]
    return out


def _inherited(definition: Definition) -> tuple[str, ...]:
    """What a new contact takes from its organisation: the address by default (the AFAS
    manual's step 11 makes it mandatory on the contact), the phone when asked."""
    address = ("address",) if definition.contact_address_from_organisation else ()
    return tuple(dict.fromkeys((*address, *definition.inherit)))


def existing_links(con: duckdb.DuckDBPyConnection, known: list[str]) -> pd.DataFrame:
    """The CRM's person contacts for these 'org_id|person_id' links, indexed by link."""
    existing = pd.DataFrame(columns=list(CRM_TABLES["contacts"]))
    if known:
        existing = con.execute(
            "SELECT * FROM contacts WHERE contact_type = 'person' AND org_id || '|' || person_id "
            "IN (SELECT unnest(?))", [known]).df()
        existing = existing.astype(object).where(existing.notna(), None)
    existing["link"] = existing["org_id"].astype(str) + "|" + existing["person_id"].astype(str)
    return existing.drop_duplicates("link").set_index("link")


def _with_link_ids(inserts: pd.DataFrame, link: pd.Series, ids: pd.Series) -> pd.DataFrame:
    """New person contacts with the organisation and person they link."""
    ins = inserts
    if len(ins):
        first_link = link.groupby(ids).first().reindex(ins["contact_id"])
        # 'org|person' split at the first '|', as str.split(n=1) would
        org_person = [(*v.split("|", 1), None)[:2] if isinstance(v, str) else (np.nan, np.nan)
                      for v in first_link]
        ins["org_id"] = [org for org, _ in org_person]
        ins["person_id"] = [person for _, person in org_person]
        ins["contact_type"] = "person"
    return ins


def _links(out: pd.DataFrame, new_orgs: set, new_persons: set) -> tuple[pd.Series, list[str]]:
    """Per row naming both, its 'org_id|person_id' link; and the links of an existing
    organisation and an existing person, which the CRM may hold already."""
    linked = out["org_id"].notna() & out["person_id"].notna()
    link = (out.loc[linked, "org_id"].astype(str) + "|" + out.loc[linked, "person_id"].astype(str))
    both_known = (~out.loc[linked, "org_id"].isin(new_orgs)
                  & ~out.loc[linked, "person_id"].isin(new_persons))
    return link, sorted(set(link[both_known]))


def known_links(out: pd.DataFrame, new_orgs: set, new_persons: set) -> list[str]:
    """The 'org_id|person_id' links the rows name whose CRM contacts the change set reads."""
    return _links(out, new_orgs, new_persons)[1]


def person_contacts(out: pd.DataFrame, std: pd.DataFrame, con: duckdb.DuckDBPyConnection,
                    definition: Definition, run_id: str, new_orgs: set, new_persons: set,
                    org_tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
                    existing: pd.DataFrame | None = None) -> tuple[EntityChanges, int]:
    """The links of persons to organisations, and how many new contact ids they took
    (``org_tables``: the CRM records of the organisations named, their inserts and updates;
    ``existing``: the CRM's links read already, see ``known_links``)."""
    link, wanted = _links(out, new_orgs, new_persons)
    if existing is None:
        existing = existing_links(con, wanted)
    known = set(existing.index)
    new_links = [k for k in dict.fromkeys(link) if k not in known]
    contact_id = {k: f"NEW-CON-{i:06d}" for i, k in enumerate(new_links, 1)}
    contact_id.update(dict(zip(existing.index, existing["contact_id"], strict=True)))
    ids = link.map(contact_id)
    current = existing.set_index(existing["contact_id"].to_numpy()) if len(existing) else \
        pd.DataFrame(columns=list(CRM_TABLES["contacts"]))
    fields = {**CONTACT_FIELDS, **extra_columns(std, "contact_")}
    changes = entity_changes("contact", ids, std, fields, current, definition, run_id,
                             new_ids=pd.Series([contact_id[k] for k in new_links], dtype=object))
    ins = _with_link_ids(changes.inserts, link, ids)
    inherit = _inherited(definition)
    if len(ins) and inherit:
        ins = _inherit(ins, *org_tables, inherit)
    return replace(changes, inserts=ins), len(new_links)


_KINDS = {
    "department": ("department_name", ("street", "house_number", "house_number_addition",
                                       "postcode", "city", "country"), "org_"),
    "delivery_address": (None, ("street", "house_number", "house_number_addition", "postcode",
                                "city"), "delivery_"),
}


def _contact_key(frame: pd.DataFrame) -> pd.Series:
    """Organisation, name and address: a department or delivery address is known by these."""
    return (frame["org_id"].astype(str) + "|"
            + frame["department_name"].fillna("").astype(str).str.lower() + "|"
            + frame["postcode"].fillna("").astype(str) + "|"
            + frame["house_number"].fillna("").astype(str))


def _kind_rows(kind: str, out: pd.DataFrame, std: pd.DataFrame) -> pd.DataFrame:
    """The rows that name a contact of this kind: organisation, source row, name and address."""
    name_col, address, prefix = _KINDS[kind]
    has_org = out["org_id"].notna() & out["status"].isin(["accepted", "in_file_duplicate"])
    if kind == "department":
        wanted = has_org & std["department_name"].notna()
    else:
        wanted = has_org & std["delivery_postcode"].notna() & std["delivery_house_number"].notna()
    frame = pd.DataFrame({"org_id": out.loc[wanted, "org_id"],
                          "source_row": out.loc[wanted, "source_row"]})
    for col in address:
        frame[col] = std.loc[wanted, f"{prefix}{col}"] if f"{prefix}{col}" in std else None
    frame["department_name"] = std.loc[wanted, "department_name"] if name_col else None
    frame["key"] = _contact_key(frame)
    return frame


def _known_keys(con: duckdb.DuckDBPyConnection, kind: str, org_ids: list[str]) -> set[str]:
    """The keys of the CRM's contacts of this kind at these organisations."""
    existing = con.execute(
        "SELECT org_id, department_name, postcode, house_number FROM contacts "
        "WHERE contact_type = ? AND org_id IN (SELECT unnest(?))", [kind, org_ids]).df()
    return set(_contact_key(existing))


def _insert_rows(kind: str, frame: pd.DataFrame, run_id: str, first_number: int
                 ) -> tuple[list[dict], list[dict]]:
    """The contact records to insert, numbered from first_number, and their diff lines."""
    address = _KINDS[kind][1]
    rows, diff = [], []
    for number, rec in enumerate(frame.to_dict("records"), first_number):
        cid = f"NEW-CON-{number:06d}"
        values = {c: rec.get(c) for c in (*address, "department_name") if rec.get(c)}
        rows.append({**values, "contact_id": cid, "org_id": rec["org_id"],
                     "contact_type": kind, "run_id": run_id,
                     "source_row": int(rec["source_row"])})
        diff.extend({"entity": "contact", "id": cid, "action": "insert", "field": f,
                     "old": None, "new": v, "source_row": int(rec["source_row"])}
                    for f, v in {"contact_type": kind, **values}.items())
    return rows, diff


def department_and_delivery_contacts(out: pd.DataFrame, std: pd.DataFrame,
                                     con: duckdb.DuckDBPyConnection, run_id: str,
                                     first_number: int
                                     ) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """New department and delivery-address contacts; existing ones (same organisation, name and
    address) are left as they are."""
    columns = [*CRM_TABLES["contacts"], "run_id", "source_row"]
    rows, diff = [], []
    actions = pd.Series(dtype=object)
    for kind in _KINDS:
        frame = _kind_rows(kind, out, std)
        if frame.empty:
            continue
        known = _known_keys(con, kind, sorted(set(frame["org_id"])))
        new = ~frame["key"].duplicated() & ~frame["key"].isin(known)
        actions = pd.concat([actions, pd.Series(np.where(new, "insert", "unchanged"),
                                                index=frame.index)])
        kind_rows, kind_diff = _insert_rows(kind, frame[new], run_id, first_number + len(rows))
        rows.extend(kind_rows)
        diff.extend(kind_diff)
    return pd.DataFrame(rows, columns=columns), pd.DataFrame(diff), actions


def contact_changes(out: pd.DataFrame, std: pd.DataFrame, con: duckdb.DuckDBPyConnection,
                    definition: Definition, run_id: str, new_orgs: set, new_persons: set,
                    org_tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
                    existing: pd.DataFrame | None = None) -> ContactChanges:
    """Person links, departments and delivery addresses: the contacts the rows make or change
    (``org_tables``: the CRM records of the organisations named, their inserts and updates;
    ``existing``: the CRM's person links read already, see ``known_links``)."""
    links, taken = person_contacts(out, std, con, definition, run_id, new_orgs, new_persons,
                                   org_tables, existing)
    extra, extra_diff, extra_actions = department_and_delivery_contacts(
        out, std, con, run_id, first_number=taken + 1)
    if not len(extra):
        return ContactChanges(inserts=links.inserts, updates=links.updates, diffs=[links.diff],
                              link_actions=links.actions, extra_actions=None)
    ins = pd.concat([links.inserts, extra], ignore_index=True) if len(links.inserts) else extra
    return ContactChanges(inserts=ins, updates=links.updates, diffs=[extra_diff, links.diff],
                          link_actions=links.actions, extra_actions=extra_actions)
