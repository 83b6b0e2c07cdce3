"""What a column holds: its meaning, from its values; the header name only breaks ties."""
from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence

import numpy as np

from workbench import standardise as std
from workbench.fields import header_meanings
from workbench.privacy import sensitive_content

from .checks import LOOKS_LIKE, VALID_MANY, four_digits

DETECT_SAMPLE = 1000  # distinct values used to choose a meaning; validity uses all of them
STRUCTURED_MIN = 0.5  # share of values that must fit a structured meaning (postcode, e-mail...)
NAME_MIN = 0.3  # share of values found in a name list (city, first or last name)
ORG_MIN = 0.2  # share of values carrying a legal form or a word like "Holding"
TIE = 0.1  # scores closer than this are a tie, broken by the header name

MEANINGS = (
    "postcode", "house_number", "street_house_number", "city", "kvk_number", "vestigingsnummer",
    "bsn", "iban", "phone", "mobile", "email", "url", "date", "gender", "salutation", "initials",
    "first_name", "last_name", "name_prefix", "organisation_name", "legal_form", "free_text",
    "empty",
)
# Order of preference when scores tie and the header does not help: most specific first.
STRUCTURED = ("email", "url", "iban", "bsn", "vestigingsnummer", "kvk_number", "postcode",
              "mobile", "phone", "date", "street_house_number", "house_number", "gender",
              "salutation", "legal_form", "name_prefix", "initials")
TEXTUAL_MIN = {"city": NAME_MIN, "first_name": NAME_MIN, "last_name": NAME_MIN,
               "organisation_name": ORG_MIN}
PRIORITY = (*STRUCTURED, *TEXTUAL_MIN, "free_text")

# Words that make a value an organisation name rather than a person or a place (legal forms
# are the standardiser's: std.has_legal_form).
_ORG_WORDS = re.compile(
    r"(?:^|[\s(,&])(?:holding|beheer|groep|group|installatie\w*|bouw\w*|bakkerij|"
    r"advies|consultancy|services|diensten|techniek|transport|logistiek|handel\w*|"
    r"makelaar\w*|accountants?|advocaten|notaris\w*|garage|autobedrijf|zorg|"
    r"gemeente|school|praktijk|winkel|restaurant|café|cafe|hotel|international|nederland|"
    r"solutions|software|media|design|studio|partners|"
    r"en zn\.?|& zn\.?|& co\.?|company)(?=$|[\s),.&])", re.I)



@functools.cache
def _person_names() -> tuple[frozenset[str], frozenset[str]]:
    """Dutch first and last names (casefolded) from Faker's nl_NL provider."""
    try:
        from faker.providers.person.nl_NL import Provider
    except Exception:  # Faker missing: names then score 0 and fall back to free text
        return frozenset(), frozenset()
    first = {n.casefold() for n in (*Provider.first_names_male, *Provider.first_names_female)}
    last: set[str] = set()
    for name in Provider.last_names:
        last.add(name.casefold())
        last.add(std.surname_without_prefix(name.casefold()))
    return frozenset(first), frozenset(last)


def _in_first_names(value: str) -> bool:
    return value.split(" ")[0].casefold() in _person_names()[0]


def _in_last_names(value: str) -> bool:
    low = value.casefold()
    last = _person_names()[1]
    return low in last or std.surname_without_prefix(low) in last


def _each(test: Callable[[str], bool]) -> Callable[[Sequence[str]], np.ndarray]:
    return lambda values: np.fromiter(map(test, values), dtype=bool, count=len(values))


# Textual meanings: detected from name lists (and words), valid as in checks.VALID_MANY.
FOUND_IN_LIST: dict[str, Callable[[Sequence[str]], np.ndarray]] = {
    "city": _each(std.is_known_place),
    "first_name": _each(_in_first_names),
    "last_name": _each(_in_last_names),
    "organisation_name": _each(lambda v: _ORG_WORDS.search(v) is not None
                               or std.has_legal_form(v)),
}


def _pick(scores: dict[str, float], hints: set[str]) -> str:
    best = max(scores.values())
    close = [m for m in PRIORITY if m in scores and scores[m] >= best - TIE]
    hinted = [m for m in close if m in hints]
    return (hinted or [m for m in close if scores[m] == best] or close)[0]


def _structured_scores(values: list[str], share: Callable[[np.ndarray], float],
                       hints: set[str]) -> dict[str, float]:
    scores = {m: share(LOOKS_LIKE[m](values)) for m in STRUCTURED}
    # A mobile column is also a phone column; call it mobile only when nearly all are mobile.
    if scores["mobile"] < 0.9 * scores["phone"]:
        scores["mobile"] = 0.0
    # Four-digit numbers are PC4 postcodes or years, not house numbers; postcode only by header.
    if share(four_digits(values)) >= 0.8:
        scores["house_number"] = 0.0
        if "postcode" not in hints:
            scores["postcode"] = 0.0
    return scores


def detect_meaning(name: str, counts: dict[str, int]) -> str:
    """Return the meaning of a column from its value counts; the header only breaks ties."""
    if not counts:
        return "empty"
    # counts come most frequent first, so this samples the common values.
    items = list(itertools.islice(counts.items(), DETECT_SAMPLE))
    values = [value for value, _ in items]
    weights = np.fromiter((count for _, count in items), dtype=np.int64, count=len(items))
    total = int(weights.sum())

    def share(mask: np.ndarray) -> float:
        return float(weights[mask].sum() / total) if total else 0.0

    # BSNs are BSNs whatever the header says ("Id"): never a phone number, never shown
    if sensitive_content(values, weights) == "bsn":
        return "bsn"
    hints = header_meanings(name)
    # A header that says mobile decides as long as most values are mobiles.
    if "mobile" in hints and share(LOOKS_LIKE["mobile"](values)) >= STRUCTURED_MIN:
        return "mobile"
    scores = _structured_scores(values, share, hints)
    fitting = {m: s for m, s in scores.items() if s >= STRUCTURED_MIN}
    if fitting:
        return _pick(fitting, hints)
    text_scores = {m: share(found(values)) for m, found in FOUND_IN_LIST.items()}
    fitting = {m: s for m, s in text_scores.items() if s >= TEXTUAL_MIN[m]}
    if fitting:
        return _pick(fitting, hints)
    # Lists are incomplete: a header that names a textual meaning decides when values are names.
    for meaning in ("first_name", "last_name", "city", "organisation_name"):
        if meaning in hints and share(VALID_MANY[meaning](values)) >= STRUCTURED_MIN:
            return meaning
    return "free_text"
