"""Table-driven tests of the single-column standardisers."""
from __future__ import annotations

import pandas as pd
import pytest

from workbench.standardise import (
    birth_date,
    bsn,
    city,
    city_for_pc4,
    country,
    email,
    gender_from_salutation,
    iban,
    initials,
    kvk_number,
    last_name_key,
    org_name,
    phone,
    postcode,
    split_address,
    split_house_number,
    split_person_name,
    split_prefix,
    street_key,
    vestigingsnummer,
    website,
)


def one(func, value, **kwargs) -> dict:
    return func(pd.Series([value], dtype=object), **kwargs).iloc[0].to_dict()


POSTCODES = [
    ("1234ab", "1234 AB", "1234", None), ("1234 AB", "1234 AB", "1234", None),
    ("1234-AB", "1234 AB", "1234", None), (" 1234  ab", "1234 AB", "1234", None),
    ("9999zz", "9999 ZZ", "9999", None), ("0123 AB", None, None, "error"),
    ("1234", None, "1234", "error"), ("1234 A", None, None, "error"),
    ("1234 SA", None, "1234", "error"), ("1234 sd", None, "1234", "error"),
    ("1234 SS", None, "1234", "error"), ("ABCD 12", None, None, "error"),
    ("12345 AB", None, None, "error"),
]


@pytest.mark.parametrize(("raw", "code", "pc4", "severity"), POSTCODES)
def test_postcode(raw, code, pc4, severity):
    got = one(postcode, raw)
    assert (got["postcode"], got["pc4"], got["severity"]) == (code, pc4, severity)
    if severity:
        assert raw in got["problem"]


ADDRESSES = [
    ("Hoofdstraat 12a", ("Hoofdstraat", "12", "A", False)),
    ("Hoofdstraat 12 A", ("Hoofdstraat", "12", "A", False)),
    ("Hoofdstraat 12-3", ("Hoofdstraat", "12", "3", False)),
    ("Hoofdstraat 12 bis", ("Hoofdstraat", "12", "BIS", False)),
    ("1e Jan Steenstraat 4 hs", ("1e Jan Steenstraat", "4", "HS", False)),
    ("Plein 1940-1945 3", ("Plein 1940-1945", "3", None, False)),
    ("Postbus 123", ("Postbus", "123", None, True)),
    ("postbus 9", ("Postbus", "9", None, True)),
    ("Antwoordnummer 10", ("Antwoordnummer", "10", None, True)),
    ("Kerkweg 3-2", ("Kerkweg", "3", "2", False)),
    ("Hoofdstraat 12-3 bis", ("Hoofdstraat", "12", "3 BIS", False)),
    ("Hoofdstraat 12 - A", ("Hoofdstraat", "12", "A", False)),
    ("Hoofdstraat 12/3", ("Hoofdstraat", "12", "3", False)),
    ("HOOFDSTRAAT 5", ("Hoofdstraat", "5", None, False)),
    ("Van Hallstraat 2e Dwarsstraat 4", ("Van Hallstraat 2e Dwarsstraat", "4", None, False)),
    ("Laan van Meerdervoort 1000", ("Laan van Meerdervoort", "1000", None, False)),
    ("Hoofdstraat 12, 2e etage", ("Hoofdstraat", "12", "2E ETAGE", False)),
]


@pytest.mark.parametrize(("raw", "expected"), ADDRESSES)
def test_split_address(raw, expected):
    got = one(split_address, raw)
    assert (got["street"], got["house_number"], got["house_number_addition"],
            got["po_box"]) == expected


@pytest.mark.parametrize(("raw", "severity"), [
    ("Hoofdstraat", "error"), ("12 Hoofdstraat", "error"), ("Hoofdstraat 12 t/m 14", "warning"),
    ("Hoofdstraat 12 naast de kerk", "warning"),
])
def test_split_address_problems(raw, severity):
    got = one(split_address, raw)
    assert got["severity"] == severity
    assert raw in got["problem"]


@pytest.mark.parametrize(("raw", "number", "add"), [
    ("12A", "12", "A"), ("12-3", "12", "3"), ("12", "12", None), ("12.0", "12", None),
    (" 12 bis", "12", "BIS"), ("12 a", "12", "A"), ("12-hs", "12", "HS"), ("a12", None, None),
])
def test_split_house_number(raw, number, add):
    got = one(split_house_number, raw)
    assert (got["house_number"], got["house_number_addition"]) == (number, add)


@pytest.mark.parametrize(("raw", "key"), [
    ("Hoofdstr.", "hoofdstraat"), ("Hoofdstraat", "hoofdstraat"), ("Hoofd straat", "hoofdstraat"),
    ("Beukenln", "beukenlaan"), ("v. Goghstraat", "van goghstraat"),
    ("Burg. de Withstraat", "burgemeester de withstraat"),
    ("St. Jansstraat", "sint jansstraat"), ("'s-Gravendijkwal", "s gravendijkwal"),
    ("Coöperatieweg", "cooperatieweg"), ("Jan van Galenstr", "jan van galenstraat"),
])
def test_street_key(raw, key):
    assert street_key(pd.Series([raw]))[0] == key


@pytest.mark.parametrize(("raw", "name", "key"), [
    ("Den Haag", "'s-Gravenhage", "s gravenhage"), ("s Gravenhage", "'s-Gravenhage", None),
    ("'s-gravenhage", "'s-Gravenhage", None), ("'S-GRAVENHAGE", "'s-Gravenhage", None),
    ("Den Bosch", "'s-Hertogenbosch", "s hertogenbosch"), ("AMSTERDAM", "Amsterdam", "amsterdam"),
    ("  utrecht ", "Utrecht", "utrecht"), ("capelle aan den ijssel", "Capelle aan den IJssel", None),
    ("Nergensdorp", "Nergensdorp", "nergensdorp"), ("den helder", "Den Helder", "den helder"),
    ("1234 AB Amsterdam", None, None),
])
def test_city(raw, name, key):
    got = one(city, raw)
    assert got["city"] == name
    if key:
        assert got["city_key"] == key
    assert (got["severity"] == "error") == (name is None)


def test_city_for_pc4():
    assert city_for_pc4(pd.Series(["1011", "2491", None, "0000"])).tolist() == [
        "Amsterdam", "'s-Gravenhage", None, None]


PHONES = [
    ("06-12345678", "+31612345678", "mobile"), ("+31 (0)6 1234 5678", "+31612345678", "mobile"),
    ("0031 6 12345678", "+31612345678", "mobile"), ("0612345678", "+31612345678", "mobile"),
    ("06 1234 5678", "+31612345678", "mobile"), ("+31612345678", "+31612345678", "mobile"),
    ("020-1234567", "+31201234567", "fixed"), ("070 123 45 67", "+31701234567", "fixed"),
    ("(010) 123 4567", "+31101234567", "fixed"), ("088-1234567", "+31881234567", "other"),
    ("0800-0123", "+318000123", "other"), ("+32 2 555 12 12", "+3225551212", "fixed"),
    ("+49 30 12345678", "+493012345678", "fixed"), ("+44 20 7946 0958", "+442079460958", "fixed"),
]


@pytest.mark.parametrize(("raw", "e164", "kind"), PHONES)
def test_phone(raw, e164, kind):
    got = one(phone, raw)
    assert (got["phone"], got["phone_type"], got["problem"]) == (e164, kind, None)


@pytest.mark.parametrize("raw", ["abc", "06-1234", "12", "+31 6 1234"])
def test_phone_unreadable_is_a_warning_and_kept(raw):
    got = one(phone, raw)
    assert (got["phone"], got["severity"]) == (raw, "warning")


def test_phone_other_region():
    assert one(phone, "02 555 12 12", region="BE")["phone"] == "+3225551212"


EMAILS = [
    (" Jan@Example.NL ", "jan@example.nl", False, None),
    ("info@bakkerij.nl", "info@bakkerij.nl", True, None),
    ("sales@x.com", "sales@x.com", True, None), ("contact@x.nl", "contact@x.nl", True, None),
    ("administratie@x.nl", "administratie@x.nl", True, None),
    ("info2@x.nl", "info2@x.nl", True, None), ("jan.jansen@x.nl", "jan.jansen@x.nl", False, None),
    ("mailto:piet@x.nl", "piet@x.nl", False, None),
    ("jan@gmial.com", "jan@gmial.com", False, "warning"),
    ("jan@hotmial.com", "jan@hotmial.com", False, "warning"),
    ("jan@gmail.con", "jan@gmail.con", False, "warning"),
    ("jan@gmail.com", "jan@gmail.com", False, None),
    ("jan.example.nl", None, False, "error"), ("jan@", None, False, "error"),
    ("jan@example", None, False, "error"), ("jan jansen@example.nl", None, False, "error"),
    ("a@b@c.nl", None, False, "error"),
]


@pytest.mark.parametrize(("raw", "address", "role", "severity"), EMAILS)
def test_email(raw, address, role, severity):
    got = one(email, raw)
    assert (got["email"], got["is_role"], got["severity"]) == (address, role, severity)


FULL_NAMES = [
    ("Dhr. J.P. van der Berg", ("Dhr.", "M", None, "J.P.", None, "van der", "Berg")),
    ("Berg, J.P. van der", (None, None, None, "J.P.", None, "van der", "Berg")),
    ("Jan-Peter van den Berg-de Vries",
     (None, None, None, "J.P.", "Jan-Peter", "van den", "Berg-de Vries")),
    ("mevr. drs. A. de Wit", ("Mevr.", "F", "drs.", "A.", None, "de", "Wit")),
    ("Jan De", (None, None, None, "J.", "Jan", None, "De")),
    ("De", (None, None, None, None, None, None, "De")),
    ("de Vries", (None, None, None, None, None, "de", "Vries")),
    ("JAN DE VRIES", (None, None, None, "J.", "Jan", "de", "Vries")),
    ("Th. de Jong", (None, None, None, "Th.", None, "de", "Jong")),
    ("Jan Jansen-van der Berg", (None, None, None, "J.", "Jan", None, "Jansen-van der Berg")),
    ("De heer Pietersen", ("Dhr.", "M", None, None, None, None, "Pietersen")),
    ("Jan ter Horst", (None, None, None, "J.", "Jan", "ter", "Horst")),
    ("A. in 't Veld", (None, None, None, "A.", None, "in 't", "Veld")),
    ("Dhr. mr. J. Jansen", ("Dhr.", "M", "mr.", "J.", None, None, "Jansen")),
    ("J. Jansen MSc", (None, None, "MSc", "J.", None, None, "Jansen")),
    ("Mw. prof. dr. E. Bakker", ("Mevr.", "F", "prof. dr.", "E.", None, None, "Bakker")),
    ("Jansen, Piet", (None, None, None, "P.", "Piet", None, "Jansen")),
    ("Vries, de", (None, None, None, None, None, "de", "Vries")),
    ("Jan Peter Smit", (None, None, None, "J.P.", "Jan Peter", None, "Smit")),
]


@pytest.mark.parametrize(("raw", "expected"), FULL_NAMES)
def test_split_person_name(raw, expected):
    got = one(split_person_name, raw)
    assert tuple(got[c] for c in ("salutation", "gender", "title", "initials", "first_name",
                                  "name_prefix", "last_name")) == expected


@pytest.mark.parametrize("raw", ["Dhr.", "Jansen 2"])
def test_split_person_name_errors(raw):
    assert one(split_person_name, raw)["severity"] == "error"


@pytest.mark.parametrize(("raw", "gender"), [
    ("Dhr.", "M"), ("Dhr", "M"), ("De heer", "M"), ("Heer", "M"), ("Mr", "M"), ("Mr.", "M"),
    ("Mevr.", "F"), ("Mevrouw", "F"), ("Mw.", "F"), ("Mrs", "F"), ("Ms", "F"),
    ("geachte heer", "M"), ("Fam.", None), ("Prof.", None),
])
def test_gender_from_salutation(raw, gender):
    assert gender_from_salutation(pd.Series([raw]))[0] == gender


@pytest.mark.parametrize(("raw", "expected"), [
    ("JP", "J.P."), ("J. P.", "J.P."), ("j.p", "J.P."), ("J.P", "J.P."), ("J.P.", "J.P."),
    ("Th.J.", "Th.J."), ("IJ.", "IJ."), ("A", "A."), ("a.b.c.", "A.B.C."),
])
def test_initials(raw, expected):
    got = one(initials, raw)
    assert (got["initials"], got["problem"]) == (expected, None)


PREFIXES = [
    (("van der Berg", None), ("van der", "Berg")), (("De", None), (None, "De")),
    (("Jan De", None), (None, "Jan De")), (("van De", None), ("van", "De")),
    (("Berg, van der", None), ("van der", "Berg")), (("Berg van der", None), ("van der", "Berg")),
    (("Dijk", "van"), ("van", "Dijk")), (("van Dijk", "van"), ("van", "Dijk")),
    (("Dijk", "Van"), ("van", "Dijk")), (("ter Horst", None), ("ter", "Horst")),
    (("'t Hart", None), ("'t", "Hart")), (("van 't Hof", None), ("van 't", "Hof")),
    (("uit den Bogaard", None), ("uit den", "Bogaard")), (("op de Beek", None), ("op de", "Beek")),
    (("Ten", None), (None, "Ten")), (("VAN DER BERG", None), ("van der", "Berg")),
    (("Jansen", None), (None, "Jansen")), (("van den Berg-de Vries", None),
                                            ("van den", "Berg-de Vries")),
]


@pytest.mark.parametrize(("given", "expected"), PREFIXES)
def test_split_prefix(given, expected):
    last, prefix = given
    got = split_prefix(pd.Series([last]), pd.Series([prefix], dtype=object)).iloc[0]
    assert (got["name_prefix"], got["last_name"]) == expected


def test_split_prefix_blocked():
    got = split_prefix(pd.Series(["la Rivière"]), blocked=("la",)).iloc[0]
    assert (got["name_prefix"], got["last_name"]) == (None, "la Rivière")


@pytest.mark.parametrize(("raw", "key"), [
    ("van den Berg-de Vries", "berg de vries"), ("Ĳzerman", "ijzerman"), ("in 't Veld", "veld"),
    ("Müller", "muller"), ("De", "de"),
])
def test_last_name_key(raw, key):
    assert last_name_key(pd.Series([raw]))[0] == key


ORGS = [
    ("Bakkerij Jansen B.V.", "B.V.", "bakkerij jansen"), ("bakkerij jansen bv", "B.V.", None),
    ("BAKKERIJ JANSEN B.V", "B.V.", None), ("Bakkerij Jansen, b. v.", "B.V.", None),
    ("BV Bakkerij Jansen", "B.V.", "bakkerij jansen"), ("Philips N.V.", "N.V.", "philips"),
    ("Jansen VOF", "V.O.F.", "jansen"), ("Jansen v.o.f.", "V.O.F.", "jansen"),
    ("Jansen C.V.", "C.V.", "jansen"), ("CV Service Jansen", None, "cv service jansen"),
    ("Stichting Het Zonnetje", "Stichting", "het zonnetje"),
    ("Vereniging Eigen Huis", "Vereniging", "eigen huis"),
    ("Maatschap Huisartsen Noord", "Maatschap", "huisartsen noord"),
    ("Coöperatie Rabobank U.A.", "Coöperatie", "rabobank"),
    ("Jansen Holding B.V.", "B.V.", "jansen holding"), ("Jansen Holding", "Holding", None),
    ("Jansen & Zn.", None, "jansen zonen"), ("Jansen en Zonen", None, "jansen zonen"),
    ("Eenmanszaak Piet", "Eenmanszaak", "piet"), ("Jansen BV i.o.", "B.V. i.o.", "jansen"),
    ("  Pietersen   Techniek  ", None, "pietersen techniek"),
]


@pytest.mark.parametrize(("raw", "form", "key"), ORGS)
def test_org_name(raw, form, key):
    got = one(org_name, raw)
    assert got["legal_form"] == form
    assert got["name_key"] == (key or "bakkerij jansen" if "akkerij" in raw.lower() else key
                               or got["name_key"])
    assert got["name"] == " ".join(raw.split())


def test_org_name_only_legal_form_is_error():
    assert one(org_name, "B.V.")["severity"] == "error"


@pytest.mark.parametrize(("raw", "value", "severity"), [
    ("12345678", "12345678", None), ("1234 5678", "12345678", None),
    ("1234567", "01234567", "warning"), ("12345678.0", "12345678", None),
    ("123456", "00123456", "warning"), ("1234", None, "error"), ("123456789", None, "error"),
    ("1234567A", None, "error"),
    ("00000000", None, "error"),
])
def test_kvk_number(raw, value, severity):
    got = one(kvk_number, raw)
    assert (got["kvk_number"], got["severity"]) == (value, severity)
    if severity == "warning":
        assert "restored" in got["problem"]


@pytest.mark.parametrize(("func", "column", "raw", "value"), [
    (vestigingsnummer, "vestigingsnummer", "000012345678", "000012345678"),
    (vestigingsnummer, "vestigingsnummer", "12AB", None),
    (bsn, "bsn", "111222333", "111222333"), (bsn, "bsn", "123456789", None),
    (bsn, "bsn", "1112.22.333", "111222333"),
    (iban, "iban", "NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
    (iban, "iban", "NL91ABNA0417164301", None),
    (__import__("workbench.standardise", fromlist=["btw"]).btw, "btw", "NL004495445B01",
     "NL004495445B01"),
])
def test_identifiers(func, column, raw, value):
    got = one(func, raw)
    assert got[column] == value
    assert (got["severity"] is None) == (value is not None and "AB" != raw)


@pytest.mark.parametrize(("raw", "code"), [
    ("Nederland", "NL"), ("Netherlands", "NL"), ("NL", "NL"), ("nl", "NL"), ("Holland", "NL"),
    ("België", "BE"), ("Belgium", "BE"), ("BE", "BE"), ("Duitsland", "DE"), ("Germany", "DE"),
    ("Atlantis", None), ("XX", None),
])
def test_country(raw, code):
    assert one(country, raw)["country"] == code


@pytest.mark.parametrize(("raw", "site"), [
    ("https://www.Foo.nl/", "www.foo.nl"), ("http://foo.nl", "foo.nl"), ("www.foo.nl", "www.foo.nl"),
    ("WWW.FOO.NL/Contact/", "www.foo.nl/Contact"), ("foo.nl?utm=1", "foo.nl"),
    ("info@foo.nl", None), ("geen website", None),
])
def test_website(raw, site):
    assert one(website, raw)["website"] == site


@pytest.mark.parametrize(("raw", "iso", "severity"), [
    ("02-03-1985", "1985-03-02", None), ("2-3-1985", "1985-03-02", None),
    ("1985-03-02", "1985-03-02", None), ("02/03/1985", "1985-03-02", None),
    ("02.03.1985", "1985-03-02", None), ("1985-03-02 00:00:00", "1985-03-02", None),
    ("2 maart 1985", "1985-03-02", None), ("02-03-85", "1985-03-02", "warning"),
    ("31-02-1985", None, "error"), ("13-13-1985", None, "error"), ("morgen", None, "error"),
    ("01-01-2999", None, "error"),
])
def test_birth_date(raw, iso, severity):
    got = one(birth_date, raw)
    assert (got["birth_date"], got["severity"]) == (iso, severity)


@pytest.mark.parametrize("func", [postcode, split_address, city, phone, email, org_name,
                                  kvk_number, country, website, birth_date, initials,
                                  split_person_name])
def test_missing_is_not_a_problem(func):
    got = func(pd.Series([None, "", "   ", float("nan")], dtype=object))
    assert got["problem"].isna().all()
    assert list(got.index) == [0, 1, 2, 3]


def test_street_keeps_no_separator_at_its_end():
    # hypothesis found "0/. 0": the street "0/" split differently when standardised again
    once = split_address(pd.Series(["0/. 0"]))
    assert (once.at[0, "street"], once.at[0, "house_number"]) == ("0", "0")
    again = split_address(pd.Series([f"{once.at[0, 'street']} {once.at[0, 'house_number']}"]))
    assert again[["street", "house_number"]].values.tolist() == [["0", "0"]]
