"""The default path (issue 12): date formats decided per column, a suggested definition that
follows the list's shape, and a wrong value that costs the value, not the row."""
from __future__ import annotations

import pandas as pd
import pytest

from workbench.definition import Definition, definition_from_dict, suggest_definition
from workbench.definition.suggest import list_shape, suggest_country
from workbench.standardise import (
    StandardiseOptions,
    birth_date,
    email,
    infer_date_format,
    kvk_number,
    parse_date,
    standardise_frame,
)
from workbench.validate import move_dates, row_rejections


@pytest.mark.parametrize(("values", "fmt"), [
    (["19280722", "19500101", None], "yyyymmdd"),  # 19-28-0722 is no date: only yyyymmdd fits
    (["02031985", "31121990"], "ddmmyyyy"),
    (["02-03-1985", "31-02-1985"], "dd-mm-yyyy"),
    (["02/03/85", "1/4/90"], "dd/mm/yy"),
    (["03/25/1985", "01/02/1990"], "mm/dd/yyyy"),  # 25 can only be the day
    (["03/25/1985", "25/03/1985"], "dd-mm-yyyy"),  # both ways in one column: not proven
    (["01/02/1990", "03/04/1991"], "dd-mm-yyyy"),  # ambiguous: the Dutch way
    (["1985-03-02", "1990-12-31 00:00:00"], "yyyy-mm-dd"),
    (["morgen", "", None], None),
])
def test_the_date_format_is_decided_from_the_whole_column(values, fmt):
    assert infer_date_format(values) == fmt


def test_febrl_birth_dates_read_as_yyyymmdd_without_being_told():
    got = birth_date(pd.Series(["19280722", "19611004", "19600229"]))
    assert got["birth_date"].tolist() == ["1928-07-22", "1961-10-04", "1960-02-29"]
    assert got["problem"].isna().all()


def test_a_format_given_wins_over_what_the_values_suggest():
    # a re-run reads the column as the definition says, whatever this file's values look like
    assert birth_date(pd.Series(["02/03/1985"]), "mm/dd/yyyy").at[0, "birth_date"] == "1985-02-03"
    assert birth_date(pd.Series(["02/03/1985"]))["birth_date"].tolist() == ["1985-03-02"]
    assert parse_date("19850302", "yyyymmdd").isoformat() == "1985-03-02"
    options = StandardiseOptions(date_formats={"person_birth_date": "mm/dd/yyyy"})
    std, _ = standardise_frame(pd.DataFrame({"source_row": [1], "person_last_name": ["Smit"],
                                             "person_birth_date": ["02/03/1985"]}), options)
    assert std.at[0, "person_birth_date"] == "1985-02-03"
    iso, problems = move_dates(pd.DataFrame({"org_move_date": ["20270301"]}))
    assert iso.tolist() == ["2027-03-01"] and problems.empty


def _raw(columns: dict[str, list]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"source_row": range(1, n + 1), **columns})


def test_a_list_without_organisations_is_a_list_of_private_persons():
    raw = _raw({"Voornaam": ["Jan", "Piet", "Kees"], "Achternaam": ["Smit", "Bos", "Vos"],
                "E-mail": ["jan@x.nl", "piet@y.nl", "kees@z.nl"],
                "Telefoon": ["0201234567", "0307654321", "0101112233"],
                "Postcode": ["1234 AB", "3511 CC", "3011 AA"], "Geboortedatum": [
                    "19800101", "19751231", "19900615"]})
    headers = [c for c in raw.columns if c != "source_row"]
    definition = suggest_definition(headers, values=raw)
    assert list_shape(definition.columns) == "persons"
    # the e-mail and phone are the person's own, not an organisation's
    assert definition.columns["contact_email"] == "E-mail"
    assert definition.columns["contact_phone"] == "Telefoon"
    assert "org_email" not in definition.columns and "org_phone" not in definition.columns
    assert definition.person_keys == ("email", "fuzzy")
    assert definition.date_formats == {"person_birth_date": "yyyymmdd"}
    assert definition.fixed == {}  # Dutch postcodes: no other country guessed
    # saved and read back, the re-run reads the dates the same way
    assert definition_from_dict(definition.to_dict()).date_formats == definition.date_formats


def test_organisations_only_and_organisations_with_persons():
    only = suggest_definition(["Bedrijfsnaam", "KvK-nummer", "E-mail contactpersoon"])
    assert list_shape(only.columns) == "organisations"
    assert only.columns.get("org_email") == "E-mail contactpersoon"
    assert only.org_keys == ("kvk", "fuzzy") and only.import_persons is False
    both = suggest_definition(["Bedrijfsnaam", "Achternaam", "E-mail contactpersoon"])
    assert list_shape(both.columns) == "organisations_with_persons"
    assert both.columns["contact_email"] == "E-mail contactpersoon"
    assert both.org_keys == ("fuzzy",) and both.person_keys == ("email", "fuzzy")
    assert both.import_persons is True and both.classifier == "ecm"


def test_a_kvk_column_named_so_makes_an_organisation_list():
    assert list_shape({"org_kvk_number": "KvK-nummer", "person_last_name": "Achternaam"}) == \
        "organisations_with_persons"
    assert list_shape({"org_kvk_number": "soc_sec_id", "person_last_name": "surname"}) == \
        "persons"


def test_the_country_of_a_list_named_by_its_region_column():
    raw = _raw({"surname": ["a", "b", "c", "d"], "postcode": ["2000", "3000", "4000", "2600"],
                "state": ["nsw", "vic", "qld", "act"]})
    columns = {"person_last_name": "surname", "org_postcode": "postcode"}
    assert suggest_country(columns, raw) == "AU"
    dutch = raw.assign(postcode=["1234 AB", "3511 CC", "3011 AA", "9711 AB"])
    assert suggest_country(columns, dutch) is None  # Dutch postcodes: a Dutch list


def test_a_wrong_value_costs_the_value_not_the_row():
    mapped = pd.DataFrame([{"source_row": 2, "org_name": "Bakkerij Jansen",
                            "org_kvk_number": "12", "org_postcode": "12",
                            "contact_email": "jan@", "person_last_name": "Jansen"}])
    std, problems = standardise_frame(mapped)
    assert pd.isna(row_rejections(std, problems, Definition().reject_invalid).iloc[0])
    assert set(problems["field"]) >= {"org_kvk_number", "org_postcode", "contact_email"}
    assert std.at[0, "org_kvk_number"] is None and std.at[0, "contact_email"] is None


def test_accented_mail_is_valid_with_a_warning_and_kvk_numbers_get_their_zeros_back():
    got = email(pd.Series(["Aimée.Dubois@Bedrijf.nl"])).iloc[0]
    assert (got["email"], got["severity"]) == ("aimée.dubois@bedrijf.nl", "warning")
    kvk = kvk_number(pd.Series(["12345", "123456", "1234567", "1234"]))
    assert kvk["kvk_number"].tolist() == ["00012345", "00123456", "01234567", None]
    assert kvk["severity"].tolist() == ["warning", "warning", "warning", "error"]
