"""Issue 12, item 7: contact exports map their second e-mails, phones and departments, and a
private person (no organisation) keeps the 2nd-5th e-mails, phones, mobiles and addresses."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from small_crm import make_small

from workbench.pipeline import RunSettings, run
from workbench.read import read_table
from workbench.read.contacts import contact_export_columns

DATA = Path(__file__).resolve().parent / "data" / "good"


def test_outlook_and_google_second_values_and_department_are_mapped() -> None:
    outlook = contact_export_columns(list(read_table(DATA / "outlook.csv").columns[1:]))
    assert outlook is not None
    assert (outlook["contact_email_2"], outlook["department_name"],
            outlook["contact_mobile"]) == ("E-mail 2 Address", "Department", "Mobile Phone")
    google = contact_export_columns(list(read_table(DATA / "google.csv").columns[1:]))
    assert google is not None
    assert (google["contact_email_2"], google["contact_phone_2"], google["department_name"]) == (
        "E-mail 2 - Value", "Phone 2 - Value", "Organization Department")


def test_a_private_person_keeps_second_to_fifth_values(tmp_path: Path) -> None:
    header = ["Voornaam", "Achternaam", "E-mail contactpersoon", "E-mail contactpersoon 2",
              "Mobiel", "Mobiel 2", "Adres", "Postcode", "Plaats", "Adres 2", "Postcode 2",
              "Plaats 2"]
    rows = [["Els", "Kuipers", "els@kuipers.nl", "els.k@gmail.com", "06-12345678",
             "06-87654321", "Markt 1", "8011 AB", "Zwolle", "Dorpsweg 3", "7511 AA",
             "Enschede"]]
    paths = make_small(tmp_path, rows, header)
    result = run(RunSettings(paths["input"], paths["crm"], tmp_path / "out",
                             state_path=tmp_path / "state.duckdb"))
    persons = pd.read_csv(tmp_path / "out" / "persons_insert.csv", dtype=str,
                          encoding="utf-8-sig")
    assert len(persons) == 1, result.changeset.outcomes
    person = persons.iloc[0]
    assert (person["email"], person["email_2"]) == ("els@kuipers.nl", "els.k@gmail.com")
    assert (person["mobile"], person["mobile_2"]) == ("+31612345678", "+31687654321")
    assert (person["street"], person["street_2"], person["postcode_2"], person["city_2"]) == (
        "Markt", "Dorpsweg", "7511 AA", "Enschede")
