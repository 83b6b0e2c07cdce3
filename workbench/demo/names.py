"""Dutch names for the demo: the Faker value pools, legal forms, and the slips people make."""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

# Area codes per first digit of the PC4 (rough region), so a phone looks local to its address.
_AREA_CODES: dict[str, tuple[str, ...]] = {
    "1": ("020", "023", "035", "072", "075", "0229", "0299"),
    "2": ("070", "071", "079", "0172", "0182", "023"),
    "3": ("010", "030", "033", "078", "0180", "0345"),
    "4": ("076", "0113", "0118", "0165", "0416"),
    "5": ("040", "073", "013", "0492", "0413"),
    "6": ("043", "045", "046", "077", "024", "026"),
    "7": ("053", "055", "038", "0570", "0314"),
    "8": ("058", "038", "0320", "0513", "0521"),
    "9": ("050", "0592", "0591", "0511", "0599"),
}

_TUSSENVOEGSELS = frozenset({
    "van", "de", "van der", "van den", "van de", "den", "der", "ter", "ten", "te", "van 't",
    "'t", "in 't", "op de", "op den", "van het", "uit de", "de la",
})
# "Stichting"/"Vereniging" (and their short forms) stand before the name, the others after it.
PREFIX_FORMS = frozenset({"Stichting", "Vereniging"})
LEGAL_VARIANTS: dict[str, tuple[str, ...]] = {
    "B.V.": ("BV", "", "B.V", "b.v."), "BV": ("B.V.", "", "bv"), "": ("B.V.", "BV"),
    "N.V.": ("NV", ""), "V.O.F.": ("VOF", "v.o.f.", ""), "C.V.": ("CV", ""),
    "Holding B.V.": ("Holding BV", "Holding"), "Stichting": ("Stg.", ""),
    "Vereniging": ("Ver.", ""),
}
JOBS = (
    "Directeur", "Eigenaar", "Directeur-eigenaar", "Inkoper", "Hoofd inkoop", "Office manager",
    "Financieel manager", "Controller", "Bedrijfsleider", "Administrateur", "Marketing manager",
    "Accountmanager", "HR-adviseur", "Operationeel manager", "Facilitair manager",
    "Commercieel directeur", "Projectleider", "Secretaresse", "Salesmanager", "IT-manager",
    "Werkvoorbereider", "Managementassistent", "Vestigingsmanager", "Planner",
)
FREEMAIL = ("gmail.com", "hotmail.com", "ziggo.nl", "kpnmail.nl", "outlook.com", "live.nl",
            "planet.nl", "xs4all.nl")


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only (for e-mail addresses and domains)."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", norm.lower())


@dataclass(frozen=True)
class Pools:
    """The value pools every demo record is combined from, by index."""

    male: np.ndarray
    female: np.ndarray
    prefixes: np.ndarray  # surname prefix per surname ("van der" or "")
    surnames: np.ndarray  # surname without prefix ("Berg")
    streets: np.ndarray
    companies: np.ndarray  # Faker company names without a legal form
    pc4: np.ndarray
    pc4_city: np.ndarray
    pc4_area: list[tuple[str, ...]]
    male_slug: np.ndarray
    female_slug: np.ndarray
    surname_slug: np.ndarray  # prefix and surname as one e-mail word: "vanderberg"


def _unique(draw: Any, n: int, keep: Any = None) -> list[str]:
    """Up to ``n`` distinct values from ``draw()``, in first-seen order (deterministic per seed)."""
    seen: dict[str, None] = {}
    for _ in range(n * 6):
        value = draw()
        if keep is None or keep(value):
            seen.setdefault(value, None)
            if len(seen) >= n:
                break
    return list(seen)


def _split_surname(full: str) -> tuple[str, str] | None:
    """Split Faker's ``van der Berg`` into (``van der``, ``Berg``); None for odd historic names."""
    words = full.split(" ")
    prefix, last = " ".join(words[:-1]), words[-1]
    if "," in full or not last[:1].isupper() or (prefix and prefix not in _TUSSENVOEGSELS):
        return None
    return prefix, last


def build_pools(seed: int) -> Pools:
    """Draw the Faker value pools once; every record is then combined from them by index."""
    import countrystatecity_postal_codes as cscpc
    from faker import Faker  # imported here: Faker's import is slow and only the demo needs it

    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    surnames = [s for s in (_split_surname(x) for x in _unique(fake.last_name, 2000)) if s]
    companies = _unique(fake.company, 2000, keep=lambda c: "," not in c and len(c) > 3)
    # The legal form is added later, from our own mix: drop the one Faker sometimes appends.
    companies = sorted({re.sub(r" (BV|NV)$", "", c[0].upper() + c[1:]) for c in companies})
    places = sorted(cscpc.get_postcodes_of_country("NL"), key=lambda p: p.code)
    male = _unique(fake.first_name_male, 2000)
    female = _unique(fake.first_name_female, 2000)
    return Pools(
        male=np.array(male, dtype=object),
        female=np.array(female, dtype=object),
        prefixes=np.array([p for p, _ in surnames], dtype=object),
        surnames=np.array([s for _, s in surnames], dtype=object),
        streets=np.array(_unique(fake.street_name, 1000), dtype=object),
        companies=np.array(companies, dtype=object),
        pc4=np.array([p.code for p in places], dtype=object),
        pc4_city=np.array([p.localityName for p in places], dtype=object),
        pc4_area=[_AREA_CODES[p.code[0]] for p in places],
        male_slug=np.array([ascii_slug(x) for x in male], dtype=object),
        female_slug=np.array([ascii_slug(x) for x in female], dtype=object),
        surname_slug=np.array([ascii_slug(p + s) for p, s in surnames], dtype=object),
    )


def full_name(base: str, legal: str) -> str:
    """Join a base name and its legal form the Dutch way round."""
    if not legal:
        return base
    return f"{legal} {base}" if legal in PREFIX_FORMS or legal in ("Stg.", "Ver.") \
        else f"{base} {legal}"


def typo(text: str, rnd: random.Random) -> str:
    """The same text with one character substituted, dropped, doubled or swapped."""
    spots = [i for i, c in enumerate(text) if c.isalpha() and i > 0]
    if not spots:
        return text
    for _ in range(10):
        i = rnd.choice(spots)
        op = rnd.randrange(4)
        if op == 0:
            out = text[:i] + rnd.choice("aeiounrstl") + text[i + 1:]
        elif op == 1:
            out = text[:i] + text[i + 1:]
        elif op == 2:
            out = text[:i] + text[i] + text[i:]
        else:
            out = text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]
        if out != text and out.strip() == out:
            return out
    return text + "e"
