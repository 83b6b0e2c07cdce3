"""Organisation names: tidy display name, legal form (B.V., N.V., ...) and a comparison key.

``Holding`` counts as a legal form only when no real one is present, and it stays in the key:
a holding and its operating company are different organisations.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from workbench.messages import say

from ._common import ascii_fold, error, ok, per_distinct, warning

_D = r"\.?\s?"  # an optional dot and space between the letters of an abbreviation
# (canonical form, pattern on the ascii-folded lower-case name, allowed in front too)
LEGAL_FORMS: tuple[tuple[str, str, bool], ...] = (
    ("B.V. i.o.", rf"b{_D}v{_D}\s*i{_D}o\.?", False),
    ("B.V.", rf"b{_D}v\.?|besloten vennootschap(?: met beperkte aansprakelijkheid)?", True),
    ("N.V.", rf"n{_D}v\.?|naamloze vennootschap", True),
    ("V.O.F.", rf"v{_D}o{_D}f\.?|vennootschap onder firma", True),
    ("C.V.", r"c\.\s?v\.|commanditaire vennootschap", True),
    ("C.V.", r"cv", False),  # bare "CV" in front is usually central heating ("CV Service")
    ("Stichting", r"stichting|stg\.?", True),
    ("Vereniging", r"vereniging|ver\.", True),
    ("Coöperatie", rf"cooperatie(?:ve vereniging)?(?:\s+u{_D}a\.?|\s+w{_D}a\.?|\s+b{_D}a\.?)?"
                   rf"|u{_D}a\.?", True),
    ("Maatschap", r"maatschap", True),
    ("Eenmanszaak", r"eenmanszaak|emz", True),
    ("GmbH", r"gmbh", False),
    ("Ltd", r"ltd\.?|limited", False),
    ("Inc.", r"inc\.?", False),
    ("BVBA", rf"b{_D}v{_D}b{_D}a\.?", False),
    ("Holding", r"holding", True),
)
_BACK = [(form, re.compile(rf"(?:^|[\s,\-(])(?:{pattern})\)?\s*$")) for form, pattern, _ in
         LEGAL_FORMS]
_FRONT = [(form, re.compile(rf"^(?:{pattern})(?=[\s,\-])")) for form, pattern, front in
          LEGAL_FORMS if front]
_ONLY = [(form, re.compile(rf"(?:{pattern})\s*")) for form, pattern, _ in LEGAL_FORMS]
# One alternation per list: most names have no legal form (or one), so a single search tells
# whether the ordered per-form loop below needs to run at all.
# (the separator in front is shared, so the engine tries the 16 forms only after a separator)
_ANY_BACK = re.compile(r"(?:^|[\s,\-(])(?:" + "|".join(f"(?:{p})" for _, p, _ in LEGAL_FORMS)
                       + r")\)?\s*$")
_ANY_FRONT = re.compile("|".join(f"(?:{p.pattern})" for _, p in _FRONT))
_ANY_ONLY = re.compile("|".join(f"(?:{p.pattern})" for _, p in _ONLY))
_TAIL = 64
_ODD = re.compile(r"[^a-z0-9\s.,&(\-]")
_FIRMA = re.compile(r"^(?:fa\.|firma)\s+")
_AND = re.compile(r"(?:^|\s)(?:&|\+|en|and)(?=\s|$)")
_ABBREVIATIONS = [(re.compile(r"\bzn\b\.?"), "zonen"), (re.compile(r"\bgebr\b\.?"), "gebroeders")]
_NON_KEY = re.compile(r"[^a-z0-9]+")


def _strip_forms(folded: str) -> tuple[str, list[str]]:
    """Remove legal forms from the back and the front; return the rest and the forms found."""
    found: list[str] = []
    rest = folded
    changed = True
    while changed and rest:
        changed = False
        # a back form ends the name, so only its tail needs searching (longest form: 54 chars)
        any_back = _ANY_BACK.search(rest, max(0, len(rest) - _TAIL))
        if any_back:
            # no form matches left of where the first of any form does, so which form ends the
            # name follows from the name from there on: " b.v." is looked up once, not per name
            at = max(any_back.start() - 1, 0)
            back = _back_form(rest[at:], any_back.start() - at)
            if back is not None:
                found.append(back[0])
                rest = rest[:at + back[1]].rstrip(" ,-")
                changed = True
        for form, pattern in _FRONT if _ANY_FRONT.match(rest) else ():
            match = pattern.match(rest)
            if match and match.end() < len(rest):
                found.append(form)
                rest = rest[match.end():].lstrip(" ,-")
                changed = True
                break
    return rest, found


@lru_cache(maxsize=8192)
def _back_form(text: str, pos: int) -> tuple[str, int] | None:
    """The first legal form (in the order of ``LEGAL_FORMS``) that ends ``text`` after ``pos``
    without being all of it, and where its match starts; None when there is none."""
    for form, pattern in _BACK:
        match = pattern.search(text, pos)
        if match and match.start() > 0:
            return form, match.start()
    return None


def _key_text(rest: str) -> str | None:
    """The comparison key of a name whose legal forms are gone."""
    key = _FIRMA.sub("", rest) if rest.startswith(("fa.", "firma")) else rest
    if "zn" in key or "gebr" in key:  # the substitutions cost more than these two tests
        for pattern, replacement in _ABBREVIATIONS:
            key = pattern.sub(replacement, key)
    # punctuation first, so ":en" and "-en-" lose their "en" as " en " does
    key = _NON_KEY.sub(" ", key.replace("'", "").replace(".", ""))  # "&" and "+" go here too
    return " ".join(_AND.sub(" ", key).split()) or None


def _parse(text: str) -> tuple:
    # other punctuation separates words before the legal forms are looked for, as it does in
    # the key: "0{UA" and "0 UA" must give the same key (idempotence)
    folded = _ODD.sub(" ", ascii_fold(text).replace("'", "").replace("&", " & "))
    folded = " ".join(folded.split())
    for form, pattern in _ONLY if _ANY_ONLY.fullmatch(folded) else ():
        if pattern.fullmatch(folded):
            return error(say("org.only_legal_form", value=text), text, form, None)
    rest, found = _strip_forms(folded)
    real = [f for f in found if f != "Holding"]
    legal_form = real[0] if real else (found[0] if found else None)
    # a holding is another organisation than its daughter
    key = _key_text(f"{rest} holding" if "Holding" in found else rest)
    # a key the stripping stopped on holds no legal form to strip again
    for _ in range(0 if key == rest and "Holding" not in found else 3):
        # "0:U-A" keys to "0 u a", where "u a" reads as U.A.: strip until the key is stable,
        # so that the key of a key is itself (idempotence)
        again, more = _strip_forms(key or "")
        if not [f for f in more if f != "Holding"] or not again:
            break
        key = _key_text(f"{again} holding" if "Holding" in more else again)
    if key is None or _ANY_ONLY.fullmatch(key):  # ":BV" leaves the key "bv": a form, no name
        return error(say("org.only_legal_form", value=text), text, legal_form, None)
    if len(set(real)) > 1:
        return warning(say("org.two_legal_forms", value=text,
                           forms=say("and").join(dict.fromkeys(real))), text, legal_form, key)
    return ok(text, legal_form, key)


def is_legal_form(value: str) -> bool:
    """Whether ``value`` is a legal form on its own (``B.V.``, ``Stichting``, ``VOF``)."""
    folded = " ".join(_ODD.sub(" ", ascii_fold(value).replace("'", "")).split())
    return _ANY_ONLY.fullmatch(folded) is not None


def has_legal_form(value: str) -> bool:
    """Whether an organisation name carries a legal form at its end or front (``Jansen B.V.``)."""
    folded = " ".join(_ODD.sub(" ", ascii_fold(value).replace("'", "").replace("&", " & ")).split())
    return bool(_ANY_BACK.search(folded, max(0, len(folded) - _TAIL)) or _ANY_FRONT.match(folded))


def org_name(s: pd.Series) -> pd.DataFrame:
    """Split organisation names; columns name, legal_form, name_key, problem, severity."""
    return per_distinct(s, _parse, ("name", "legal_form", "name_key"))
