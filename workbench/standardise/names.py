"""Person names: salutation, gender, titles, initials, first name, prefix (tussenvoegsel), surname.

Decisions: prefixes are lower case (``van der``); the last word of a surname is never taken
for a prefix, so the surname ``De`` survives; a capitalised ``Mr``/``Mr.`` in front of a name is
the English salutation (gender M), a lower-case ``mr.`` or one after another salutation is the
Dutch title (meester in de rechten); missing initials are derived from the first name(s).
"""
from __future__ import annotations

import re

import pandas as pd

from workbench.messages import say

from ._common import ascii_fold, clean_text, error, ok, per_distinct, tidy_case, warning

DEFAULT_PREFIXES: tuple[str, ...] = (
    "van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "van der", "van den", "van de",
    "van het", "van 't", "van ter", "van ten", "in 't", "in het", "in de", "in den", "op de",
    "op den", "op het", "op 't", "op ten", "uit de", "uit den", "uit het", "uit 't", "aan de",
    "aan den", "aan het", "bij de", "onder de", "over de", "voor de", "voor den", "vanden",
    "vander", "la", "le", "du", "da", "di", "del", "della", "dos", "von", "von der", "vom",
    "zum", "'s", "d'", "l'",
)
NAME_COLUMNS = ("salutation", "gender", "title", "initials", "first_name", "name_prefix",
                "last_name")

_MALE = {"dhr", "de heer", "heer", "hr", "mr", "mister", "meneer", "sir", "herr", "m", "man",
         "male", "mannelijk", "jongen"}
_FEMALE = {"mevr", "mevrouw", "mw", "mrs", "ms", "miss", "mej", "mejuffrouw", "juffrouw",
           "madam", "frau", "v", "f", "w", "vrouw", "female", "vrouwelijk", "meisje"}
_FAMILY = {"fam", "familie", "dhr/mevr", "dhr/mw", "heer/mevrouw", "mr/mrs"}
_SALUTATIONS = {"dhr", "de heer", "heer", "hr", "mr", "mister", "meneer", "sir", "herr", "mevr",
                "mevrouw", "mw", "mrs", "ms", "miss", "mej", "mejuffrouw", "juffrouw", "madam",
                "frau", *_FAMILY}
_GREETINGS = {"geachte", "beste", "dear", "hallo"}
_UNKNOWN_GENDER = {"x", "o", "overig", "other", "onbekend", "unknown", "neutraal", "non-binair",
                   "nonbinary", "non-binary", "u"}
_CANONICAL_SALUTATION = {"M": "Dhr.", "F": "Mevr."}
TITLES = {"drs": "drs.", "dr": "dr.", "ir": "ir.", "ing": "ing.", "mr": "mr.", "prof": "prof.",
          "bc": "bc.", "ds": "ds.", "mgr": "mgr.", "kand": "kand.", "lic": "lic."}
POST_NOMINALS = {n.lower(): n for n in ("MSc", "MBA", "BSc", "MA", "BA", "LLM", "LLB", "PhD",
                                        "RA", "AA", "RC", "EMBA", "MPhil", "MD", "RI", "QC")}
_INITIALS_TOKEN = re.compile(r"(?:(?:IJ|[A-Z][a-z]{0,2})\.)+(?:IJ|[A-Z])?|[A-Z]{1,3}")
# Initials of more than one letter that Dutch registers use (Theodorus -> Th., IJsbrand -> IJ.)
_MULTI_LETTER = frozenset({"th", "chr", "ph", "ch", "ij", "sj", "st", "wm", "fr", "joh", "jac"})
_DIGIT = re.compile(r"\d")
_TWO_PEOPLE = re.compile(r"\s(?:en|&|\+|and)\s", re.IGNORECASE)


# Words that name a gender and are no salutation ("M", "vrouw"; not "Dhr.").
_GENDER_WORDS = frozenset((_MALE | _FEMALE | _UNKNOWN_GENDER) - _SALUTATIONS)


def is_gender_word(value: str) -> bool:
    """Whether ``value`` names a gender (M, V, man, vrouw, X) rather than a salutation."""
    return _bare(value.strip()) in _GENDER_WORDS


def is_name_prefix(value: str) -> bool:
    """Whether ``value`` is one of the default tussenvoegsels on its own (``van der``, ``de``)."""
    return " ".join(value.lower().split()) in _DEFAULT_TABLE


def surname_without_prefix(name: str) -> str:
    """Return a surname without its default tussenvoegsel (``van der Berg`` -> ``Berg``)."""
    return _split_surname(" ".join(name.split()), _DEFAULT_TABLE)[1]


def _bare(token: str) -> str:
    return token.lower().replace(".", "").strip(",")


def _prefix_table(prefixes: tuple[str, ...], blocked: tuple[str, ...]) -> frozenset[str]:
    blocked_set = {b.lower() for b in blocked}
    return frozenset(p.lower() for p in prefixes if p.lower() not in blocked_set)


_DEFAULT_TABLE = _prefix_table(DEFAULT_PREFIXES, ())
# Prefixes that are surnames of their own in other languages (Vietnamese Le, Chinese Du): taken
# off the front of a two-word surname ("Le Nguyen"), they may have been the surname's first word.
# The Dutch ones (van, de, ter ...) are left out, so "van Dijk" and "de Vries" raise nothing.
_DOUBTFUL_PREFIXES = frozenset({"le", "la", "du", "da", "di"})


def prefix_doubt(prefix: str | None, surname: str | None) -> str | None:
    """Why a prefix split or a short surname may be wrong (None when nothing is doubtful).

    The one rule of these warnings (AFAS Profit's manual: a two-letter last name is taken for a
    prefix, "Vul ten minste een achternaam in"); the prefix table has already been applied.
    """
    if not surname:
        return None
    if prefix in _DOUBTFUL_PREFIXES and len(surname.split()) == 1:
        return say("name.prefix_split", prefix=prefix, surname=surname)
    if len(surname) == 2 or surname.lower() in _DEFAULT_TABLE:
        return say("name.short_surname", surname=surname)
    return None


def _with_doubt(prefix: str | None, surname: str | None) -> tuple:
    """The parsed values, with a warning when the prefix rule finds them doubtful."""
    doubt = prefix_doubt(prefix, surname)
    return warning(doubt, prefix, surname) if doubt else ok(prefix, surname)


def _prefix_at(tokens: list[str], start: int, prefixes: frozenset[str]) -> int:
    """Length of the longest prefix starting at ``start`` that leaves a surname after it."""
    for size in (3, 2, 1):
        end = start + size
        if end < len(tokens) and " ".join(tokens[start:end]).lower() in prefixes:
            return size
    return 0


def _prefix_before_end(tokens: list[str], prefixes: frozenset[str]) -> int:
    """Length of the longest prefix that ends ``tokens`` and leaves a word in front of it."""
    for size in (3, 2, 1):
        if size < len(tokens) and " ".join(tokens[-size:]).lower() in prefixes:
            return size
    return 0


def _tidy_name(text: str, prefixes: frozenset[str]) -> str:
    return tidy_case(text, prefixes | {"en"})


def _split_surname(text: str, prefixes: frozenset[str]) -> tuple[str | None, str]:
    """Split ``van der Berg`` / ``Berg, van der`` / ``Berg van der`` into prefix and surname."""
    if "," in text:
        surname, _, tail = (part.strip() for part in text.partition(","))
        if tail.lower() in prefixes and surname:
            return tail.lower(), surname
    tokens = text.split()
    size = _prefix_at(tokens, 0, prefixes)
    if size:
        return " ".join(tokens[:size]).lower(), " ".join(tokens[size:])
    size = _prefix_before_end(tokens, prefixes)
    # "Berg van der": sorted the way phone books do it; one trailing word ("Jan De") is a surname
    if size > 1:
        return " ".join(tokens[-size:]).lower(), " ".join(tokens[:-size])
    return None, text


def split_prefix(
    last_name: pd.Series,
    prefix: pd.Series | None = None,
    prefixes: tuple[str, ...] = DEFAULT_PREFIXES,
    blocked: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Pull the tussenvoegsel off surnames; columns name_prefix, last_name, problem, severity."""
    table = _prefix_table(prefixes, blocked)
    if prefix is None:
        prefix = pd.Series(None, index=last_name.index, dtype=object)
    # one key per (prefix, surname) pair so the per-distinct cache still works
    combined = pd.Series(list(zip(_none(prefix), _none(last_name), strict=True)),
                         index=last_name.index, dtype=object)

    def parse(pair: tuple) -> tuple:
        given, surname = pair
        given_clean, surname_clean = clean_text(given), clean_text(surname)
        if surname_clean is None:
            if given_clean is None:
                return ok(None, None)
            return warning(say("name.prefix_alone", value=given_clean),
                           given_clean.lower(), None)
        if _DIGIT.search(surname_clean):
            return error(say("name.last_name_digits", value=surname_clean), None, None)
        if given_clean is not None:
            chosen = given_clean.lower()
            # the prefix column wins; drop it from the surname when it was typed twice
            if surname_clean.lower().startswith(chosen + " "):
                surname_clean = surname_clean[len(chosen) + 1:]
            return _with_doubt(chosen, _tidy_name(surname_clean, table))
        found, rest = _split_surname(surname_clean, table)
        return _with_doubt(found, _tidy_name(rest, table))

    return per_distinct(combined, parse, ("name_prefix", "last_name"), raw=True)


def _none(s: pd.Series) -> list:
    return [None if v is None or (isinstance(v, float) and v != v) else v for v in s]


def _key(text: str) -> str:
    # letters only: a surname has no digits, and "¼" must not fold to a key "14"
    return " ".join(re.sub(r"[^a-z]+", " ", ascii_fold(text).replace("'", "")).split())


def last_name_key(s: pd.Series, prefixes: tuple[str, ...] = DEFAULT_PREFIXES) -> pd.Series:
    """Return a lower-case ascii surname without its prefix, for blocking (``van Dijk`` -> ``dijk``)."""
    table = _prefix_table(prefixes, ())
    split = split_prefix(s, prefixes=prefixes)["last_name"]

    def key(text: str) -> tuple:
        out = _key(text)
        # "VAN:A" keys to "van a": the punctuation hid a prefix; peel until none is left
        for _ in range(3):
            found, rest = _split_surname(out, table)
            if found is None:
                break
            out = _key(rest)
        return ok(out or None)

    return per_distinct(split, key, ("key",))["key"]


def _parse_initials(text: str) -> tuple:
    if _DIGIT.search(text):
        return error(say("initials.digits", value=text), None)
    if not any(c.isalpha() for c in text):
        return error(say("initials.no_letters", value=text), None)
    # anything but a letter separates initials ("J.-P.", "J/P"), so no ":" survives as one
    parts = "".join(c if c.isalpha() else " " for c in text).split()
    if len(parts) == 1 and len(parts[0]) <= 4 and "." not in text:
        parts = list(parts[0])  # "JP" / "jp" -> J, P
    out = []
    looked_like_names = False
    for part in parts:
        if len(part) > 1 and not part.isupper() and part.lower() not in _MULTI_LETTER:
            looked_like_names = True
            part = "IJ" if part.lower().startswith("ij") else part[0]
        if part.lower() == "ij" or len(part) == 1 or (part.isupper() and len(part) > 1):
            out.extend(["IJ"] if part.lower() == "ij" else list(part.upper()))
        else:
            out.append(part[0].upper() + part[1:].lower())  # Th., Chr., Ph.
    result = "".join(f"{p}." for p in out)
    if looked_like_names:
        return warning(say("initials.first_names", value=text, result=result), result)
    return ok(result)


def initials(s: pd.Series) -> pd.DataFrame:
    """Normalise initials (``JP``, ``J. P.``, ``j.p`` -> ``J.P.``); columns initials, problem, severity."""
    return per_distinct(s, _parse_initials, ("initials",))


def initials_from_first_name(first_name: str) -> str:
    """Return ``J.P.`` for ``Jan-Peter`` or ``Jan Peter``: one initial per given name."""
    out = []
    for name in re.split(r"[\s\-]+", first_name.strip("()")):
        if name:
            out.append("IJ" if name.lower().startswith("ij") else name[0].upper())
    return "".join(f"{p}." for p in out)


def _salutation_at(tokens: list[str], start: int, seen: bool) -> tuple[str | None, int]:
    """Gender code ("M", "F", "" for family) and length of a salutation at ``start``."""
    for size in (2, 1):
        words = tokens[start:start + size]
        if len(words) < size:
            continue
        bare = " ".join(_bare(w) for w in words)
        if bare == "mr" and (seen or words[0].startswith("mr")):
            return None, 0  # lower-case "mr." or after "Dhr.": the Dutch law title
        if bare in _SALUTATIONS:
            return ("M" if bare in _MALE else "F" if bare in _FEMALE else ""), size
    return None, 0


def _leading(tokens: list[str], keep: int) -> tuple[str | None, str | None, list[str], int]:
    """Strip greetings, salutations and titles in front; keep at least ``keep`` tokens."""
    gender: str | None = None
    salutation: str | None = None
    titles: list[str] = []
    i = 0
    while i < len(tokens) - keep:
        bare = _bare(tokens[i])
        if bare in _GREETINGS:
            i += 1
            continue
        code, size = _salutation_at(tokens, i, salutation is not None)
        if size and i + size <= len(tokens) - keep:
            if salutation is None:
                gender = code or None
                salutation = _CANONICAL_SALUTATION.get(code, "Fam.")
            i += size
            continue
        if bare in TITLES:
            titles.append(TITLES[bare])
            i += 1
            continue
        break
    return salutation, gender, titles, i


def _parse_salutation(text: str) -> tuple:
    tokens = text.replace("/", "/ ").split() if "/" in text and _bare(text) not in _FAMILY \
        else text.split()
    salutation, gender, titles, used = _leading(tokens, 0)
    title = " ".join(titles) or None
    if used < len(tokens) or (salutation is None and title is None):
        if _bare(text) in _MALE:
            return ok("Dhr.", "M", title)
        if _bare(text) in _FEMALE:
            return ok("Mevr.", "F", title)
        return warning(say("salutation.unclear", value=text),
                       salutation, gender, title)
    return ok(salutation, gender, title)


def salutation(s: pd.Series) -> pd.DataFrame:
    """Read a salutation column; columns salutation (Dhr./Mevr./Fam.), gender, title, problem."""
    return per_distinct(s, _parse_salutation, ("salutation", "gender", "title"))


def gender_from_salutation(s: pd.Series) -> pd.Series:
    """Return ``M``/``F``/None per salutation (Dhr., De heer, Mevr., Mw., Mrs, ...)."""
    return salutation(s)["gender"]


def _parse_gender(text: str) -> tuple:
    bare = _bare(text)
    if bare in _MALE:
        return ok("M")
    if bare in _FEMALE:
        return ok("F")
    if bare in _UNKNOWN_GENDER:
        return warning(say("gender.neither", value=text), None)
    return error(say("gender.unknown", value=text), None)


def gender(s: pd.Series) -> pd.DataFrame:
    """Read a gender column (M/F/man/vrouw/male/female/Dhr./Mevr.); columns gender, problem."""
    return per_distinct(s, _parse_gender, ("gender",))


def _is_initials(token: str) -> bool:
    return bool(_INITIALS_TOKEN.fullmatch(token))


def _given(tokens: list[str]) -> tuple[str | None, str | None]:
    """Split given-name tokens into initials and first name(s)."""
    i = 0
    found: list[str] = []
    while i < len(tokens) and _is_initials(tokens[i]):
        found.append(tokens[i])
        i += 1
    first = " ".join(t.strip("()") for t in tokens[i:]) or None
    inits = _parse_initials("".join(found))[0] if found else None
    if inits is None and first is not None:
        inits = initials_from_first_name(first)
    return inits, first


def _split_name(text: str, prefixes: frozenset[str]) -> tuple:
    """Return (title_extra, initials, first_name, name_prefix, last_name) or raise ValueError."""
    post: list[str] = []
    tokens = text.replace(",", " , ").split()
    # post-nominals typed in their own casing (MSc, MBA): "Ma" is a surname, "MA" a degree
    while len(tokens) > 2 and tokens[-1].replace(".", "").lower() in POST_NOMINALS and \
            tokens[-1].replace(".", "") in (POST_NOMINALS[tokens[-1].replace(".", "").lower()],
                                            tokens[-1].replace(".", "").upper()):
        post.insert(0, POST_NOMINALS[tokens.pop().replace(".", "").lower()])
        while tokens and tokens[-1] == ",":
            tokens.pop()
    if "," in tokens:
        cut = tokens.index(",")
        left, right = tokens[:cut], [t for t in tokens[cut + 1:] if t != ","]
        _, _, titles, used = _leading(right, 0)
        post = titles + post
        right = right[used:]
        # "Vries, de": everything after the comma may be the prefix alone
        whole = bool(right) and " ".join(right).lower() in prefixes
        size = len(right) if whole else _prefix_before_end(right, prefixes) if right else 0
        prefix = " ".join(right[-size:]).lower() if size else None
        given = right[:-size] if size else right
        if prefix is None:
            prefix, surname = _split_surname(" ".join(left), prefixes)
        else:
            surname = " ".join(left)
        if not surname:
            raise ValueError("no last name")
        return post, *_given(given), prefix, surname
    if not tokens:
        raise ValueError("no last name")
    start = 0
    while start < len(tokens) - 1 and _is_initials(tokens[start]):
        start += 1
    for idx in range(start, len(tokens) - 1):
        size = _prefix_at(tokens, idx, prefixes)
        if size:
            return (post, *_given(tokens[:idx]), " ".join(tokens[idx:idx + size]).lower(),
                    " ".join(tokens[idx + size:]))
        head, _, tail = tokens[idx].rpartition("-")
        if head and tail.lower() in prefixes:  # "Jansen-van der Berg": a double surname
            return (post, *_given(tokens[:idx]), None, " ".join(tokens[idx:]))
    return (post, *_given(tokens[:-1]), None, tokens[-1])


def split_person_name(
    s: pd.Series,
    prefixes: tuple[str, ...] = DEFAULT_PREFIXES,
    blocked: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Split one full-name column into salutation, gender, title, initials, names (+ problem)."""
    table = _prefix_table(prefixes, blocked)

    def parse(text: str) -> tuple:
        if _DIGIT.search(text):
            return error(say("name.digits", value=text), *([None] * len(NAME_COLUMNS)))
        tidy = _tidy_name(text, table)
        tokens = tidy.split()
        if len(tokens) == 1 and (_bare(tidy) in _SALUTATIONS or _bare(tidy) in TITLES):
            return error(say("name.no_last_name", value=text), *([None] * len(NAME_COLUMNS)))
        sal, gen, titles, used = _leading(tokens, 1)
        try:
            post, inits, first, prefix, last = _split_name(" ".join(tokens[used:]), table)
        except ValueError:
            return error(say("name.no_last_name", value=text), *([None] * len(NAME_COLUMNS)))
        title = " ".join(titles + post) or None
        values = (sal, gen, title, inits, first, prefix, last)
        if _TWO_PEOPLE.search(f" {text} "):
            return warning(say("name.two_people", value=text), *values)
        doubt = prefix_doubt(prefix, last)
        return warning(doubt, *values) if doubt else ok(*values)

    return per_distinct(s, parse, NAME_COLUMNS)
