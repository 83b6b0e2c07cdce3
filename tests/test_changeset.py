"""Every action and policy of the import definition on a small hand-made case, files asserted."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook
from small_crm import HEADER, INCOMING, make_small

from workbench.definition import Definition, suggest_definition
from workbench.pipeline import RunSettings, run


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("small")
    return {"root": root, **make_small(root)}


def _run(small: dict, tmp_path: Path, definition: Definition | None = None,
         input_path: Path | None = None):
    input_path = input_path or small["input"]
    if definition is None:
        headers = pd.read_csv(input_path, sep=";", nrows=0).columns.tolist()
        definition = suggest_definition(headers)
    def_path = definition.save(tmp_path / "def.yml")
    result = run(RunSettings(input_path, small["crm"], tmp_path / "out", def_path,
                             state_path=tmp_path / "state.duckdb"))
    out = result.changeset.outcomes.set_index("source_row")
    return result, out


def _csv(result, name: str) -> pd.DataFrame:
    return pd.read_csv(result.out_dir / f"{name}.csv", dtype=str, encoding="utf-8-sig",
                       keep_default_na=False)


def _base(small) -> Definition:
    return suggest_definition(HEADER)


def test_organisations_with_contact_persons_in_one_file(small, tmp_path):
    result, out = _run(small, tmp_path)
    orgs, persons, contacts = (_csv(result, n) for n in ("organisations_insert", "persons_insert",
                                                         "contacts_insert"))
    assert sorted(orgs["name"]) == ["Jansen Installaties", "Smit Schilders V.O.F."]
    assert set(persons["last_name"]) == {"Pietersen", "Smit", "Visser"}
    assert len(contacts) == 3 and set(contacts["contact_type"]) == {"person"}
    assert set(contacts["org_id"]) <= set(orgs["org_id"])


def test_only_organisations(small, tmp_path):
    result, out = _run(small, tmp_path, replace(_base(small), import_persons=False))
    assert _csv(result, "persons_insert").empty and _csv(result, "contacts_insert").empty
    assert (out["person_action"] == "none").all() and (out["contact_action"] == "none").all()
    assert len(_csv(result, "organisations_insert")) == 2


def test_persons_without_an_organisation(small, tmp_path):
    rows = [["Jan", "de Vries", "j.devries@bakkerijjansen.nl", "06-12345678", "", ""],
            ["Els", "Mulder", "els.mulder@example.nl", "0612345679", "Lindelaan 5-2", "7511AB"]]
    header = ["Voornaam", "Achternaam", "E-mail", "Mobiel", "Adres", "Postcode"]
    path = tmp_path / "personen.csv"
    pd.DataFrame(rows, columns=header).to_csv(path, sep=";", index=False)
    definition = replace(suggest_definition(header),
                         columns={"person_first_name": "Voornaam", "person_last_name": "Achternaam",
                                  "contact_email": "E-mail", "contact_mobile": "Mobiel",
                                  "org_address_line": "Adres", "org_postcode": "Postcode"})
    result, out = _run(small, tmp_path, definition, path)
    assert out.at[1, "person_id"] == "PER-1"  # same e-mail as his contact record
    persons = _csv(result, "persons_insert")
    assert persons[["first_name", "last_name", "email", "mobile", "street", "house_number",
                    "house_number_addition", "postcode"]].values.tolist() == [
        ["Els", "Mulder", "els.mulder@example.nl", "+31612345679", "Lindelaan", "5", "2",
         "7511 AB"]]
    assert _csv(result, "organisations_insert").empty and _csv(result, "contacts_insert").empty
    assert (out["org_action"] == "none").all()


def test_update_existing_only_never_inserts(small, tmp_path):
    result, out = _run(small, tmp_path, replace(_base(small), create_new=False))
    for name in ("organisations_insert", "persons_insert"):
        assert _csv(result, name).empty
    assert out.loc[[3, 4, 5, 6], "status"].eq("skipped").all()
    assert out.at[3, "reason"] == "organisation not in the CRM and create_new is off for organisations"
    assert out.at[1, "status"] == "accepted" and out.at[1, "org_id"] == "ORG-1"


def test_empty_value_erases_only_when_asked(small, tmp_path):
    base = replace(_base(small), update_policy="overwrite")
    result, _ = _run(small, tmp_path / "a", base)
    diff = result.changeset.changes
    assert diff[(diff["id"] == "ORG-1") & (diff["field"] == "phone")].empty
    result, out = _run(small, tmp_path / "b", replace(base, erase_when_empty=("org_phone",)))
    diff = result.changeset.changes
    row = diff[(diff["id"] == "ORG-1") & (diff["field"] == "phone")]
    assert row[["old", "new"]].values.tolist() == [["+31302345678", None]]
    update = _csv(result, "organisations_update").set_index("org_id")
    assert update.at["ORG-1", "phone"] == "" and "phone" in update.at["ORG-1", "changed_fields"]
    assert out.at[1, "org_action"] == "update"


def test_existing_person_at_another_existing_organisation_gets_a_link(small, tmp_path):
    rows = [["Van Dijk Installatietechniek", "87654321", "Kerkweg 7", "2511 CV", "Den Haag", "",
             "", "A", "Anna", "", "Bakker", "Adviseur", "a.bakker@hoekstra-transport.nl"]]
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=HEADER).to_csv(path, sep=";", index=False)
    result, out = _run(small, tmp_path, input_path=path)
    assert out.at[1, "org_id"] == "ORG-3" and out.at[1, "person_id"] == "PER-2"
    assert (out.at[1, "org_action"], out.at[1, "person_action"], out.at[1, "contact_action"]) == \
        ("unchanged", "unchanged", "insert")
    link = _csv(result, "contacts_insert")
    assert link[["org_id", "person_id", "job_title"]].values.tolist() == [
        ["ORG-3", "PER-2", "Adviseur"]]


def test_defaults_for_new_records_and_fixed_values_that_override(small, tmp_path):
    result, _ = _run(small, tmp_path / "a")
    assert set(_csv(result, "organisations_insert")["country"]) == {"NL"}  # a default
    assert _csv(result, "organisations_update")["country"].eq("NL").all()  # CRM value kept
    definition = replace(_base(small), defaults={}, fixed={"org_country": "BE"})
    result, _ = _run(small, tmp_path / "b", definition)
    assert set(_csv(result, "organisations_insert")["country"]) == {"BE"}


def test_new_contact_inherits_address_and_phone(small, tmp_path):
    result, _ = _run(small, tmp_path / "a", replace(_base(small),
                                                    contact_address_from_organisation=False))
    contacts = _csv(result, "contacts_insert")
    assert (contacts["postcode"] == "").all()
    result, _ = _run(small, tmp_path / "b", replace(_base(small), inherit=("phone",)))
    contacts = _csv(result, "contacts_insert").set_index("source_row")
    visser = contacts.loc["6"]
    assert (visser["street"], visser["house_number"], visser["postcode"], visser["phone"]) == \
        ("Molenlaan", "3", "9711 AA", "+31501234567")


def test_export_headers_named_by_the_definition(small, tmp_path):
    definition = replace(_base(small), export_headers={"organisations.name": "Naam",
                                                       "organisations.kvk_number": "KvK"})
    result, _ = _run(small, tmp_path, definition)
    csv_header = _csv(result, "organisations_insert").columns.tolist()
    assert csv_header[:3] == ["org_id", "Naam", "KvK"]
    ws = load_workbook(result.out_dir / "organisations_insert.xlsx").active
    assert [c.value for c in ws[1]][:3] == ["org_id", "Naam", "KvK"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref  # header frozen and filtered
    parquet = duckdb.sql(f"SELECT * FROM read_parquet('{result.out_dir}/"
                         "organisations_insert.parquet')").df()
    assert "name" in parquet.columns  # Parquet keeps the canonical names for pipelines


def test_no_xlsx_output_holds_a_formula(small, tmp_path):
    rows = [r[:] for r in INCOMING]
    rows[3][0] = '=HYPERLINK("http://evil.example","Smit")'
    rows[3][11] = "@SUM(1+1)"
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=HEADER).to_csv(path, sep=";", index=False)
    result, _ = _run(small, tmp_path, input_path=path)
    for xlsx in result.out_dir.glob("*.xlsx"):
        wb = load_workbook(xlsx)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                assert all(c.data_type != "f" for c in row), xlsx.name
    names = _csv(result, "organisations_insert")["name"].tolist()
    assert "'=HYPERLINK(\"http://evil.example\",\"Smit\")" in names


MOVE_HEADER = ["Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Verhuisdatum"]


@pytest.mark.parametrize("move_date", ["", "01-03-2027"])
def test_address_change_with_and_without_a_move_date(small, tmp_path, move_date):
    rows = [["Hoekstra Transport B.V.", "12345678", "Havenweg 20", "3542 AB", "Utrecht", move_date]]
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=MOVE_HEADER).to_csv(path, sep=";", index=False)
    definition = replace(suggest_definition(MOVE_HEADER), update_policy="fill_empty")
    assert definition.columns["org_move_date"] == "Verhuisdatum"
    result, out = _run(small, tmp_path, definition, path)
    history = _csv(result, "address_history")
    update = _csv(result, "organisations_update")
    if not move_date:  # fill empty only: the CRM's address stays, nothing is history
        assert history.empty and out.at[1, "org_action"] == "unchanged"
        return
    assert history[["street", "house_number", "postcode", "valid_from", "valid_to"]].values \
        .tolist() == [["Industrieweg", "4", "3542 AD", "", "2027-03-01"],
                      ["Havenweg", "20", "3542 AB", "2027-03-01", ""]]
    row = update.set_index("org_id").loc["ORG-1"]
    assert (row["street"], row["house_number"], row["postcode"]) == ("Havenweg", "20", "3542 AB")
    assert out.at[1, "org_action"] == "update"


def test_a_move_date_that_is_no_date_costs_the_date_not_the_row(small, tmp_path):
    rows = [["Hoekstra Transport B.V.", "12345678", "Havenweg 20", "3542 AB", "Utrecht", "morgen"]]
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=MOVE_HEADER).to_csv(path, sep=";", index=False)
    result, out = _run(small, tmp_path, suggest_definition(MOVE_HEADER), path)
    # matched and kept as a row without a move date (fill empty only: the address stays)
    assert (out.at[1, "status"], out.at[1, "org_action"]) == ("accepted", "unchanged")
    problems = _csv(result, "problems")
    date = problems[problems["field"] == "org_move_date"]
    assert date["problem"].tolist() == ["move date 'morgen' is not a date (expected dd-mm-yyyy); "
                                        "left out"]


def test_a_move_date_excel_kept_as_its_day_number_is_read(small, tmp_path):
    # an xlsx cell that Excel did not format as a date holds its serial: 45465 is 22-06-2024
    rows = [["Hoekstra Transport B.V.", "12345678", "Havenweg 20", "3542 AB", "Utrecht", "45465"]]
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=MOVE_HEADER).to_csv(path, sep=";", index=False)
    result, out = _run(small, tmp_path, suggest_definition(MOVE_HEADER), path)
    assert out.at[1, "status"] == "accepted"
    history = pd.read_csv(result.out_dir / "address_history.csv", dtype=str)
    assert "2024-06-22" in history.to_numpy().ravel().tolist()


def test_apply_writes_and_undo_removes_the_address_history(small, tmp_path):
    from workbench.apply import apply_changeset, undo_run

    rows = [["Hoekstra Transport B.V.", "12345678", "Havenweg 20", "3542 AB", "Utrecht",
             "2027-03-01"]]
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=MOVE_HEADER).to_csv(path, sep=";", index=False)
    result, _ = _run(small, tmp_path, suggest_definition(MOVE_HEADER), path)
    test_db = tmp_path / "test.duckdb"
    apply_changeset(result.out_dir, small["crm"], test_db)
    with duckdb.connect(str(test_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM address_history").fetchone()[0] == 2
        assert con.execute("SELECT street FROM organisations WHERE org_id = 'ORG-1'"
                           ).fetchone()[0] == "Havenweg"
    undo_run(result.run_id, test_db)
    with duckdb.connect(str(test_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM address_history").fetchone()[0] == 0
        assert con.execute("SELECT street FROM organisations WHERE org_id = 'ORG-1'"
                           ).fetchone()[0] == "Industrieweg"


DEPT_HEADER = ["Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Afdeling",
               "Afleveradres", "Afleverpostcode", "Afleverplaats"]


def test_departments_and_delivery_addresses_are_contacts(small, tmp_path):
    rows = [
        ["Hoekstra Transport B.V.", "12345678", "Industrieweg 4", "3542 AD", "Utrecht", "planning",
         "", "", ""],                                    # the CRM's department: left alone
        ["Hoekstra Transport B.V.", "12345678", "Industrieweg 4", "3542 AD", "Utrecht", "Inkoop",
         "", "", ""],                                    # a new department
        ["Van Dijk Installatietechniek", "87654321", "Kerkweg 7", "2511 CV", "Den Haag", "",
         "Loswal 2a", "2516be", "Den Haag"],              # a new delivery address
        ["Van Dijk Installatietechniek", "87654321", "Kerkweg 7", "2511 CV", "Den Haag", "",
         "Loswal 2a", "2516 BE", "'s-Gravenhage"],        # the same one again
        ["Van Dijk Installatietechniek", "87654321", "Kerkweg 7", "2511 CV", "Den Haag", "",
         "Loswal", "2516 BE", "Den Haag"],                # no house number: address left out
    ]
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=DEPT_HEADER).to_csv(path, sep=";", index=False)
    definition = suggest_definition(DEPT_HEADER)
    assert definition.columns["department_name"] == "Afdeling"
    assert definition.columns["delivery_address_line"] == "Afleveradres"
    result, out = _run(small, tmp_path, definition, path)
    contacts = _csv(result, "contacts_insert")
    got = contacts[["org_id", "contact_type", "department_name", "street", "house_number",
                    "house_number_addition", "postcode"]].values.tolist()
    assert got == [["ORG-1", "department", "Inkoop", "Industrieweg", "4", "", "3542 AD"],
                   ["ORG-3", "delivery_address", "", "Loswal", "2", "A", "2516 BE"]]
    assert out["contact_action"].tolist()[:4] == ["unchanged", "insert", "insert", "none"]
    assert out.at[4, "status"] == "in_file_duplicate"
    # a delivery address without a house number costs the address, never the row
    assert out.at[5, "status"] != "rejected"
    problems = pd.read_csv(result.out_dir / "problems.csv", dtype=str, keep_default_na=False)
    left_out = problems[problems["problem"].str.contains("delivery address is left out")]
    assert left_out["source_row"].tolist() == ["5"]


def test_delivery_addresses_of_any_country_cost_the_address_not_the_row(small, tmp_path):
    header = [*DEPT_HEADER, "Land"]
    rows = [
        ["Acme Logistics Inc", "", "233 S Wacker Dr", "60606", "Chicago", "",
         "1312 S Racine Ave", "60608", "Chicago", "US"],
        ["Brasserie Dupont SA", "", "Avenue Louise 54", "1050", "Brussel", "",
         "Rue de la Loi 16", "1000", "Bruxelles", "BE"],
        ["Van Dijk Installatietechniek", "87654321", "Kerkweg 7", "2511 CV", "Den Haag", "",
         "???", "xx", "Den Haag", ""],                   # garbage: the address is left out
    ]
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=header).to_csv(path, sep=";", index=False)
    definition = suggest_definition(header)
    assert definition.columns["org_country"] == "Land"
    result, out = _run(small, tmp_path, definition, path)
    assert "rejected" not in out["status"].tolist()
    contacts = _csv(result, "contacts_insert")
    delivery = contacts[contacts["contact_type"] == "delivery_address"]
    got = delivery[["street", "house_number", "postcode", "source_row"]].values.tolist()
    assert got == [["S Racine Ave", "1312", "60608", "1"], ["Rue de la Loi", "16", "1000", "2"]]
    problems = pd.read_csv(result.out_dir / "problems.csv", dtype=str, keep_default_na=False)
    garbage = problems[problems["source_row"] == "3"]
    assert len(garbage) == 1 and garbage["field"].iloc[0].startswith("delivery_")
    assert "left out" in garbage["problem"].iloc[0]


PERSON_KEY_CASES = [
    {"description": "CRM person id", "input": (["person_id"], ["Bakker", "A", "F", "PER-2", ""]),
     "expected": "PER-2"},
    {"description": "name + gender + e-mail",
     "input": (["name_gender_email"], ["Vries", "J", "M", "", "j.devries@bakkerijjansen.nl"]),
     "expected": "PER-1"},
    {"description": "name + gender + e-mail, other gender: not settled, always new after",
     "input": (["name_gender_email", "always_new"],
               ["Vries", "J", "F", "", "j.devries@bakkerijjansen.nl"]),
     "expected": None},
]


@pytest.mark.parametrize("case", PERSON_KEY_CASES, ids=[c["description"] for c in PERSON_KEY_CASES])
def test_person_keys_of_the_crm_wizards(small, tmp_path, case):
    keys, values = case["input"]
    header = ["Achternaam", "Voorletters", "Geslacht", "Persoonsnummer", "E-mail contactpersoon"]
    path = tmp_path / "in.csv"
    pd.DataFrame([values], columns=header).to_csv(path, sep=";", index=False)
    definition = replace(suggest_definition(header), person_keys=tuple(keys))
    assert definition.columns["person_crm_id"] == "Persoonsnummer"
    result, out = _run(small, tmp_path, definition, path)
    got = out.at[1, "person_id"]
    if case["expected"] is None:
        assert got.startswith("NEW-") and out.at[1, "person_action"] == "insert"
    else:
        assert got == case["expected"]
        assert result.matches.rows.set_index("source_row").at[1, "person_method"] == keys[0]


@pytest.mark.parametrize("postal", [True, False])
def test_postal_address_is_visiting_address_flag(small, tmp_path, postal):
    result, _ = _run(small, tmp_path, replace(_base(small), postal_is_visiting=postal))
    orgs = _csv(result, "organisations_insert")
    assert set(orgs["postal_address_is_visiting"]) == {"true" if postal else "false"}


def test_second_emails_and_phones_are_kept_and_a_bad_one_costs_only_itself(small, tmp_path):
    header = [*HEADER, "E-mail contactpersoon 2", "Mobiel 2"]
    rows = [[*r, e, m] for r, (e, m) in zip(INCOMING[3:5], [("karin@smit.nl", "0612345678"),
                                                           ("not an e-mail", "")], strict=True)]
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=header).to_csv(path, sep=";", index=False)
    result, out = _run(small, tmp_path, input_path=path)
    contacts = _csv(result, "contacts_insert")
    assert contacts.loc[0, "email_2"] == "karin@smit.nl" and contacts.loc[0, "mobile_2"] == \
        "+31612345678"
    assert out.at[2, "status"] == "in_file_duplicate"  # not rejected for its bad second e-mail
    problems = _csv(result, "problems")
    bad = problems[problems["field"] == "contact_email_2"]
    assert bad["source_row"].tolist() == ["2"] and bad["severity"].tolist() == ["error"]


def test_place_spelled_as_the_crm_spells_it(small, tmp_path):
    rows = [["Van Dijk Installatietechniek", "87654321", "Kerkweg 7", "2511 CV", "Den Haag", "", "",
             "", "", "", "", "", ""],
            ["Surfschool Noord", "", "Zeeweg 9", "1861 AB", "Bergen (N.H.)", "", "", "", "", "",
             "", "", ""]]
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=HEADER).to_csv(path, sep=";", index=False)
    result, _ = _run(small, tmp_path, input_path=path)
    # the canonical spelling, and where the CRM spells the same place its own way, the CRM's
    assert result.prepared.std["org_city"].tolist() == ["'s-Gravenhage", "Bergen NH"]


def test_an_invalid_value_rejects_the_row_only_where_the_definition_says(small, tmp_path):
    header = [*HEADER, "Geboortedatum"]
    rows = [[*INCOMING[3], "31-02-1980"]]  # a date that does not exist
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=header).to_csv(path, sep=";", index=False)
    base = suggest_definition(header)
    result, out = _run(small, tmp_path / "a", base, path)
    assert out.at[1, "status"] == "accepted"
    assert _csv(result, "persons_insert")["birth_date"].tolist() == [""]
    problems = _csv(result, "problems")
    assert problems.loc[problems["field"] == "person_birth_date", "value"].tolist() == \
        ["**-**-****"]  # masked
    strict = replace(base, reject_invalid=(*base.reject_invalid, "person_birth_date"))
    _, out = _run(small, tmp_path / "b", strict, path)
    assert out.at[1, "status"] == "rejected" and "Birth date" in out.at[1, "reason"]


def test_a_second_address_is_kept_in_order(small, tmp_path):
    header = ["Bedrijfsnaam", "Adres", "Postcode", "Plaats", "Adres 2", "Postcode 2", "Plaats 2"]
    rows = [["Zeilmakerij Noord", "Havenweg 3", "9711 AA", "Groningen", "Postbus 44", "9700ab",
             "Groningen"]]
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=header).to_csv(path, sep=";", index=False)
    definition = suggest_definition(header)
    assert definition.columns["org_address_line_2"] == "Adres 2"
    result, out = _run(small, tmp_path, definition, path)
    org = _csv(result, "organisations_insert").iloc[0]
    assert (org["street"], org["house_number"], org["postcode"]) == ("Havenweg", "3", "9711 AA")
    assert (org["street_2"], org["house_number_2"], org["postcode_2"], org["city_2"]) == \
        ("Postbus", "44", "9700 AB", "Groningen")
    assert out.at[1, "org_action"] == "insert"


def test_a_row_without_last_name_may_only_update_an_existing_person(small, tmp_path):
    rows = [["Jan", "", "j.devries@bakkerijjansen.nl"],   # PER-1's e-mail: an update
            ["Piet", "", "piet@nergens.nl"],              # nobody known: refused
            ["Els", "", "els.mulder@example.nl"],         # a copy of the next row
            ["Els", "Mulder", "els.mulder@example.nl"]]
    header = ["Voornaam", "Achternaam", "E-mail"]
    path = tmp_path / "zonder_achternaam.csv"
    pd.DataFrame(rows, columns=header).to_csv(path, sep=";", index=False)
    definition = replace(suggest_definition(header), columns={
        "person_first_name": "Voornaam", "person_last_name": "Achternaam",
        "contact_email": "E-mail"})
    result, out = _run(small, tmp_path, definition, path)
    assert out.at[1, "status"] == "accepted" and out.at[1, "person_id"] == "PER-1"
    assert out.at[2, "status"] == "rejected"
    assert out.at[2, "reason"] == "no organisation name and no last name"
    # the complete row carries the new person; the nameless copy points to it
    assert out.at[4, "status"] == "accepted" and out.at[4, "person_action"] == "insert"
    assert out.at[3, "status"] == "in_file_duplicate" and out.at[3, "duplicate_of"] == 4
    persons = _csv(result, "persons_insert")
    assert persons["last_name"].tolist() == ["Mulder"]


def _two_painters(tmp_path: Path, undecided: str):
    """Karin Smit and, two rows on, Carin Smit of the same firm: a person pair scoring 0.88."""
    rows = [["Smit Schilders V.O.F.", "", "Molenlaan 3", "9711 AA", "Groningen", "", "", "K",
             "Karin", "", "Smit", "", ""],
            ["Smit Schilders V.O.F.", "", "Molenlaan 3", "9711 AA", "Groningen", "", "", "C",
             "Carin", "", "Smit", "", ""]]
    small = make_small(tmp_path / "crm", rows)
    definition = replace(suggest_definition(HEADER), undecided=undecided)
    return _run(small, tmp_path, definition)


def test_a_row_whose_only_person_pair_is_in_the_review_band_is_skipped(tmp_path):
    result, out = _two_painters(tmp_path, "skip")
    pair = result.matches.pairs.query("kind == 'file_person'").iloc[0]
    assert pair["band"] == "review" and 0.5 <= pair["score"] < 0.9
    assert out.loc[1, "status"] == "accepted"
    assert out.loc[2, "status"] == "skipped" and out.loc[2, "person_action"] == "none"
    assert out.loc[2, "reason"].startswith("needs review: may be the same person as row 1 "
                                           "(score 0.88")
    assert _csv(result, "persons_insert")["first_name"].tolist() == ["Karin"]


def test_with_undecided_new_the_review_band_row_is_a_new_person(tmp_path):
    result, out = _two_painters(tmp_path, "new")
    assert (out["status"] == "accepted").all()
    assert sorted(_csv(result, "persons_insert")["first_name"]) == ["Carin", "Karin"]


def test_the_duplicate_report_shows_the_thresholds_as_percentages(small, tmp_path):
    # as the definition writes them and the screens show them: "90%", not 0.9
    definition = _base(small)
    result, _ = _run(small, tmp_path, definition)
    page = (result.out_dir / "duplicate_report.html").read_text(encoding="utf-8")
    th = definition.thresholds
    assert f"match ≥ {th.match * 100:g}%, review ≥ {th.review * 100:g}%" in page
    assert f"match ≥ {th.match:g}," not in page
