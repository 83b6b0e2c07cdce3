"""E-mail addresses: trimmed, lower-cased, syntax-checked, role addresses and domain typos flagged."""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
from rapidfuzz.distance import DamerauLevenshtein

from ._common import error, ok, per_distinct, warning

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
# Big consumer domains in NL: a near miss of one of these is almost always a typo.
BIG_DOMAINS = (
    "gmail.com", "hotmail.com", "hotmail.nl", "outlook.com", "outlook.nl", "live.nl",
    "live.com", "yahoo.com", "icloud.com", "ziggo.nl", "kpnmail.nl", "planet.nl", "xs4all.nl",
    "hetnet.nl", "home.nl", "casema.nl", "chello.nl", "upcmail.nl", "telfort.nl", "tele2.nl",
    "online.nl", "zeelandnet.nl", "quicknet.nl", "msn.com", "me.com", "protonmail.com",
)
_BIG = frozenset(BIG_DOMAINS)
_TLD_TYPOS = {"con": "com", "cmo": "com", "ocm": "com", "nll": "nl", "nk": "nl", "ln": "nl"}


@lru_cache(maxsize=65536)  # domains repeat far more than addresses
def _domain_typo(domain: str) -> str | None:
    """Return the big domain ``domain`` is a near miss of, or None."""
    if domain in _BIG:
        return None
    name, _, tld = domain.rpartition(".")
    if tld in _TLD_TYPOS:
        return f"{name}.{_TLD_TYPOS[tld]}"
    for big in BIG_DOMAINS:
        # one slip (swap, drop, extra or wrong letter) from a big domain
        if abs(len(big) - len(domain)) <= 1 and DamerauLevenshtein.distance(domain, big) == 1:
            return big
    return None


def _parse(text: str) -> tuple:
    value = text.strip().lower()
    if value.startswith("mailto:"):
        value = value[len("mailto:"):].strip()
    if " " in value or value.count("@") != 1:
        return error(f"e-mail '{text}' is not an e-mail address", None, False)
    if not _SYNTAX.fullmatch(value):
        return error(f"e-mail '{text}' is not a valid e-mail address", None, False)
    local, domain = value.split("@")
    base = re.split(r"[+]", local, maxsplit=1)[0].rstrip("0123456789")
    is_role = base in ROLE_LOCAL_PARTS
    if (suggestion := _domain_typo(domain)) is not None:
        return warning(f"e-mail '{text}' has domain {domain}: a typo for {suggestion}?",
                       value, is_role)
    return ok(value, is_role)


def email(s: pd.Series) -> pd.DataFrame:
    """Lower-case and check e-mail addresses; columns email, is_role, problem, severity."""
    out = per_distinct(s, _parse, ("email", "is_role"), missing=(None, False, None, None))
    out["is_role"] = out["is_role"].astype(bool)
    return out
