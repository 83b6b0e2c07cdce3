"""Row rules of validate.py, each on a table of cases run through the real standardiser."""
from __future__ import annotations

import pandas as pd
import pytest

from workbench.standardise import StandardiseOptions, standardise_frame
from workbench.validate import (
    NEW_ORGANISATION_INCOMPLETE,
    NO_NAME,
    existing_only,
    has_usable_address,
    join_reasons,
    person_without_last_name,
    row_rejections,
    rule_invalid_value,
    rule_new_organisation_needs_name_and_address,
    rule_no_name,
)

BAD_POSTCODE = ("Postcode: postcode '12' is not a Dutch postcode (expected 1234 AB); it has two "
                "digits and no letters")
BAD_ORG_NAME = ("Organisation name: organisation name 'B.V.' has no name besides its legal "
                "form")


def _standardised(row: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One mapped row (target -> cell) standardised as a run does it."""
    return standardise_frame(pd.DataFrame([{"source_row": 2, **row}]), StandardiseOptions())


REJECTIONS = [
    ("an organisation name is enough", {"org_name": "Bakkerij Jansen"}, None),
    ("a KvK number is enough", {"org_kvk_number": "12345678"}, None),
    ("a last name is enough", {"person_last_name": "de Vries"}, None),
    ("a first name alone names nobody", {"person_first_name": "Jan"}, NO_NAME),
    ("spaces are no name", {"org_name": "   ", "person_last_name": " "}, NO_NAME),
    ("an invalid value in a field that rejects: a name that is only a legal form",
     {"org_name": "B.V.", "person_last_name": "Jansen"}, BAD_ORG_NAME),
    ("an invalid postcode costs only itself", {"org_name": "A", "org_postcode": "12"}, None),
    ("an invalid KvK number and e-mail cost only themselves",
     {"org_name": "A", "org_kvk_number": "123", "contact_email": "jan@"}, None),
    ("an invalid birth date costs only itself", {"org_name": "A", "person_birth_date": "31-02-1980"},
     None),
    ("a doubtful phone number is a warning, no rejection", {"org_name": "A", "org_phone": "12"},
     None),
    ("every reason, in order: invalid values first, then the missing name",
     {"person_full_name": "123"},
     f"Full name (one column): name '123' contains digits; {NO_NAME}"),
    ("an invalid KvK number leaves a row without a name", {"org_kvk_number": "123",
                                                            "contact_email": "jan@",
                                                            "person_first_name": "Jan"}, NO_NAME),
]


@pytest.mark.parametrize(("description", "row", "reason"), REJECTIONS,
                         ids=[c[0] for c in REJECTIONS])
def test_row_rejections(description, row, reason):
    std, problems = _standardised(row)
    got = row_rejections(std, problems).iloc[0]
    assert got == reason if reason is not None else pd.isna(got)


def test_row_rejections_reject_only_the_fields_asked_for():
    std, problems = _standardised({"org_name": "A", "org_postcode": "12"})
    assert pd.isna(row_rejections(std, problems, reject_fields=("org_email",)).iloc[0])
    assert rule_invalid_value(std, problems, ("org_postcode",)).iloc[0] == BAD_POSTCODE
    assert pd.isna(rule_no_name(std).iloc[0])


NEW_ORGANISATIONS = [  # description, row, reason for a new organisation, a usable address?
    ("postcode and house number", {"org_name": "A", "org_address_line": "Kerkstraat 5",
                                   "org_postcode": "1234AB"}, None, True),
    ("street, house number and city, no postcode",
     {"org_name": "A", "org_address_line": "Kerkstraat 5", "org_city": "Utrecht"}, None, True),
    ("a P.O. box with its postcode",
     {"org_name": "A", "org_address_line": "Postbus 123", "org_postcode": "1234AB"}, None, True),
    ("street and city without a number", {"org_name": "A", "org_address_line": "Kerkstraat",
                                          "org_city": "Utrecht"}, NEW_ORGANISATION_INCOMPLETE, False),
    ("a postcode without a number", {"org_name": "A", "org_postcode": "1234AB"},
     NEW_ORGANISATION_INCOMPLETE, False),
    ("an address without a name", {"org_kvk_number": "12345678", "org_address_line": "Kerkstraat 5",
                                   "org_postcode": "1234AB"}, NEW_ORGANISATION_INCOMPLETE, True),
]


@pytest.mark.parametrize(("description", "row", "reason", "address"), NEW_ORGANISATIONS,
                         ids=[c[0] for c in NEW_ORGANISATIONS])
def test_new_organisation_needs_name_and_address(description, row, reason, address):
    std, _ = _standardised(row)
    new = rule_new_organisation_needs_name_and_address(std, pd.Series(True, index=std.index))
    existing = rule_new_organisation_needs_name_and_address(std, pd.Series(False, index=std.index))
    assert new.iloc[0] == reason if reason is not None else pd.isna(new.iloc[0])
    assert pd.isna(existing.iloc[0])  # an existing organisation keeps the CRM's address
    assert bool(has_usable_address(std).iloc[0]) is address


LAST_NAMES = [("a last name", "Vries", False), ("empty", "", True), ("only spaces", "  ", True),
              ("missing", None, True)]


@pytest.mark.parametrize(("description", "last_name", "without"), LAST_NAMES,
                         ids=[c[0] for c in LAST_NAMES])
def test_person_without_last_name(description, last_name, without):
    raw = pd.DataFrame({"person_last_name": [last_name]}, dtype=object)
    std, _ = _standardised({"person_last_name": last_name})
    assert bool(person_without_last_name(raw).iloc[0]) is without
    assert bool(person_without_last_name(std).iloc[0]) is without


def test_a_frame_without_the_column_has_no_last_names():
    assert person_without_last_name(pd.DataFrame(index=[0, 1])).tolist() == [True, True]


EXISTING_ONLY = [
    ("a first name without a last name may update a known person", {"person_first_name": "Jan"},
     True),
    ("initials without a last name too", {"person_initials": "J."}, True),
    ("no name at all: nobody to look for", {"contact_email": "jan@example.nl"}, False),
    ("another reason as well: refused whatever is found",
     {"person_first_name": "Jan", "org_name": "B.V."}, False),
    ("a good row is not pending", {"person_first_name": "Jan", "person_last_name": "Smit"},
     False),
]


@pytest.mark.parametrize(("description", "row", "pending"), EXISTING_ONLY,
                         ids=[c[0] for c in EXISTING_ONLY])
def test_existing_only(description, row, pending):
    std, problems = _standardised(row)
    assert bool(existing_only(std, row_rejections(std, problems)).iloc[0]) is pending


def test_join_reasons_keeps_the_order_and_nothing_for_good_rows():
    first = pd.Series([None, "a", None, "b"], dtype=object)
    second = pd.Series([None, None, "c", "d"], dtype=object)
    joined = join_reasons(first, second)
    assert joined.isna().tolist() == [True, False, False, False]
    assert joined.tolist()[1:] == ["a", "c", "b; d"]
