"""Issue 12: addresses, postcodes and countries of any country; names and numbers as people
write them (items 1 and 8)."""
from __future__ import annotations

import pandas as pd
import pytest

from workbench.keys import org_keys
from workbench.match.compare import OrgName
from workbench.standardise import org_name, standardise_frame
from workbench.standardise.address import split_address_in, street_key
from workbench.standardise.country import country_code
from workbench.standardise.frame import StandardiseOptions
from workbench.standardise.phone import phone
from workbench.standardise.postcode import postcode_in


@pytest.mark.parametrize(("name", "code"), [
    ("Nederland", "NL"), ("Belgique", "BE"), ("België", "BE"), ("Deutschland", "DE"),
    ("USA", "US"), ("United Kingdom", "GB"), ("Royaume-Uni", "GB"), ("Niederlande", "NL"),
    ("Schweiz", "CH"), ("Österreich", "AT"), ("DNK", "DK"), ("fr", "FR"), ("D", "DE"), ("B", "BE"),
    ("Atlantis", None),
])
def test_country_names_in_any_language(name, code):
    assert country_code(name) == code


def _split(line: str, country: str) -> dict:
    return split_address_in(pd.Series([line]), pd.Series([country])).iloc[0].to_dict()


@pytest.mark.parametrize(("line", "country", "street", "number", "addition"), [
    ("1312 S Racine Ave", "US", "S Racine Ave", "1312", None),
    ("353 Kathleen Highway Apt. 681", "US", "Kathleen Highway", "353", "APT. 681"),
    ("36 Debra Forges", "GB", "Debra Forges", "36", None),
    ("Flat 2, 14 Baker Street", "GB", "Baker Street", "14", "FLAT 2"),
    ("12 rue de la Paix", "FR", "rue de la Paix", "12", None),
    ("Rue de la Loi 16", "BE", "Rue de la Loi", "16", None),
    ("Friedrichstraße 43-45", "DE", "Friedrichstraße", "43", "45"),
    ("Hoofdstraat 12a", "NL", "Hoofdstraat", "12", "A"),
])
def test_the_country_decides_the_order_of_street_and_number(line, country, street, number,
                                                            addition):
    got = _split(line, country)
    assert (got["street"], got["house_number"], got["house_number_addition"]) == (
        street, number, addition)
    assert got["severity"] is None


def test_an_unreadable_foreign_address_is_kept_as_given_with_a_warning():
    got = _split("One World Trade Center", "US")
    assert got["street"] == "One World Trade Center" and got["house_number"] is None
    assert got["severity"] == "warning"
    # the same line in a Dutch row is still an error, as before
    assert _split("12 Main Street", "NL")["severity"] == "error"


def test_postcodes_are_read_by_their_country():
    out = postcode_in(pd.Series(["1234ab", "sw1a1aa", "D-10115", "1000", "ABC", "60608-1234"]),
                      pd.Series(["NL", "GB", "DE", "BE", "US", "US"]))
    assert out["postcode"].tolist() == ["1234 AB", "SW1A 1AA", "10115", "1000", "ABC",
                                        "60608-1234"]
    assert out["pc4"].tolist() == ["1234", None, None, None, None, None]
    assert out["severity"].tolist() == [None, None, None, None, "warning", None]


def test_a_foreign_row_is_never_rejected_for_its_address_and_keys_carry_the_country():
    mapped = pd.DataFrame({
        "org_name": ["Acme Inc", "Müller GmbH", "Dupont SPRL", "Jones Ltd", "Jones Ltd"],
        "org_address_line": ["1312 S Racine Ave", "Hauptstraße 5", "Rue Neuve 3",
                             "36 Debra Forges", "36 DEBRA FORGES"],
        "org_postcode": ["60608", "10115", "1000", "E7 0ZA", "e70za"],
        "org_country": ["USA", "Deutschland", "Belgique", "UK", "United Kingdom"],
        "org_phone": ["(312) 555-0123", "030 1234567", "02 512 45 67", "020 7123 4567",
                      "+44 20 7123 4567"]})
    std, problems = standardise_frame(mapped)
    assert not (problems["severity"] == "error").any(), problems
    assert std["org_phone"].tolist() == ["+13125550123", "+49301234567", "+3225124567",
                                         "+442071234567", "+442071234567"]
    keys = org_keys(std)
    assert keys["postcode"].tolist()[:4] == ["US 60608", "DE 10115", "BE 1000", "GB E7 0ZA"]
    assert keys["postcode"][3] == keys["postcode"][4] and keys["pc4"][3] == "GB E7"


def test_the_definitions_default_country_reads_rows_without_one():
    mapped = pd.DataFrame({"org_name": ["Acme"], "org_address_line": ["12 Main Street"],
                           "org_postcode": ["SW1A 1AA"]})
    std, problems = standardise_frame(mapped, StandardiseOptions(default_country="Verenigd "
                                                                                "Koninkrijk"))
    assert std.loc[0, "org_house_number"] == "12" and problems.empty


def test_street_keys_agree_across_abbreviations():
    keys = street_key(pd.Series(["Main Street", "Main St.", "Oak Drive", "Oak Dr",
                                 "Hauptstraße", "Hauptstr.", "Dr. Lelylaan"])).tolist()
    assert keys[0] == keys[1] and keys[2] == keys[3] and keys[4] == keys[5]
    assert keys[6] == "dokter lelylaan"


def test_a_dutch_number_in_an_unassigned_range_is_written_in_e164_with_a_warning():
    out = phone(pd.Series(["069-3373844", "0031691247823", "0031673841005", "+31673841005"]))
    assert out["phone"].tolist() == ["+31693373844", "+31691247823", "+31673841005",
                                     "+31673841005"]
    assert (out["severity"] == "warning").all()


def test_a_mistyped_legal_form_and_a_contained_name_score_as_similar():
    left = org_name(pd.Series(["Sitchting de Grunt", "GGN", "Jansen"]))["name_key"]
    right = org_name(pd.Series(["Stichting de Grunt", "GGN Holding B.V.", "Pietersen"]))[
        "name_key"]
    name = OrgName(label="name")
    levels = name._compute_vectorized(left, right)
    assert [name.describe(level) for level in levels] == [
        "similarity >= 0.97", "one name contained in the other", "different"]
    assert (name.score(levels)[:2] > 0).all()


def test_the_same_street_number_and_place_without_a_postcode_is_the_same_address():
    from workbench.match.compare import Address

    def frame(postcode):
        return [pd.Series([v], dtype=object) for v in (postcode, "113", None, "hubelplatz",
                                                       "nordlingen", False)]
    address = Address()
    with_pc, without = frame("DE 05543"), frame(None)
    assert address.describe(address._compute_vectorized(*without, *with_pc)[0]) == "same address"
    assert address.describe(address._compute_vectorized(*without, *without)[0]) == "same address"
    other = frame("DE 05544")
    assert address.describe(address._compute_vectorized(*other, *with_pc)[0]) == \
        "same street, number and place, other postcode"
