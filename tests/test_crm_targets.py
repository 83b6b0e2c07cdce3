"""Each CRM both ways: its export becomes the snapshot, the change set comes out as its import
wizard loads it (headers, one sheet, row shape, split sizes, required fields, codes)."""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from crm_exports import UNKNOWN, write_export
from openpyxl import load_workbook
from small_crm import HEADER, INCOMING

from workbench.apply import apply_changeset, undo_run
from workbench.cli import main
from workbench.crm import load_layout
from workbench.crm.write import write_target
from workbench.definition import suggest_definition
from workbench.pipeline import RunSettings, run

GENDERS = ["V", "M", "", "V", "V", "M"]  # Piet Pietersen's gender unknown
SYSTEMS = {"afas-profit": True, "superoffice": False, "reveal-field": False, "dynamics-bc": False}


def _headers(layout) -> list[str]:
    repeated = [r.header.format(n=n) for r in layout.output.repeats for n in range(1, r.count + 1)]
    return [*layout.output.columns, *repeated]


def _read(path: Path) -> tuple[list[str], list[dict]]:
    """A target file read back as the wizard sees it: headers of row 1 and the rows."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    else:
        book = load_workbook(path, read_only=True)
        assert len(book.sheetnames) == 1  # one sheet
        rows = [["" if v is None else str(v) for v in r] for r in book.active.iter_rows(
            values_only=True)]
        book.close()
    header = rows[0]
    assert len(header) == len(set(header))  # every header once
    return header, [dict(zip(header, r, strict=True)) for r in rows[1:]]


_TRIPS: dict[str, dict] = {}


@pytest.fixture(scope="module", params=list(SYSTEMS))
def round_trip(request, tmp_path_factory) -> dict:
    return _trip(request.param, tmp_path_factory)


def _trip(system: str, tmp_path_factory) -> dict:
    """Snapshot of the system's export, a run with it as target, the target files read back."""
    if system in _TRIPS:
        return _TRIPS[system]
    root = tmp_path_factory.mktemp(system)
    export = write_export(system, root / "export", csv=SYSTEMS[system])
    db = root / "crm.duckdb"
    assert main(["snapshot", str(export), "--db", str(db), "--from", system]) == 0
    rows = [[*r, g] for r, g in zip(INCOMING, GENDERS, strict=True)]
    pd.DataFrame(rows, columns=[*HEADER, "Geslacht"]).to_csv(root / "in.csv", sep=";",
                                                             index=False)
    definition = suggest_definition([*HEADER, "Geslacht"]).save(root / "def.yml")
    result = run(RunSettings(root / "in.csv", db, root / "out", definition,
                             state_path=root / "state.duckdb", target=system))
    layout = load_layout(system)
    files = sorted((root / "out" / system).glob(f"{system}*"))
    read = [_read(f) for f in files]
    _TRIPS[system] = {"system": system, "root": root, "db": db, "result": result, "layout": layout,
            "files": files, "headers": read[0][0], "rows": [r for _, rs in read for r in rs],
            "rejects": pd.read_excel(root / "out" / system / "rejects.xlsx", dtype=str)}
    return _TRIPS[system]


def test_snapshot_keeps_every_value_and_the_unknown_column(round_trip, capsys):
    with duckdb.connect(str(round_trip["db"]), read_only=True) as con:
        assert con.execute("SELECT count(*), count(name), count(org_id) FROM organisations"
                           ).fetchone() == (4, 4, 4)
        assert con.execute("SELECT count(last_name) FROM persons").fetchone() == (2,)
        genders = [g for (g,) in con.execute("SELECT gender FROM persons ORDER BY person_id")
                   .fetchall()]
    if "gender" in round_trip["layout"].intake["persons"].columns:
        assert genders == ["M", "F"]  # the system's codes (V, Vrouw) read as canonical ones
    with duckdb.connect(str(round_trip["db"]), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT record_id) FROM extra WHERE column_name = ?",
                           [UNKNOWN]).fetchone()[0] == 4 + 2 + 3 - (
            3 if "contacts" not in round_trip["layout"].intake else 0)


def test_target_files_in_the_wizards_layout(round_trip):
    layout, rows = round_trip["layout"], round_trip["rows"]
    assert round_trip["headers"] == _headers(layout)
    assert len(round_trip["files"]) == 1 and rows
    for rule in layout.output.required:
        if rule.when == "always":
            assert all(any(r[c] for c in rule.any_of) for r in rows)
    for header, limit in layout.output.max_length.items():
        assert all(len(r.get(header, "")) <= limit for r in rows)
    # the canonical files stay beside the target's folder
    assert (round_trip["root"] / "out" / "organisations_insert.csv").exists()


def test_afas_rows_carry_organisation_person_and_codes(tmp_path_factory):
    round_trip = _trip("afas-profit", tmp_path_factory)
    rows = round_trip["rows"]
    assert {"Straat (Adres organisatie)", "Achternaam (Persoon)", "Geslacht (Persoon)",
            "Straat (Adres contact)"} <= set(round_trip["headers"])
    new = [r for r in rows if r["Nummer (Persoon)"].startswith("NEW-")]
    assert new and all(r["Achternaam (Persoon)"] and r["Geslacht (Persoon)"] in {"M", "V"}
                       for r in new)
    assert "V" in {r["Geslacht (Persoon)"] for r in new}  # never the canonical F
    # a new person without gender is refused by AFAS: the row is rejected with the reason in the
    # canonical accounting (row_outcomes, rejects.xlsx), so the wizard's file never offers it
    outcomes = round_trip["result"].changeset.outcomes.set_index("source_row")
    assert outcomes.at[3, "status"] == "rejected"
    assert "Geslacht (Persoon)" in outcomes.at[3, "reason"]
    assert round_trip["rejects"].empty
    assert not [r for r in rows if r["Naam (Organisatie)"] == "Jansen Installaties"]
    smit = next(r for r in new if r["Achternaam (Persoon)"] == "Smit")
    assert smit["Naam (Organisatie)"] == "Smit Schilders V.O.F."
    assert smit["Straat (Adres contact)"] == smit["Straat (Adres organisatie)"] == "Molenlaan"
    # an update carries its key and changed fields only: ORG-2 gets its phone, nothing else
    org2 = [r for r in rows if r["Nummer (Organisatie)"] == "ORG-2" and not r["Nummer (Persoon)"]]
    assert org2 and org2[0]["Telefoonnr. werk (Organisatie)"] and not org2[0]["Naam (Organisatie)"]


def test_apply_and_undo_stay_exact(tmp_path_factory, tmp_path):
    round_trip = _trip("afas-profit", tmp_path_factory)
    into = tmp_path / "test.duckdb"
    apply_changeset(round_trip["root"] / "out", round_trip["db"], into)
    undo_run(round_trip["result"].run_id, into)
    query = "SELECT * FROM organisations ORDER BY org_id"
    with duckdb.connect(str(round_trip["db"]), read_only=True) as a, \
            duckdb.connect(str(into), read_only=True) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()


def test_reveal_rows_have_a_name_and_a_phone(tmp_path_factory):
    round_trip = _trip("reveal-field", tmp_path_factory)
    for r in round_trip["rows"]:
        assert (r["Voornaam"] or r["Achternaam"]) and (r["Telefoon 1"] or r["Mobiel 1"])
    reasons = set(round_trip["rejects"]["reason"])
    assert reasons == {"Telefoon 1 or Mobiel 1 is required"}


def test_superoffice_one_row_per_person_with_company(tmp_path_factory):
    round_trip = _trip("superoffice", tmp_path_factory)
    rows = round_trip["rows"]
    people = [r for r in rows if r["Achternaam"]]
    assert {r["Achternaam"] for r in people} >= {"Smit", "Visser", "Pietersen"}
    assert all(r["Bedrijfsnaam"] for r in people if r["Persoons-ID"].startswith("NEW-"))
    assert {r["Geslacht"] for r in people} <= {"Man", "Vrouw", ""}


def test_dynamics_cards_numbered_from_the_series(tmp_path_factory):
    round_trip = _trip("dynamics-bc", tmp_path_factory)
    rows = round_trip["rows"]
    with duckdb.connect(str(round_trip["db"]), read_only=True) as con:
        taken = {r[0] for r in con.execute("SELECT org_id FROM organisations UNION "
                                           "SELECT person_id FROM persons").fetchall()}
    assert {r["Type"] for r in rows} == {"Company", "Person"}
    new = [r for r in rows if r["No."].startswith("CT")]
    assert new and not {r["No."] for r in new} & taken
    assert all(len(r["No."]) == 8 for r in new)  # CT + six digits
    companies = {r["No."] for r in rows if r["Type"] == "Company"} | taken
    persons = [r for r in new if r["Type"] == "Person"]
    assert persons and all(r["Company No."] in companies for r in persons)
    # inherited from the company: its address wins over the default country
    smit = next(r for r in persons if r["Surname"] == "Smit")
    assert smit["Address"] == "Molenlaan 3" and smit["City"] == "Groningen"
    assert smit["Language Code"] == "NLD"


def test_reveal_split_at_10000_contacts(tmp_path):
    with duckdb.connect() as con:
        con.execute("CREATE TABLE organisations AS SELECT 'ORG-1' AS org_id, 'X' AS name")
        con.execute("CREATE TABLE persons AS SELECT 'PER-1' AS person_id")
        con.execute("CREATE TABLE contacts AS SELECT 'C' AS contact_id, 'ORG-1' AS org_id, "
                    "'PER-1' AS person_id, 'person' AS contact_type")
        n = 25_000
        persons = pd.DataFrame({
            "person_id": [f"NEW-PER-{i:06d}" for i in range(n)],
            "first_name": [f"Voornaam{i}" for i in range(n)],
            "last_name": [f"Achternaam{i}" for i in range(n)],
            "email": [f"persoon{i}@voorbeeld.nl" for i in range(n)],
            "phone": [None if i % 1000 == 0 else f"+3120{i:07d}" for i in range(n)],
            "street": "Dorpsstraat", "house_number": [str(i) for i in range(n)],
            "house_number_addition": None, "postcode": "1234 AB", "city": "Amsterdam",
            "country": "NL"})
        files = write_target({"persons_insert": persons}, con, load_layout("reveal-field"),
                             tmp_path / "reveal-field")
    parts = sorted(p for name, p in files.items() if "part" in name)
    assert len(parts) >= 3
    contacts = 0
    for part in parts:
        assert part.stat().st_size <= 5_000_000
        header, rows = _read(part)
        assert 0 < len(rows) <= 10_000
        assert all((r["Voornaam"] or r["Achternaam"]) and r["Telefoon 1"] for r in rows)
        contacts += len(rows)
    rejects = pd.read_excel(tmp_path / "reveal-field" / "rejects.xlsx", dtype=str)
    assert contacts + len(rejects) == n and len(rejects) == 25
    assert set(rejects["reason"]) == {"Telefoon 1 or Mobiel 1 is required"}


def test_template_for_reveal(tmp_path, capsys):
    out = tmp_path / "reveal.xlsx"
    assert main(["template", "--target", "reveal-field", str(out)]) == 0
    header, rows = _read(out)
    assert rows == [] and header == _headers(load_layout("reveal-field"))
    assert "Telefoon 5" in header and "Mobiel 1" in header


def test_afas_department_and_move_date(tmp_path_factory, tmp_path):
    trip = _trip("afas-profit", tmp_path_factory)
    contacts = pd.DataFrame([
        {"contact_id": "NEW-CON-1", "org_id": "ORG-1", "person_id": None,
         "contact_type": "department", "department_name": "Inkoop"},
        {"contact_id": "NEW-CON-2", "org_id": "ORG-1", "person_id": None,
         "contact_type": "delivery_address", "street": "Havenweg"}])
    orgs = pd.DataFrame([{"org_id": "ORG-3", "street": "Nieuweweg", "house_number": "1",
                          "postcode": "2511 AA", "city": "Den Haag", "country": "NL",
                          "changed_fields": "street,house_number,postcode"}])
    history = pd.DataFrame([{"entity": "organisation", "record_id": "ORG-3",
                             "street": "Nieuweweg", "valid_from": "2026-12-01",
                             "valid_to": None}])
    with duckdb.connect(str(trip["db"]), read_only=True) as con:
        write_target({"contacts_insert": contacts, "organisations_update": orgs,
                      "address_history": history}, con, load_layout("afas-profit"),
                     tmp_path / "afas-profit")
    _, rows = _read(tmp_path / "afas-profit" / "afas-profit.csv")
    kinds = {r["Soort contact (Contact)"]: r for r in rows if r["Soort contact (Contact)"]}
    assert kinds["AFD"]["Nummer (Persoon)"] == "-20"
    assert kinds["AFD"]["Afdeling (Contact)"] == "Inkoop"
    assert kinds["AFL"]["Nummer (Persoon)"] == "-10"
    assert kinds["AFL"]["Straat (Adres contact)"] == "Havenweg"  # its own address
    assert kinds["AFD"]["Nummer (Organisatie)"] == "ORG-1"
    moved = next(r for r in rows if r["Nummer (Organisatie)"] == "ORG-3")
    assert moved["Verhuisdatum (Adres organisatie)"] == "2026-12-01"
    # the address goes whole, the name (unchanged) does not
    assert moved["Woonplaats (Adres organisatie)"] == "Den Haag" and not moved["Naam (Organisatie)"]
