"""More table-driven cases: places (Bergen, CRM spelling), e-mail, phones, ids, websites, names,
and the multi-valued columns of ``standardise_frame``."""
from __future__ import annotations

import pandas as pd
import pytest

from workbench.standardise import (
    EXTRA_FIELDS,
    StandardiseOptions,
    city,
    email,
    kvk_number,
    org_name,
    phone,
    postcode,
    prefer_crm_spelling,
    resolve_by_pc4,
    split_address,
    standardise_frame,
    website,
)


def one(func, value, **kwargs) -> dict:
    return func(pd.Series([value], dtype=object), **kwargs).iloc[0].to_dict()


PLACES = [
    ("Bergen (NH)", "Bergen (NH)"), ("Bergen NH", "Bergen (NH)"), ("bergen (n.h.)", "Bergen (NH)"),
    ("BERGEN NH", "Bergen (NH)"), ("Bergen (Noord-Holland)", "Bergen (NH)"),
    ("Bergen (L)", "Bergen (L)"), ("Bergen L", "Bergen (L)"), ("bergen (l.)", "Bergen (L)"),
    ("Bergen Lb", "Bergen (L)"), ("Bergen (Limburg)", "Bergen (L)"),
    ("Bergen op Zoom", "Bergen op Zoom"), ("BERGEN OP ZOOM", "Bergen op Zoom"),
    ("den haag", "'s-Gravenhage"), ("'s Gravenhage", "'s-Gravenhage"),
    ("S-GRAVENHAGE", "'s-Gravenhage"), ("Den Bosch", "'s-Hertogenbosch"),
    ("s-Hertogenbosch", "'s-Hertogenbosch"), ("ijmuiden", "IJmuiden"),
    ("capelle aan den ijssel", "Capelle aan den IJssel"), ("Rdam", "Rotterdam"),
]


@pytest.mark.parametrize(("raw", "expected"), PLACES)
def test_place_canonical(raw, expected):
    got = one(city, raw)
    assert (got["city"], got["severity"]) == (expected, None)


@pytest.mark.parametrize("raw", ["1234 AB Amsterdam", "1234", "::", "12 34"])
def test_place_rejects_non_places(raw):
    got = one(city, raw)
    assert (got["city"], got["severity"]) == (None, "error")


BY_PC4 = [
    ("Bergen", "1861", "Bergen (NH)"), ("Bergen", "5854", "Bergen (L)"),
    ("Hengelo", "7255", "Hengelo (Gld)"), ("Bergen", "9999", "Bergen"),
    ("Amsterdam", "1861", "Amsterdam"), ("Bergen", None, "Bergen"),
    (None, "1861", None),
]


@pytest.mark.parametrize(("place", "pc4", "expected"), BY_PC4)
def test_resolve_by_pc4(place, pc4, expected):
    got = resolve_by_pc4(pd.Series([place], dtype=object), pd.Series([pc4], dtype=object))
    assert got.tolist() == [expected]


CRM = {"2491": "Den Haag", "1011": "Zaandam", "5211": "'s-Hertogenbosch", "1861": "Bergen NH",
       "3011": "  Rotterdam  "}
CRM_CASES = [
    ("'s-Gravenhage", "2491", "Den Haag"),  # same place, CRM spells it Den Haag: CRM wins
    ("Amsterdam", "1011", "Amsterdam"),  # another place under that PC4: the row keeps its own
    ("'s-Hertogenbosch", "5211", "'s-Hertogenbosch"),  # same spelling: nothing to do
    ("Bergen (NH)", "1861", "Bergen NH"),
    ("Rotterdam", "3011", "Rotterdam"),  # the CRM's value is trimmed before use
    ("Utrecht", "3511", "Utrecht"),  # PC4 unknown to the CRM
    (None, "2491", None),  # filling an empty city is the lookup option's job
    ("'s-Gravenhage", None, "'s-Gravenhage"),
]


@pytest.mark.parametrize(("place", "pc4", "expected"), CRM_CASES)
def test_prefer_crm_spelling(place, pc4, expected):
    got = prefer_crm_spelling(pd.Series([place], dtype=object), pd.Series([pc4], dtype=object),
                              CRM)
    assert got.tolist() == [expected]


def test_prefer_crm_spelling_without_snapshot():
    s = pd.Series(["'s-Gravenhage"], dtype=object)
    assert prefer_crm_spelling(s, pd.Series(["2491"]), {}).tolist() == ["'s-Gravenhage"]


def test_frame_crm_spelling_wins_and_bergen_resolved():
    frame = pd.DataFrame({"source_row": [1, 2, 3], "org_postcode": ["2491AB", "1861 AA", "5854 AA"],
                          "org_city": ["s gravenhage", "Bergen", "Bergen"]})
    std, _ = standardise_frame(frame, StandardiseOptions(crm_places={"2491": "Den Haag"}))
    assert std["org_city"].tolist() == ["Den Haag", "Bergen (NH)", "Bergen (L)"]
    assert std["org_city_key"].tolist() == ["s gravenhage", "bergen nh", "bergen l"]


EMAILS = [
    ("jan@gmial.com", "jan@gmial.com", "warning"), ("jan@hotmial.com", "jan@hotmial.com", "warning"),
    ("jan@gmail.con", "jan@gmail.con", "warning"), ("piet@ziggo.nll", "piet@ziggo.nll", "warning"),
    ("piet@zigo.nl", "piet@zigo.nl", "warning"), ("a@outlok.com", "a@outlok.com", "warning"),
    ("a@kpnmail.nl", "a@kpnmail.nl", None), ("A.B@Bakkerij-Jansen.NL", "a.b@bakkerij-jansen.nl", None),
    ("  jan@xs4all.nl ", "jan@xs4all.nl", None), ("mailto:jan@planet.nl", "jan@planet.nl", None),
    ("jan@@x.nl", None, "error"), ("jan@x", None, "error"), ("jan x@x.nl", None, "error"),
    ("jan.@x.nl", None, "error"), ("@x.nl", None, "error"),
]


@pytest.mark.parametrize(("raw", "expected", "severity"), EMAILS)
def test_email_cases(raw, expected, severity):
    got = one(email, raw)
    assert (got["email"], got["severity"]) == (expected, severity)


ROLES = [("info@x.nl", True), ("Sales@x.nl", True), ("info2@x.nl", True),
         ("administratie@x.nl", True), ("jan.info@x.nl", False), ("j.jansen@x.nl", False)]


@pytest.mark.parametrize(("raw", "role"), ROLES)
def test_email_role(raw, role):
    assert one(email, raw)["is_role"] is role


PHONES = [
    ("06-12345678", "+31612345678", "mobile"), ("+31 (0)6 1234 5678", "+31612345678", "mobile"),
    ("0031612345678", "+31612345678", "mobile"), ("06 12 34 56 78", "+31612345678", "mobile"),
    ("+31 20 123 4567", "+31201234567", "fixed"), ("020-1234567", "+31201234567", "fixed"),
    ("0031 70 3456789", "+31703456789", "fixed"), ("(070) 345 67 89", "+31703456789", "fixed"),
    ("0592-123456", "+31592123456", "fixed"), ("+32 2 555 12 12", "+3225551212", "fixed"),
    ("+49 30 1234567", "+49301234567", "fixed"), ("0800-1234", "+318001234", "other"),
]


@pytest.mark.parametrize(("raw", "e164", "kind"), PHONES)
def test_phone_cases(raw, e164, kind):
    got = one(phone, raw)
    assert (got["phone"], got["phone_type"], got["severity"]) == (e164, kind, None)


@pytest.mark.parametrize("raw", ["06-0000000", "12345", "abc", "06-123456789012"])
def test_phone_bad_is_warning_and_kept(raw):
    got = one(phone, raw)
    assert got["severity"] == "warning" and got["phone"] == raw


def test_phone_well_formed_in_an_unassigned_range_is_e164_with_a_warning():
    # issue 12: nine national digits are a Dutch number even where no operator has them today
    got = one(phone, "0600123456")
    assert got["severity"] == "warning" and got["phone"] == "+31600123456"


KVKS = [("12345678", "12345678", None), ("1234 5678", "12345678", None),
        ("12.34.56.78", "12345678", None), ("1234567", "01234567", "warning"),
        ("1234567.0", "01234567", "warning"), ("12345678.0", "12345678", None),
        ("123456", "00123456", "warning"), ("12345", "00012345", "warning"),
        ("1234", None, "error"), ("123456789", None, "error"), ("00000000", None, "error"),
        ("KvK 12345678", None, "error")]


@pytest.mark.parametrize(("raw", "expected", "severity"), KVKS)
def test_kvk_cases(raw, expected, severity):
    got = one(kvk_number, raw)
    assert (got["kvk_number"], got["severity"]) == (expected, severity)


WEBSITES = [("www.Bakkerij.nl", "www.bakkerij.nl"), ("HTTPS://BAKKERIJ.NL/", "bakkerij.nl"),
            ("http://bakkerij.nl/Contact/", "bakkerij.nl/Contact"),
            ("bakkerij.nl?utm=x", "bakkerij.nl"), ("https://www.x-y.nl#top", "www.x-y.nl")]


@pytest.mark.parametrize(("raw", "expected"), WEBSITES)
def test_website_cases(raw, expected):
    assert one(website, raw)["website"] == expected


ORGS = [("Jansen Holding B.V.", "B.V.", "jansen holding"), ("Stg. Welzijn", "Stichting", "welzijn"),
        ("Van Dijk & Zn.", None, "van dijk zonen"), ("Gebr. Jansen VOF", "V.O.F.", "gebroeders jansen"),
        ("Bakker:en Co", None, "bakker co"), ("Coöperatie De Eik U.A.", "Coöperatie", "de eik")]


@pytest.mark.parametrize(("raw", "form", "key"), ORGS)
def test_org_cases(raw, form, key):
    got = one(org_name, raw)
    assert (got["legal_form"], got["name_key"]) == (form, key)


@pytest.mark.parametrize(("raw", "code"), [("1234 ab", "1234 AB"), ("1234.AB", "1234 AB"),
                                           ("1234-ab ", "1234 AB")])
def test_postcode_more(raw, code):
    assert one(postcode, raw)["postcode"] == code


@pytest.mark.parametrize("raw", [",", "12", "Postbus", "- 12"])
def test_address_without_street_is_error(raw):
    assert one(split_address, raw)["severity"] == "error"


def test_extra_fields_names():
    assert "contact_email_5" in EXTRA_FIELDS and "org_phone_2" in EXTRA_FIELDS
    assert "contact_email" not in EXTRA_FIELDS and "contact_email_6" not in EXTRA_FIELDS
    assert len(EXTRA_FIELDS) == 20


def test_frame_multi_valued_columns():
    frame = pd.DataFrame({
        "source_row": [1, 2],
        "contact_email": ["Jan@X.nl", None], "contact_email_2": ["INFO@x.nl", "piet@gmial.com"],
        "contact_email_3": ["bad@", None], "contact_phone_2": ["020-1234567", "abc"],
        "contact_mobile_2": ["020-1234567", "06 12345678"], "org_phone_5": ["070 3456789", None],
        "org_email_2": ["Sales@X.nl", None],
    })
    std, problems = standardise_frame(frame)
    assert std["contact_email_2"].tolist() == ["info@x.nl", "piet@gmial.com"]
    assert std["contact_email_2_is_role"].tolist() == [True, False]
    assert std["contact_email_3"].tolist() == [None, None]
    assert std["contact_phone_2"].tolist() == ["+31201234567", "abc"]
    assert std["contact_mobile_2"].tolist() == ["+31201234567", "+31612345678"]
    assert std["org_phone_5"].tolist() == ["+31703456789", None]
    assert std["org_email_2"].tolist() == ["sales@x.nl", None]
    assert "contact_email_4" not in std.columns  # only the columns the list has
    found = set(zip(problems["source_row"], problems["field"], problems["severity"], strict=True))
    assert found == {(1, "contact_email_3", "error"), (2, "contact_email_2", "warning"),
                     (2, "contact_phone_2", "warning"), (1, "contact_mobile_2", "warning")}
