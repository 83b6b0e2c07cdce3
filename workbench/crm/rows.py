"""The change set as rows of a CRM's import: an organisation with its person and contact fields
on one row, or one card per organisation and person (Dynamics)."""
from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from workbench.changeset.frames import as_missing, crm_frame
from workbench.fields import ADDRESS_FIELDS, CRM_TABLES

_RUN_COLUMNS = ("run_id", "source_row", "changed_fields", "postal_address_is_visiting")
_ENTITY = {"org": "organisations", "person": "persons", "contact": "contacts"}


def _joined(*parts: object, sep: str = " ") -> str | None:
    text = sep.join(str(p).strip() for p in parts if p is not None and not pd.isna(p)
                    and str(p).strip())
    return text or None


def _derived(entity: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Values the wizards want in one field: street line, whole address, last name with prefix."""
    out = frame.copy()
    if "street" in out:
        out["address_line"] = [_joined(s, n, a) for s, n, a in zip(
            out["street"], out["house_number"], out["house_number_addition"], strict=True)]
        # Dutch address style: two spaces between postcode and place
        out["full_address"] = [_joined(line, _joined(p, c, sep="  "), sep=", ") for line, p, c in
                               zip(out["address_line"], out["postcode"], out["city"], strict=True)]
    if entity == "person":
        out["full_last_name"] = [_joined(p, n) for p, n in
                                 zip(out["name_prefix"], out["last_name"], strict=True)]
    return out


def _changed_only(updates: pd.DataFrame, table: str) -> pd.DataFrame:
    """An update carries its key and the fields it changes (the wizards overwrite what they are
    offered); an address goes whole when any part of it changes."""
    # a contact's key is its link: organisation, person and kind
    keys = set(CRM_TABLES[table][:4] if table == "contacts" else CRM_TABLES[table][:1])
    fields = [c for c in updates.columns if c not in keys and c not in _RUN_COLUMNS]
    listed = "," + updates["changed_fields"].fillna("").astype(str) + ","
    keep = pd.DataFrame({c: listed.str.contains(f",{c},", regex=False) for c in fields},
                        index=updates.index)
    address = [c for c in ADDRESS_FIELDS if c in keep]
    if address:
        moved = keep[address].any(axis=1)
        for c in address:
            keep[c] = moved
    out = updates.astype(object)
    out[fields] = out[fields].where(keep, None)
    return out


def entity_frame(tables: dict[str, pd.DataFrame], entity: str, whole_record: bool
                 ) -> pd.DataFrame:
    """One entity's inserts and updates with ``_action``, indexed by record id."""
    table = _ENTITY[entity]
    key = CRM_TABLES[table][0]
    ins = tables.get(f"{table}_insert", pd.DataFrame(columns=[key])).assign(_action="insert")
    upd = tables.get(f"{table}_update", pd.DataFrame(columns=[key, "changed_fields"]))
    if not whole_record and len(upd):
        upd = _changed_only(upd, table)
    frame = pd.concat([ins, upd.assign(_action="update")], ignore_index=True)
    frame = as_missing(frame.reindex(columns=[*CRM_TABLES[table], *[
        c for c in frame.columns if c not in CRM_TABLES[table]]]))
    frame = _derived(entity, frame).drop_duplicates(key).set_index(key, drop=False)
    if entity == "org":
        frame["move_date"] = _move_dates(tables).reindex(frame.index).to_numpy()
    return frame


def _move_dates(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Per organisation that moves, the date its new address starts (history, not overwrite)."""
    history = tables.get("address_history")
    if history is None or history.empty:
        return pd.Series(dtype=object)
    opened = history[history["valid_from"].notna() & (history["entity"] == "organisation")]
    return opened.drop_duplicates("record_id").set_index("record_id")["valid_from"].astype(str)


def references(con: duckdb.DuckDBPyConnection, entity: str, ids: list[str],
               whole_record: bool) -> pd.DataFrame:
    """Records the change set names but does not change: the whole snapshot record, or the key and
    the name that let the analyst and the wizard recognise it."""
    table = _ENTITY[entity]
    key = CRM_TABLES[table][0]
    frame = crm_frame(con, table, key, sorted(set(ids)))
    if not whole_record:
        names = ("name",) if entity == "org" else ("first_name", "name_prefix", "last_name")
        frame = frame.reindex(columns=[key, *names])
        frame = frame.reindex(columns=CRM_TABLES[table])
    return _derived(entity, as_missing(frame)).assign(_action="reference")


def _prefixed(frame: pd.DataFrame, entity: str) -> pd.DataFrame:
    return frame.add_prefix(f"{entity}.").reset_index(drop=True)


def _lookup(frame: pd.DataFrame, extra: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    both = pd.concat([frame, extra[~extra.index.isin(frame.index)]])
    return both.reindex(ids.to_numpy())


def company_rows(tables: dict[str, pd.DataFrame], con: duckdb.DuckDBPyConnection,
                 whole_record: bool, kind_person: Mapping[str, str]) -> pd.DataFrame:
    """One row per person contact with their organisation; organisations and persons that change
    without a contact change on rows of their own."""
    orgs, persons = (entity_frame(tables, e, whole_record) for e in ("org", "person"))
    contacts = entity_frame(tables, "contact", whole_record)
    kinds = contacts["contact_type"].fillna("person")
    # departments and delivery addresses only where the wizard has a person number for them
    links = contacts[(kinds == "person") | kinds.isin(list(kind_person))].copy()
    links["person_ref"] = links["person_id"].where(
        kinds[links.index] == "person", kinds[links.index].map(dict(kind_person)))
    org_ref = references(con, "org", [i for i in links["org_id"].dropna() if i not in orgs.index],
                         whole_record)
    per_ref = references(con, "person", [i for i in links["person_id"].dropna()
                                         if i not in persons.index], whole_record)
    linked = pd.concat([_prefixed(links, "contact"),
                        _prefixed(_lookup(orgs, org_ref, links["org_id"]), "org"),
                        _prefixed(_lookup(persons, per_ref, links["person_id"]), "person")],
                       axis=1)
    lone_persons = persons[~persons.index.isin(links["person_id"])]
    lone_orgs = orgs[~orgs.index.isin(links["org_id"])]
    rows = pd.concat([linked, _prefixed(lone_persons, "person"), _prefixed(lone_orgs, "org")],
                     ignore_index=True)
    if "person.person_id" in rows:  # a person on a row of their own is known by their number
        rows["contact.person_ref"] = rows.get("contact.person_ref", pd.Series(
            None, index=rows.index, dtype=object)).fillna(rows["person.person_id"])
    return rows.astype(object).where(rows.notna(), None)
