"""Rules with one home: the date reader, the generic mail domains, the PC4 table, MAX_VALUES."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from workbench import fields, keys
from workbench.standardise import (
    ADDRESS_EXTRA_FIELDS,
    EXTRA_FIELDS,
    GENERIC_MAIL_DOMAINS,
    birth_date,
    city_for_pc4,
    email,
    is_known_place,
    parse_date,
    pc4_places,
)
from workbench.validate import move_dates


@pytest.mark.parametrize(("text", "date"), [
    ("1985-03-02", dt.date(1985, 3, 2)),
    ("1985-03-02 00:00:00", dt.date(1985, 3, 2)),  # a date cell read from XLSX
    ("1985/3/2", dt.date(1985, 3, 2)),
    ("02-03-1985", dt.date(1985, 3, 2)),  # day first, the Dutch way
    ("2/3/1985", dt.date(1985, 3, 2)),
    ("02.03.1985", dt.date(1985, 3, 2)),
    ("02031985", dt.date(1985, 3, 2)),
    ("2 maart 1985", dt.date(1985, 3, 2)),
    (" 31-12-2026 ", dt.date(2026, 12, 31)),
    ("02-03-85", None),  # two-digit year: which century depends on the field
    ("31-02-1985", None),  # does not exist
    ("1985-13-40", None),
    ("gisteren", None),
    ("", None),
])
def test_parse_date_reads_the_dutch_ways_of_writing_a_date(text: str, date: dt.date | None):
    assert parse_date(text) == date


def test_birth_dates_and_move_dates_read_dates_with_the_one_parser():
    texts = ["1985-03-02", "02-03-1985", "02031985", "2 maart 1985", "31-02-1985", "morgen"]
    expected = [d.isoformat() if (d := parse_date(t)) else None for t in texts]
    assert birth_date(pd.Series(texts))["birth_date"].tolist() == expected
    iso, problems = move_dates(pd.DataFrame({"source_row": range(1, 7), "org_move_date": texts}))
    assert iso.tolist() == expected
    assert problems["source_row"].tolist() == [i + 1 for i, e in enumerate(expected) if e is None]


def test_move_dates_take_the_written_out_and_compact_forms_now():
    # validate.py had its own strptime formats, which refused these two
    iso, problems = move_dates(pd.DataFrame({"org_move_date": ["31122026", "1 maart 2027"]}))
    assert iso.tolist() == ["2026-12-31", "2027-03-01"] and problems.empty


def test_birth_date_keeps_its_own_two_digit_year_rule():
    got = birth_date(pd.Series(["02-03-85"]))
    assert (got.at[0, "birth_date"], got.at[0, "severity"]) == ("1985-03-02", "warning")


def test_one_list_of_generic_mail_domains():
    assert keys.GENERIC_MAIL_DOMAINS is GENERIC_MAIL_DOMAINS
    # yahoo.nl was only in the keys' list: now a domain match key skips it ...
    assert keys._domain(pd.Series(["jan@yahoo.nl", "jan@jansen.nl"])).tolist()[1] == "jansen.nl"
    assert pd.isna(keys._domain(pd.Series(["jan@yahoo.nl"]))[0])
    # ... and the e-mail check knows it as a big domain, so a near miss is flagged
    assert email(pd.Series(["jan@yahooo.nl"]))["severity"].tolist() == ["warning"]


def test_the_pc4_table_is_loaded_once_and_serves_places():
    assert pc4_places() is pc4_places()
    assert city_for_pc4(pd.Series(["2511"])).tolist() == [pc4_places()["2511"]]
    assert is_known_place(pc4_places()["2511"]) and is_known_place("Den Haag")


def test_max_values_makes_every_numbered_field():
    top = fields.MAX_VALUES
    assert EXTRA_FIELDS[-1].endswith(f"_{top}") and ADDRESS_EXTRA_FIELDS[-1].endswith(f"_{top}")
    numbered = [t.name for t in fields.TARGETS if t.name.startswith("contact_email_")]
    assert numbered == [f"contact_email_{k}" for k in range(2, top + 1)]
