"""An address is one unit under the update policy: taken whole from the file or not at all."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import small_crm
from small_crm import HEADER

from workbench.definition import suggest_definition
from workbench.pipeline import RunSettings, run
from workbench.snapshot import build_snapshot

ORG_5 = "ORG-5,Garage Dorpsweg,55556666,Dorpsweg,5,,,Zwolle,NL,,,\n"
ROW = ["Garage Dorpsweg", "55556666", "Andere Weg 7", "8011 AA", "Zwolle", "038-1234567", "",
       "", "", "", "", "", ""]


def _run(tmp_path, policy: str) -> pd.DataFrame:
    export = tmp_path / "crm"
    export.mkdir()
    (export / "organisations.csv").write_text(small_crm.ORGS + ORG_5, encoding="utf-8")
    (export / "persons.csv").write_text(small_crm.PERSONS, encoding="utf-8")
    (export / "contacts.csv").write_text(small_crm.CONTACTS, encoding="utf-8")
    build_snapshot(export, tmp_path / "crm.duckdb")
    pd.DataFrame([ROW], columns=HEADER).to_csv(tmp_path / "in.csv", sep=";", index=False)
    definition = replace(suggest_definition(HEADER), update_policy=policy)
    result = run(RunSettings(tmp_path / "in.csv", tmp_path / "crm.duckdb", tmp_path / "out",
                             definition.save(tmp_path / "def.yml"),
                             state_path=tmp_path / "state.duckdb"))
    updates = result.changeset.tables["organisations_update"]
    return updates.set_index("org_id")


def test_fill_empty_keeps_the_crm_address_whole(tmp_path):
    updates = _run(tmp_path, "fill_empty")
    assert "ORG-5" in updates.index  # the phone was empty in the CRM: that is filled
    org = updates.loc["ORG-5"]
    assert org["phone"] and (org["street"], org["house_number"]) == ("Dorpsweg", "5")
    assert pd.isna(org["postcode"])  # never "Dorpsweg 5, 8011 AA"
    assert "postcode" not in org["changed_fields"] and "phone" in org["changed_fields"]


def test_overwrite_takes_the_file_address_whole(tmp_path):
    org = _run(tmp_path, "overwrite").loc["ORG-5"]
    assert (org["street"], org["house_number"], org["postcode"]) == ("Andere Weg", "7", "8011 AA")
    assert {"street", "house_number", "postcode"} <= set(org["changed_fields"].split(","))
