"""Dynamics-style contact cards: one per organisation (Company) and per person (Person, with
their company's number), new numbers from the layout's number series, address and phone
inherited from the company by a new person (inherited values win over the defaults)."""
from __future__ import annotations

import duckdb
import pandas as pd

from workbench.crm.model import CrmLayout, NumberSeries
from workbench.crm.rows import entity_frame, references

_INHERITED = ("address_line", "postcode", "city", "country", "phone")


def new_numbers(new_ids: list[str], taken: set[str], series: NumberSeries | None
                ) -> dict[str, str]:
    """A number from the series for each new record, never one the snapshot holds."""
    if series is None:
        return {}
    numbers, n = {}, series.start
    for record in new_ids:
        while (number := f"{series.prefix}{n:0{series.width}d}") in taken:
            n += 1
        numbers[record] = number
        taken.add(number)
        n += 1
    return numbers


def _companies(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]
               ) -> tuple[pd.Series, pd.Series]:
    """Each person's company and job: the change set's contact link, else the snapshot's."""
    links = entity_frame(tables, "contact", True)
    links = links[links["contact_type"].fillna("person") == "person"]
    known = con.execute("SELECT person_id, min(org_id) FROM contacts WHERE contact_type = "
                        "'person' GROUP BY person_id").fetchall()
    company = dict(known)
    company.update(zip(links["person_id"], links["org_id"], strict=True))
    jobs = dict(zip(links["person_id"], links["job_title"], strict=True))
    return pd.Series(company, dtype=object), pd.Series(jobs, dtype=object)


def _org_cards(orgs: pd.DataFrame) -> pd.DataFrame:
    cards = orgs.reindex(columns=["org_id", "name", "address_line", "postcode", "city", "country",
                                  "phone", "email", "website", "kvk_number", "_action"])
    return cards.rename(columns={"org_id": "no"}).assign(contact_type="organisation")


def _person_cards(persons: pd.DataFrame, company: pd.Series, jobs: pd.Series,
                  org_full: pd.DataFrame) -> pd.DataFrame:
    cards = persons.reindex(columns=["person_id", "first_name", "name_prefix", "last_name",
                                     "address_line", "postcode", "city", "country", "phone",
                                     "mobile", "email", "_action"])
    cards = cards.rename(columns={"person_id": "no"}).assign(contact_type="person")
    cards["name"] = [" ".join(str(p) for p in parts if p) or None for parts in zip(
        cards["first_name"], cards["name_prefix"], cards["last_name"], strict=True)]
    cards["company_no"] = company.reindex(cards["no"]).to_numpy()
    cards["job_title"] = jobs.reindex(cards["no"]).to_numpy()
    new = cards["_action"].eq("insert") & cards["company_no"].notna()
    parent = org_full.reindex(cards["company_no"])
    for col in _INHERITED:  # the company's value wins over the layout's defaults
        take = new.to_numpy() & cards[col].isna().to_numpy()
        cards.loc[take, col] = parent[col].to_numpy()[take]
    return cards


def card_rows(tables: dict[str, pd.DataFrame], con: duckdb.DuckDBPyConnection,
              layout: CrmLayout) -> pd.DataFrame:
    """One card per organisation and person in the change set, as ``card.*`` columns."""
    whole = layout.output.updates == "whole_record"
    orgs, persons = entity_frame(tables, "org", whole), entity_frame(tables, "person", whole)
    company, jobs = _companies(con, tables)
    full = entity_frame(tables, "org", True)
    org_full = pd.concat([full, references(con, "org", [
        i for i in company.dropna().unique() if i not in full.index], True)])
    cards = pd.concat([_org_cards(orgs), _person_cards(persons, company, jobs, org_full)],
                      ignore_index=True)
    taken = {r[0] for r in con.execute("SELECT org_id FROM organisations UNION "
                                       "SELECT person_id FROM persons").fetchall()}
    numbers = new_numbers(list(cards.loc[cards["_action"].eq("insert"), "no"]), taken,
                          layout.output.number_series)
    cards["no"] = cards["no"].map(lambda v: numbers.get(v, v))
    cards["company_no"] = cards["company_no"].map(lambda v: numbers.get(v, v))
    cards = cards.add_prefix("card.")
    return cards.astype(object).where(cards.notna(), None)
