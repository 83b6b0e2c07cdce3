"""Foreign organisations for the hard demo: Belgian, German, British and US firms as lists write them.

Each country has its own address order (street then number, or number first), postcode shape,
telephone plan and legal forms; the phone numbers are drawn until ``phonenumbers`` calls them
valid, so a row's number is real for its country.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import phonenumbers

from workbench.demo.names import JOBS, ascii_slug, typo


@dataclass(frozen=True)
class Country:
    """How one country writes an address and a phone, and what lists call it."""

    code: str
    locale: str  # Faker's, for street, company and person names
    tld: str
    aliases: tuple[str, ...]  # what a list's country column says
    number_first: bool  # "10 Downing Street" rather than "Kerkstraat 10"
    cities: tuple[tuple[str, str, str], ...]  # (city, postcode or its start, area code)
    mobile_prefixes: tuple[str, ...]


COUNTRIES: dict[str, Country] = {c.code: c for c in (
    Country("BE", "nl_BE", "be", ("BE", "België", "Belgique", "Belgium", "BELGIE"), False,
            (("Brussel", "1000", "2"), ("Antwerpen", "2000", "3"), ("Gent", "9000", "9"),
             ("Leuven", "3000", "16"), ("Brugge", "8000", "50"), ("Hasselt", "3500", "11"),
             ("Mechelen", "2800", "15"), ("Liège", "4000", "4")), ("47", "48", "49")),
    Country("DE", "de_DE", "de", ("DE", "Duitsland", "Deutschland", "Germany", "D"), False,
            (("Berlin", "10", "30"), ("Hamburg", "20", "40"), ("München", "80", "89"),
             ("Köln", "50", "221"), ("Düsseldorf", "40", "211"), ("Aachen", "52", "241"),
             ("Münster", "48", "251"), ("Essen", "45", "201")), ("151", "160", "170", "176")),
    Country("GB", "en_GB", "co.uk", ("GB", "UK", "Verenigd Koninkrijk", "United Kingdom",
                                     "Engeland"), True,
            (("London", "EC1A", "20"), ("London", "SW1A", "20"), ("Manchester", "M1", "161"),
             ("Birmingham", "B1", "121"), ("Leeds", "LS1", "113"), ("Bristol", "BS1", "117"),
             ("Glasgow", "G1", "141")), ("7400", "7700", "7900")),
    Country("US", "en_US", "com", ("US", "USA", "Verenigde Staten", "United States",
                                   "U.S.A."), True,
            (("Chicago", "606", "312"), ("New York", "100", "212"), ("Boston", "021", "617"),
             ("Austin", "787", "512"), ("Seattle", "981", "206"), ("Denver", "802", "303")),
            ()),
)}
_GB_INWARD = "ABDEFGHJLNPQRSTUWXYZ"


def _phone(rnd: random.Random, code: str, prefix: str) -> phonenumbers.PhoneNumber:
    """A valid number of ``code``'s plan that starts with ``prefix`` (area or mobile range)."""
    cc = phonenumbers.country_code_for_region(code)
    for _ in range(500):
        length = rnd.choice((8, 9, 10, 11)) if code in ("BE", "DE") else 10
        rest = "".join(rnd.choice("0123456789") for _ in range(length - len(prefix)))
        if code == "US":
            rest = rnd.choice("23456789") + rest[1:]  # an exchange never starts with 0 or 1
        number = phonenumbers.parse(f"+{cc}{prefix}{rest}")
        if phonenumbers.is_valid_number(number):
            return number
    raise RuntimeError(f"no valid {code} number with prefix {prefix}")  # pragma: no cover


def _postcode(rnd: random.Random, code: str, start: str) -> str:
    """A postcode of the country's shape beginning like the city's own."""
    if code == "BE":
        return start
    if code == "GB":
        return f"{start} {rnd.randrange(1, 10)}{rnd.choice(_GB_INWARD)}{rnd.choice(_GB_INWARD)}"
    width = 5
    return start + "".join(rnd.choice("0123456789") for _ in range(width - len(start)))


def draw_foreign(rnd: random.Random, fakers: dict[str, Any], code: str, n: int,
                 taken: set[str]) -> list[dict[str, Any]]:
    """``n`` organisations of ``code``, each with one contact person; domains not in ``taken``."""
    country, fake = COUNTRIES[code], fakers[code]
    out = []
    while len(out) < n:
        name = fake.company()
        slug = ascii_slug(name.split(",")[0])[:20]
        if not slug or slug in taken:
            continue
        taken.add(slug)
        city, start, area = rnd.choice(country.cities)
        male = rnd.random() < 0.5
        first = fake.first_name_male() if male else fake.first_name_female()
        last = fake.last_name()
        phone = _phone(rnd, code, area)
        mobile = _phone(rnd, code, rnd.choice(country.mobile_prefixes or (area,)))
        out.append({
            "country": code, "name": name, "street": fake.street_name(),
            "house_number": str(rnd.randrange(1, 300)), "postcode": _postcode(rnd, code, start),
            "city": city, "phone": phone, "mobile": mobile, "domain": f"{slug}.{country.tld}",
            "first_name": first, "last_name": last, "gender": "M" if male else "F",
            "job": rnd.choice(JOBS),
            "email": f"{ascii_slug(first)}.{ascii_slug(last)}@{slug}.{country.tld}",
        })
    return out


def crm_record(org: dict[str, Any]) -> dict[str, str]:
    """The organisation as the CRM holds it: street and number apart, the phone in E.164."""
    return {
        "name": org["name"], "kvk_number": "", "street": org["street"],
        "house_number": org["house_number"], "house_number_addition": "",
        "postcode": org["postcode"], "city": org["city"], "country": org["country"],
        "phone": phonenumbers.format_number(org["phone"], phonenumbers.PhoneNumberFormat.E164),
        "email": f"info@{org['domain']}", "website": f"www.{org['domain']}",
    }


def _written_phone(number: phonenumbers.PhoneNumber, rnd: random.Random) -> str:
    """International or national format: a national one only the row's country explains."""
    fmt = rnd.choice((phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                      phonenumbers.PhoneNumberFormat.NATIONAL))
    return phonenumbers.format_number(number, fmt)


def render_foreign(org: dict[str, Any], rnd: random.Random) -> dict[str, str]:
    """One incoming row for a foreign firm: its own address order, phone format and country."""
    country = COUNTRIES[org["country"]]
    street, number = org["street"], org["house_number"]
    address = f"{number} {street}" if country.number_first else f"{street} {number}"
    female = org["gender"] == "F"
    return {
        "Bedrijfsnaam": org["name"], "KvK-nummer": "", "Adres": address,
        "Postcode": org["postcode"], "Plaats": org["city"],
        "Telefoon": "" if rnd.random() < 0.1 else _written_phone(org["phone"], rnd),
        "E-mail": "" if rnd.random() < 0.2 else f"info@{org['domain']}",
        "Website": "" if rnd.random() < 0.2 else f"www.{org['domain']}",
        "Aanhef": "" if rnd.random() < 0.3 else ("Mevr." if female else "Dhr."),
        "Voorletters": org["first_name"][0] + ".",
        "Voornaam": "" if rnd.random() < 0.1 else org["first_name"],
        "Tussenvoegsel": "", "Achternaam": org["last_name"], "Functie": org["job"],
        "E-mail contactpersoon": org["email"],
        "Mobiel": "" if rnd.random() < 0.4 else _written_phone(org["mobile"], rnd),
        "Land": rnd.choice(country.aliases), "Verhuisdatum": "",
    }


def foreign_lightly(cells: dict[str, str], rnd: random.Random) -> dict[str, str]:
    """A foreign row again with one or two small differences (never in the postcode)."""
    out = dict(cells)
    for _ in range(rnd.choice((1, 2))):
        op = rnd.randrange(4)
        if op == 0:
            out[rnd.choice(("Telefoon", "Website", "E-mail", "Functie", "Mobiel", "Aanhef"))] = ""
        elif op == 1:
            out["Bedrijfsnaam"] = out["Bedrijfsnaam"].upper()
        elif op == 2:
            out["Achternaam"] = typo(out["Achternaam"], rnd)
        else:
            out["Land"] = rnd.choice(COUNTRIES[_code_of(cells["Land"])].aliases)
    if out == cells:  # a blanked cell that was empty: the copy must still differ somewhere
        name = out["Bedrijfsnaam"]
        out["Bedrijfsnaam"] = name.lower() if name.isupper() else name.upper()
    return out


def _code_of(alias: str) -> str:
    """The country code behind one of the aliases a row's country column holds."""
    return next(c.code for c in COUNTRIES.values() if alias in c.aliases)
