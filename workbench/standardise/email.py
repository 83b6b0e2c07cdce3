"""E-mail addresses: trimmed, lower-cased, syntax-checked, role addresses and domain typos flagged."""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from workbench.messages import say

from ._common import PROBLEM_COLUMNS, distinct_texts, error, ok, parse_table, warning

_SYNTAX = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\-]+)*"
                     r"@(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,63}")
# Shared mailboxes: fine to store, but no good for matching a person.
ROLE_LOCAL_PARTS = frozenset({
    "info", "sales", "contact", "administratie", "admin", "administration", "office", "kantoor",
    "receptie", "reception", "support", "service", "klantenservice", "helpdesk", "mail", "post",
    "secretariaat", "hr", "personeelszaken", "finance", "financien", "facturen", "factuur",
    "invoice", "invoices", "billing", "boekhouding", "crediteuren", "debiteuren", "inkoop",
    "verkoop", "marketing", "communicatie", "noreply", "no-reply", "webmaster", "postmaster",
    "hallo", "hello", "welkom", "team", "algemeen", "bestellingen", "orders", "order",
    "planning", "logistiek", "jobs", "vacatures", "recruitment", "privacy", "pers", "press",
    "events", "ict", "directie", "management", "bureau", "praktijk", "balie",
})
# Mail providers shared by many unrelated people, big in NL. Their domain says nothing about an
# organisation (match keys skip it), and a near miss of one is almost always a typo. The order
# matters: the first domain one slip away is the one suggested.
GENERIC_MAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com", "hotmail.com", "hotmail.nl", "outlook.com", "outlook.nl", "live.nl",
    "live.com", "yahoo.com", "icloud.com", "ziggo.nl", "kpnmail.nl", "planet.nl", "xs4all.nl",
    "hetnet.nl", "home.nl", "casema.nl", "chello.nl", "upcmail.nl", "telfort.nl", "tele2.nl",
    "online.nl", "zeelandnet.nl", "quicknet.nl", "msn.com", "me.com", "protonmail.com",
    "googlemail.com", "yahoo.nl", "kpnplanet.nl", "zonnet.nl", "solcon.nl", "caiway.nl",
    "proton.me",
)
_BIG = frozenset(GENERIC_MAIL_DOMAINS)
_BIG_LENGTHS = (min(map(len, _BIG)), max(map(len, _BIG)))
_TLD_TYPOS = {"con": "com", "cmo": "com", "ocm": "com", "nll": "nl", "nk": "nl", "ln": "nl"}


@lru_cache(maxsize=65536)  # domains repeat far more than addresses
def _domain_typo(domain: str) -> str | None:
    """Return the big domain ``domain`` is a near miss of, or None."""
    if domain in _BIG:
        return None
    name, _, tld = domain.rpartition(".")
    if tld in _TLD_TYPOS:
        return f"{name}.{_TLD_TYPOS[tld]}"
    for big in GENERIC_MAIL_DOMAINS:
        # one slip (swap, drop, extra or wrong letter) from a big domain
        if abs(len(big) - len(domain)) <= 1 and DamerauLevenshtein.distance(domain, big) == 1:
            return big
    return None


def _parse(text: str) -> tuple:
    result = _parse_syntax(text)
    if result[2] is None and (suggestion := _domain_typo(result[0].partition("@")[2])):
        return warning(say("email.typo", value=text, domain=result[0].partition("@")[2],
                           suggestion=suggestion), result[0], result[1])
    return result


def _parse_syntax(text: str) -> tuple:
    """Everything of ``_parse`` but the domain typo check (done in bulk by ``email``)."""
    value = text.strip().lower()
    if value.startswith("mailto:"):
        value = value[len("mailto:"):].strip()
    if " " in value or value.count("@") != 1:
        return error(say("email.not_an_address", value=text), None, False)
    if not _SYNTAX.fullmatch(value):
        if _SYNTAX.fullmatch(_ascii_local(value)):
            # RFC 6531: "aimée.jansen@…" is a real address; many mail systems still refuse it
            return warning(say("email.accented", value=text), value, _is_role(value))
        return error(say("email.invalid", value=text), None, False)
    return ok(value, _is_role(value))


def _fast_syntax(texts: pd.Series) -> tuple[np.ndarray, list]:
    """The addresses ``_parse_syntax`` keeps without a problem, settled in comprehensions (no
    call per address): those with one @, no space, no mailto: and the syntax; the rest go to
    ``_parse_syntax`` for their message."""
    values = [text.strip().lower() for text in texts.tolist()]
    done = np.fromiter((" " not in v and v.count("@") == 1 and not v.startswith("mailto:")
                        and _SYNTAX.fullmatch(v) is not None for v in values),
                       dtype=bool, count=len(values))
    kept = [v for v, d in zip(values, done.tolist(), strict=True) if d]
    roles = [v.partition("@")[0].partition("+")[0].rstrip("0123456789") in ROLE_LOCAL_PARTS
             for v in kept]  # as _is_role
    return done, [np.asarray(kept, dtype=object), _objects(roles)]


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _is_role(value: str) -> bool:
    """Whether an address is a shared mailbox (info@, sales@ ...)."""
    base = value.partition("@")[0].partition("+")[0].rstrip("0123456789")
    return base in ROLE_LOCAL_PARTS


def _ascii_local(value: str) -> str:
    """The address with the letters of its local part folded to ASCII (é -> e), the domain as is."""
    local, _, domain = value.partition("@")
    if local.isascii():
        return value
    folded = "".join("a" if ch.isalpha() and not ch.isascii() else ch for ch in local)
    return f"{folded}@{domain}"


def _typos(domains: pd.Series) -> np.ndarray:
    """Vectorised ``_domain_typo``: the suggested big domain per domain, or None."""
    out = np.full(len(domains), None, dtype=object)
    if not len(domains):
        return out
    values = domains.to_numpy(dtype=object)
    # plain comprehensions: the pandas .str methods build frames and loop in Python anyway
    split = [d.rpartition(".") for d in values]
    tld_fix = [_TLD_TYPOS.get(tld) for _, _, tld in split]
    big = np.fromiter((d in _BIG for d in values), dtype=bool, count=len(values))
    fixable = np.fromiter((f is not None for f in tld_fix), dtype=bool, count=len(values)) & ~big
    out[fixable] = [f"{split[i][0]}.{tld_fix[i]}" for i in np.flatnonzero(fixable)]
    rest = np.flatnonzero(~fixable & ~big)
    # two edits change a length by two at most: longer or shorter domains need no distances
    lengths = np.fromiter(map(len, values[rest]), dtype=np.int64, count=len(rest))
    rest = rest[(lengths >= _BIG_LENGTHS[0] - 2) & (lengths <= _BIG_LENGTHS[1] + 2)]
    if len(rest):
        # All distances in one C call. Levenshtein is bit-parallel (fast) and at most twice the
        # Damerau-Levenshtein distance (a swap is two edits), so it screens the candidates.
        candidates = list(values[rest])
        lev = process.cdist(candidates, GENERIC_MAIL_DOMAINS, scorer=Levenshtein.distance,
                            dtype=np.int32, workers=1, score_cutoff=2)
        close = np.flatnonzero((lev <= 2).any(axis=1))
        rest = rest[close]
        dist = process.cdist([candidates[i] for i in close], GENERIC_MAIL_DOMAINS,
                             scorer=DamerauLevenshtein.distance, dtype=np.int32, workers=1)
        one = dist == 1
        hit = one.any(axis=1)
        out[rest[hit]] = np.asarray(GENERIC_MAIL_DOMAINS, dtype=object)[one[hit].argmax(axis=1)]
    return out


def email(s: pd.Series) -> pd.DataFrame:
    """Lower-case and check e-mail addresses; columns email, is_role, problem, severity."""
    # Work on the distinct values (addresses repeat), then map back to the rows.
    codes, texts = distinct_texts(s)
    missing = (None, False, None, None)
    table = parse_table(texts, _parse_syntax, ("email", "is_role"), missing, fast=_fast_syntax)
    # Domain typos in bulk: one C call over the distinct domains of the valid addresses.
    good = np.flatnonzero(pd.isna(table[:-1, 3]) & pd.notna(table[:-1, 0]))
    if len(good):
        domain = np.asarray([e.partition("@")[2] for e in table[good, 0]], dtype=object)
        domain_codes, uniques = pd.factorize(domain)
        suggestion = _typos(pd.Series(uniques, dtype=object))[domain_codes]
        typo = pd.notna(suggestion)
        rows = good[typo]
        table[rows, 2] = [say("email.typo", value=texts[i], domain=d, suggestion=g) for i, d, g
                          in zip(rows.tolist(), domain[typo], suggestion[typo], strict=True)]
        table[rows, 3] = "warning"
    out = table[codes] if len(codes) else table[:0]
    result = pd.DataFrame(out, index=s.index, columns=["email", "is_role", *PROBLEM_COLUMNS],
                          dtype=object)
    result["is_role"] = result["is_role"].astype(bool)
    return result
