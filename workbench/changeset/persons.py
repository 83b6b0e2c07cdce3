"""Persons: a private person (no organisation) keeps its contact details and its address on the
person record; for a contact person they belong to the contact and the organisation."""
from __future__ import annotations

import duckdb
import pandas as pd

from workbench.changeset.frames import crm_frame, extra_columns
from workbench.changeset.merge import EntityChanges, entity_changes
from workbench.definition import Definition
from workbench.fields import ADDRESS_FIELDS, PERSON_FIELDS
from workbench.validate import person_without_last_name

PRIVATE_FIELDS = {"contact_email": "email", "contact_phone": "phone", "contact_mobile": "mobile",
                  **{f"org_{f}": f for f in ADDRESS_FIELDS}}


def private_fields(std: pd.DataFrame) -> dict[str, str]:
    """The fields a private person keeps: the first e-mail, phone, mobile and address, and the
    2nd-5th ones the list gives (``contact_email_2`` -> ``email_2``, ``org_street_3`` ->
    ``street_3``); an organisation's own second phone or e-mail is not the person's."""
    from workbench.standardise import ADDRESS_EXTRA_FIELDS

    more = {f: name for f, name in extra_columns(std, "contact_").items()
            if f.startswith(("contact_email_", "contact_phone_", "contact_mobile_"))}
    addresses = {f: name for f, name in extra_columns(std, "org_").items()
                 if f in ADDRESS_EXTRA_FIELDS}
    return {**PRIVATE_FIELDS, **more, **addresses}


def _named_first(persons: pd.Series, std: pd.DataFrame) -> pd.Series:
    """The rows of the persons, those without a last name last: such a row only adds to a person
    another row names, it never comes first."""
    nameless = person_without_last_name(std).reindex(persons.index).to_numpy(dtype=bool)
    return pd.concat([persons[~nameless], persons[nameless]])


def _private_details_only(std: pd.DataFrame, out: pd.DataFrame, persons: pd.Series,
                          fields: dict[str, str]) -> pd.DataFrame:
    """The rows with the private fields emptied for persons that some row links to an organisation
    (only the person's ``fields`` and the source row: the rest of the list is not copied)."""
    has_org = out["org_id"].notna().groupby(out["person_id"]).transform("any") \
        .reindex(persons.index)
    pstd = std[[c for c in dict.fromkeys(["source_row", *fields]) if c in std]].copy()
    linked = has_org[has_org].index
    at = pstd.index.isin(linked)
    for src in private_fields(std):
        if src in pstd and pd.api.types.is_object_dtype(pstd[src]):
            values = pstd[src].to_numpy(copy=True)
            values[at] = None
            pstd[src] = values
        else:  # a field the list lacks is added (empty), as the label-based assignment does
            pstd.loc[linked, src] = None
    return pstd


def known_person_ids(out: pd.DataFrame, new_persons: set) -> list[str]:
    """The CRM persons the rows name, whose records the change set reads."""
    return sorted(set(out["person_id"].dropna()) - new_persons)


def person_changes(out: pd.DataFrame, std: pd.DataFrame, con: duckdb.DuckDBPyConnection,
                   definition: Definition, run_id: str, new_persons: set,
                   current: pd.DataFrame | None = None) -> EntityChanges:
    """Inserts and updates of the persons the rows name (``out`` holds the ids per row;
    ``current``: their CRM records when read already, see ``known_person_ids``)."""
    persons = _named_first(out["person_id"].dropna(), std)
    if current is None:
        current = crm_frame(con, "persons", "person_id", known_person_ids(out, new_persons))
    fields = {**PERSON_FIELDS, **private_fields(std)}
    return entity_changes("person", persons, _private_details_only(std, out, persons, fields),
                          fields, current, definition, run_id,
                          new_ids=pd.Series(sorted(new_persons), dtype=object))
