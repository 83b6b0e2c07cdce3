"""One incoming row as a purchased list writes it: formats, casing, aliases and small slips."""
from __future__ import annotations

import random
from typing import Any

from workbench.demo.names import LEGAL_VARIANTS, full_name, typo

INCOMING_HEADER: tuple[str, ...] = (
    "Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Telefoon", "E-mail", "Website",
    "Aanhef", "Voorletters", "Voornaam", "Tussenvoegsel", "Achternaam", "Functie",
    "E-mail contactpersoon", "Mobiel",
)
_CITY_ALIASES = {"'s-Gravenhage": "Den Haag", "'s-Hertogenbosch": "Den Bosch"}


def _fmt_postcode(pc: str, rnd: random.Random) -> str:
    """A postcode as lists write it: ``1234 AB``, ``1234AB``, ``1234ab``, ``1234 ab``."""
    digits, letters = pc[:4], pc[-2:]
    return rnd.choice((f"{digits} {letters}", f"{digits}{letters}", f"{digits}{letters.lower()}",
                       f"{digits} {letters.lower()}", f"{digits}{letters}"))


def _fmt_phone(area: str, sub: str, rnd: random.Random) -> str:
    """A landline in one of the ways people write it."""
    a = area[1:]
    spaced = f"{sub[:3]} {sub[3:]}" if len(sub) == 7 else f"{sub[:2]} {sub[2:4]} {sub[4:]}"
    return rnd.choice((f"{area}-{sub}", f"+31 {a} {spaced}", f"0031{a}{sub}", f"+31{a}{sub}",
                       f"{area} {spaced}", f"{area}-{sub}"))


def _fmt_mobile(sub: str, rnd: random.Random) -> str:
    """A mobile number in one of the ways people write it."""
    return rnd.choice((f"06-{sub}", f"06 {sub}", f"+31 6 {sub}", f"+316{sub}", f"06{sub}",
                       f"06-{sub[:2]} {sub[2:4]} {sub[4:6]} {sub[6:]}"))


def _fmt_address(street: str, number: str, addition: str, rnd: random.Random) -> str:
    """Street, number and addition on one line: ``Hoofdstraat 12 A``, ``Kerkweg 3-2``."""
    if not addition:
        return f"{street} {number}"
    if addition.isdigit():
        return f"{street} {number}{rnd.choice(('-', '-', ' '))}{addition}"
    if len(addition) == 1:
        return rnd.choice((f"{street} {number} {addition}", f"{street} {number}{addition}",
                           f"{street} {number}{addition.lower()}", f"{street} {number}-{addition}"))
    return rnd.choice((f"{street} {number} {addition}", f"{street} {number}-{addition}"))


def _fmt_initials(initials: str, rnd: random.Random) -> str:
    """``J.P.`` as ``J.P.``, ``JP``, ``J. P.`` or ``J.P``."""
    letters = initials.replace(".", "")
    return rnd.choice((initials, letters, ". ".join(letters) + ".", initials.rstrip("."),
                       initials))


def _recase(text: str, rnd: random.Random) -> str:
    """The text in another case: upper, lower or title."""
    return rnd.choice((text.upper(), text.lower(), text.title()))


def _salutation(gender: str, rnd: random.Random) -> str:
    """Dhr./De heer or Mevr./Mevrouw for the person's gender."""
    if rnd.random() < 0.05:
        return ""
    return rnd.choice(("Dhr.", "De heer", "Dhr.")) if gender == "M" \
        else rnd.choice(("Mevr.", "Mevrouw", "Mevr."))


def render_row(org: dict[str, Any], per: dict[str, Any], rnd: random.Random,
            perturb: bool) -> dict[str, str]:
    """One incoming row (16 text cells) from an organisation and a person, as a list writes it."""
    base, legal = org["_base"], org["_legal"]
    if perturb:
        roll = rnd.random()
        if roll < 0.35:
            legal = rnd.choice(LEGAL_VARIANTS[legal])
        elif roll < 0.50:
            base = typo(base, rnd)
    name = full_name(base, legal)
    if perturb and rnd.random() < 0.15:
        name = _recase(name, rnd)
    kvk = org["_kvk"]
    if rnd.random() < 0.3 and not org.get("_keep_kvk"):
        kvk = ""
    elif perturb and kvk.startswith("0") and rnd.random() < 0.5:
        kvk = kvk[1:]  # Excel ate the leading zero somewhere upstream
    city = org["city"]
    if city in _CITY_ALIASES and rnd.random() < 0.5:
        city = _CITY_ALIASES[city]
    elif rnd.random() < 0.1:
        city = city.upper()
    website = rnd.choice((org["website"], org["website"], "http://" + org["website"],
                          org["website"][4:], "https://" + org["website"] + "/"))
    email = org["email"] if rnd.random() < 0.8 else _recase(org["email"], rnd)
    last, prefix = per["last_name"], per["name_prefix"]
    if prefix and rnd.random() < 0.25:
        last, prefix = f"{prefix} {last}", ""  # tussenvoegsel left in the surname column
    work = per["_work_email"]
    if perturb and rnd.random() < 0.2:
        work = rnd.choice((work.upper(), work[0].upper() + work[1:], work.title()))
    return {
        "Bedrijfsnaam": name,
        "KvK-nummer": kvk,
        "Adres": _fmt_address(org["street"], org["house_number"], org["house_number_addition"],
                              rnd),
        "Postcode": _fmt_postcode(org["postcode"], rnd),
        "Plaats": city,
        "Telefoon": "" if rnd.random() < 0.1 else _fmt_phone(org["_area"], org["_sub"], rnd),
        "E-mail": "" if rnd.random() < 0.15 else email,
        "Website": "" if rnd.random() < 0.2 else website,
        "Aanhef": _salutation(per["_gender"], rnd),
        "Voorletters": _fmt_initials(per["initials"], rnd),
        "Voornaam": "" if rnd.random() < 0.15 else per["first_name"],
        "Tussenvoegsel": prefix,
        "Achternaam": last,
        "Functie": "" if rnd.random() < 0.1 else per["_job"],
        "E-mail contactpersoon": work,
        "Mobiel": "" if rnd.random() < 0.2 else _fmt_mobile(per["_mobile_sub"], rnd),
    }


def lightly(cells: dict[str, str], rnd: random.Random) -> dict[str, str]:
    """An in-file duplicate: the same row again with one or two small differences."""
    out = dict(cells)
    for _ in range(rnd.choice((1, 2))):
        op = rnd.randrange(6)
        if op == 0:
            field = rnd.choice(("Telefoon", "Website", "E-mail", "Functie", "Mobiel", "Voornaam",
                                "Aanhef", "KvK-nummer"))
            out[field] = ""
        elif op == 1 and out["Postcode"]:
            pc = out["Postcode"].replace(" ", "").upper()
            out["Postcode"] = _fmt_postcode(f"{pc[:4]} {pc[4:]}", rnd)
        elif op == 2:
            out["Bedrijfsnaam"] = _recase(out["Bedrijfsnaam"], rnd)
        elif op == 3:
            out["Achternaam"] = typo(out["Achternaam"], rnd)
        elif op == 4:
            out["E-mail contactpersoon"] = out["E-mail contactpersoon"].lower().capitalize()
        else:
            out["Voorletters"] = out["Voorletters"].replace(".", "")
    return out
