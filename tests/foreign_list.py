"""A generated list of US, Belgian, German, British and Dutch organisations, some of them twice.

Faker makes the names, streets and places per country (fr_BE has no addresses of its own, so
Belgian streets are French street words with a Belgian number order); the copies are written
the way a second source writes the same firm: other case, a typo in the name, abbreviations,
postcode spacing or no postcode at all.
"""
from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
from faker import Faker

HEADER = ["Company", "Address", "Postcode", "City", "Country", "Phone"]
COUNTRY_NAMES = {"US": ["USA", "United States", "US"], "BE": ["Belgique", "België", "BE"],
                 "DE": ["Deutschland", "Germany", "DE"], "GB": ["United Kingdom", "UK", "GB"],
                 "NL": ["Nederland", "Netherlands", "NL"]}
_LOCALES = {"US": "en_US", "BE": "fr_BE", "DE": "de_DE", "GB": "en_GB", "NL": "nl_NL"}
_BE_STREETS = ("Rue", "Avenue", "Chaussée", "Boulevard", "Place")


def _address(fake: Faker, rng: random.Random, country: str) -> tuple[str, int, str, str]:
    """(street, number, postcode, city) as the country writes them."""
    number = rng.randint(1, 400)
    if country == "US":
        return fake.street_name(), number, fake.zipcode(), fake.city()
    if country == "BE":
        street = f"{rng.choice(_BE_STREETS)} {fake.last_name()}"
        return street, number, str(rng.randint(1000, 9992)), fake.city()
    postcode = fake.postcode()
    while postcode[-2:] in ("SA", "SD", "SS"):  # Faker's letters are random; PostNL skips these
        postcode = fake.postcode()
    return fake.street_name(), number, postcode, fake.city()


def _phone(rng: random.Random, country: str) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(7))
    return {"US": f"(312) {digits[:3]}-{digits[3:]}", "BE": f"02 {digits[:3]} {digits[3:5]} "
            f"{digits[5:]}", "DE": f"030 {digits}", "GB": f"020 7{digits[:3]} {digits[3:6]}",
            "NL": f"020-{digits}"}[country]


def _variant(row: dict, rng: random.Random) -> dict:
    """The same organisation as another source writes it."""
    out = dict(row)
    name = row["Company"]
    if rng.random() < 0.3:  # two letters swapped by a typist
        i = rng.randrange(1, max(2, len(name.split()[0]) - 1))
        name = name[:i] + name[i + 1] + name[i] + name[i + 2:]
    out["Company"] = name.upper() if rng.random() < 0.5 else name
    out["Postcode"] = row["Postcode"].replace(" ", "") if rng.random() < 0.5 else row["Postcode"]
    if rng.random() < 0.15:  # the second source has no postcode
        out["Postcode"] = ""
    out["Country"] = rng.choice(COUNTRY_NAMES[row["_code"]])
    out["Phone"] = "" if rng.random() < 0.3 else row["Phone"]
    address = row["Address"]
    for long, short in (("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("straße", "str.")):
        address = address.replace(long, short)
    out["Address"] = address
    return out


def make_foreign_list(path: Path, per_country: int = 60, twice: int = 12,
                      seed: int = 12) -> pd.DataFrame:
    """Write the list (CSV) to ``path``; return it with its truth (``_entity``: same firm)."""
    rng = random.Random(seed)
    rows = []
    for code, locale in _LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(seed)
        made = []
        for i in range(per_country):
            street, number, postcode, place = _address(fake, rng, code)
            line = f"{number} {street}" if code in ("US", "GB") else f"{street} {number}"
            made.append({"Company": f"{fake.last_name()} {fake.company_suffix()}",
                         "Address": line, "_street": street, "_number": str(number), "Postcode": postcode, "City": place,
                         "Country": COUNTRY_NAMES[code][0], "Phone": _phone(rng, code),
                         "_code": code, "_entity": f"{code}-{i}"})
        rows += made
        rows += [_variant(row, rng) for row in rng.sample(made, twice)]
    rng.shuffle(rows)
    frame = pd.DataFrame(rows)
    frame[HEADER].to_csv(path, index=False)
    return frame
