"""Issue 12, item 7: Google Contacts' "a ::: b" cells split over the 2nd-5th e-mails and
phones, its per-row "Mobile" labels obeyed, Outlook's second e-mails, phones and department
mapped; all through the default path (`workbench run LIST`, no definition)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from contact_exports import GOOGLE_NEW, GOOGLE_OLD, OUTLOOK, write_export
from small_crm import make_small

from workbench.cli import main
from workbench.multivalue import label_columns, spread_values

SANNE_OLD = {  # a contact of a new organisation, in Google's older export
    "Name": "Sanne Groen", "Given Name": "Sanne", "Family Name": "Groen",
    "Group Membership": "* myContacts", "E-mail 1 - Type": "* Work",
    "E-mail 1 - Value": "sanne@groenhoveniers.nl ::: s.groen@groenhoveniers.nl",
    "E-mail 2 - Type": "Home", "E-mail 2 - Value": "sanne.groen@gmail.com",
    "Phone 1 - Type": "* Mobile", "Phone 1 - Value": "06-12345678 ::: 06-23456789",
    "Phone 2 - Type": "Work", "Phone 2 - Value": "030-2345678", "Address 1 - Type": "Work",
    "Address 1 - Street": "Parkweg 5", "Address 1 - City": "Utrecht",
    "Address 1 - Postal Code": "3511 AA", "Address 1 - Country": "Netherlands",
    "Organization 1 - Name": "Groen Hoveniers B.V.", "Organization 1 - Title": "Eigenaar",
    "Organization 1 - Department": "Tuinontwerp"}
PIET_OLD = {  # a private person with seven e-mail addresses in one cell
    "Name": "Piet Bos", "Given Name": "Piet", "Family Name": "Bos",
    "Group Membership": "* myContacts", "E-mail 1 - Type": "* Home",
    "E-mail 1 - Value": " ::: ".join(f"piet{k}@bos.nl" for k in range(1, 8)),
    "Phone 1 - Type": "Home", "Phone 1 - Value": "0318-123456", "Address 1 - Type": "Home",
    "Address 1 - Street": "Beukenlaan 8", "Address 1 - City": "Ede",
    "Address 1 - Postal Code": "6711 AB"}
LOTTE_NEW = {  # the newer export: "First Name", "Organization Name", "Phone 1 - Label"
    "First Name": "Lotte", "Last Name": "Visser", "Organization Name": "Visser Advies B.V.",
    "Organization Title": "Adviseur", "Organization Department": "Fiscaal",
    "Labels": "* myContacts", "E-mail 1 - Label": "* Work",
    "E-mail 1 - Value": "lotte@visseradvies.nl", "E-mail 2 - Label": "Other",
    "E-mail 2 - Value": "l.visser@visseradvies.nl ::: lotte.visser@hotmail.com",
    "Phone 1 - Label": "Work", "Phone 1 - Value": "050-3456789 ::: 050-3456700",
    "Phone 2 - Label": "Mobile", "Phone 2 - Value": "+31 6 34567890",
    "Address 1 - Label": "Work", "Address 1 - Street": "Vismarkt 7",
    "Address 1 - City": "Groningen", "Address 1 - Postal Code": "9711 KT",
    "Address 1 - Country": "NL"}
KAREL_OUTLOOK = {
    "First Name": "Karel", "Last Name": "Mulder", "Company": "Mulder Metaal B.V.",
    "Department": "Inkoop", "Job Title": "Inkoper", "Business Street": "Staalweg 3",
    "Business City": "Enschede", "Business Postal Code": "7521 AB",
    "Business Country/Region": "Nederland", "Business Phone": "053-4567890",
    "Business Phone 2": "053-4567891", "Home Phone": "053-1112223",
    "Mobile Phone": "06-45678901", "E-mail Address": "karel@muldermetaal.nl",
    "E-mail Type": "SMTP", "E-mail Display Name": "Karel Mulder (karel@muldermetaal.nl)",
    "E-mail 2 Address": "inkoop@muldermetaal.nl", "E-mail 2 Type": "SMTP",
    "E-mail 3 Address": "karel.mulder@gmail.com", "E-mail 3 Type": "SMTP"}


def _run(tmp_path: Path, name: str, header: list[str], rows: list[dict[str, str]]) -> Path:
    paths = make_small(tmp_path)
    listed = write_export(tmp_path / name, header, rows)
    assert listed.read_bytes().startswith(b"\xef\xbb\xbf")  # Google's BOM
    out = tmp_path / "out"
    assert main(["run", str(listed), "--crm", str(paths["crm"]), "--out", str(out), "--state",
                 str(tmp_path / "state.duckdb"), "--definitions-dir",
                 str(tmp_path / "definitions"), "--quiet"]) == 0
    return out


def _csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", dtype=str, encoding="utf-8-sig",
                       keep_default_na=False)


def _values(record: pd.Series, *columns: str) -> tuple[str, ...]:
    return tuple(record.get(c, "") for c in columns)


def test_google_older_export_splits_cells_and_follows_mobile_labels(tmp_path):
    out = _run(tmp_path, "contacts.csv", GOOGLE_OLD, [SANNE_OLD, PIET_OLD])
    contacts = _csv(out, "contacts_insert")
    sanne = contacts[contacts["contact_type"] == "person"].iloc[0]
    # E-mail 1's two values first, then E-mail 2; the Mobile-labelled cell in the mobiles, the
    # Work phone (Phone 2) the contact's phone
    assert _values(sanne, "email", "email_2", "email_3") == (
        "sanne@groenhoveniers.nl", "s.groen@groenhoveniers.nl", "sanne.groen@gmail.com")
    assert _values(sanne, "mobile", "mobile_2", "phone") == (
        "+31612345678", "+31623456789", "+31302345678")
    assert "phone_2" not in contacts.columns or sanne["phone_2"] == ""
    assert "Tuinontwerp" in contacts["department_name"].tolist()
    persons = _csv(out, "persons_insert").set_index("last_name")
    # a private person keeps five e-mails (MAX_VALUES); the sixth and seventh are listed
    assert _values(persons.loc["Bos"], "email", "email_2", "email_5", "phone") == (
        "piet1@bos.nl", "piet2@bos.nl", "piet5@bos.nl", "+31318123456")
    problems = _csv(out, "problems")
    left_out = problems[problems["problem"].str.contains("left out: a row keeps at most 5")]
    assert left_out[["source_row", "field", "value", "severity"]].values.tolist() == [
        ["2", "contact_email", "piet6@bos.nl", "warning"],
        ["2", "contact_email", "piet7@bos.nl", "warning"]]
    assert set(_csv(out, "row_outcomes")["status"]) == {"accepted"}


def test_google_newer_export_with_labels(tmp_path):
    out = _run(tmp_path, "google.csv", GOOGLE_NEW, [LOTTE_NEW])
    contacts = _csv(out, "contacts_insert")
    lotte = contacts[contacts["contact_type"] == "person"].iloc[0]
    assert _values(lotte, "email", "email_2", "email_3") == (
        "lotte@visseradvies.nl", "l.visser@visseradvies.nl", "lotte.visser@hotmail.com")
    assert _values(lotte, "phone", "phone_2", "mobile", "job_title") == (
        "+31503456789", "+31503456700", "+31634567890", "Adviseur")
    assert "Fiscaal" in contacts["department_name"].tolist()
    assert _csv(out, "organisations_insert")["name"].tolist() == ["Visser Advies B.V."]
    problems = _csv(out, "problems") if (out / "problems.csv").exists() else pd.DataFrame()
    assert problems.empty or not problems["value"].str.contains(":::").any()


def test_outlook_export_second_values_home_phone_and_department(tmp_path):
    out = _run(tmp_path, "outlook.csv", OUTLOOK, [KAREL_OUTLOOK])
    contacts = _csv(out, "contacts_insert")
    karel = contacts[contacts["contact_type"] == "person"].iloc[0]
    assert _values(karel, "email", "email_2", "email_3") == (
        "karel@muldermetaal.nl", "inkoop@muldermetaal.nl", "karel.mulder@gmail.com")
    assert _values(karel, "phone", "phone_2", "phone_3", "mobile") == (
        "+31534567890", "+31534567891", "+31531112223", "+31645678901")
    assert "Inkoop" in contacts["department_name"].tolist()


def test_spreading_leaves_its_input_and_the_other_rows_alone():
    raw = pd.DataFrame({"source_row": [1, 2, 3],
                        "Phone 1 - Type": ["Mobile ::: Work", "Work", None],
                        "Phone 1 - Value": ["06-12345678 ::: 020-1234567", "020-7654321",
                                            "06-11111111"],
                        "Mobiel": ["06-99999999", None, None]})
    columns = {"contact_phone": "Phone 1 - Value", "contact_mobile": "Mobiel"}
    mapped = pd.DataFrame({"source_row": [1, 2, 3], "contact_phone": raw["Phone 1 - Value"],
                           "contact_mobile": raw["Mobiel"]})
    before = mapped.copy()
    assert label_columns(list(raw.columns), columns) == {"contact_phone": "Phone 1 - Type"}
    spread, problems = spread_values(mapped, raw, columns)
    pd.testing.assert_frame_equal(mapped, before)
    assert problems.empty
    # one label per value: the mobile joins the mobiles after the list's own mobile column
    assert spread.loc[0, ["contact_phone", "contact_mobile", "contact_mobile_2"]].tolist() == [
        "020-1234567", "06-99999999", "06-12345678"]
    assert spread.loc[1:, ["contact_phone", "contact_mobile"]].values.tolist() == [
        ["020-7654321", None], ["06-11111111", None]]


@pytest.mark.parametrize("header", ["Phone 1 - Value", "Telefoon"])
def test_a_list_without_separators_or_labels_is_returned_as_it_is(header):
    raw = pd.DataFrame({"source_row": [1], header: ["020-1234567"]})
    mapped = pd.DataFrame({"source_row": [1], "org_phone": ["020-1234567"]})
    spread, problems = spread_values(mapped, raw, {"org_phone": header})
    assert spread is mapped and problems.empty
