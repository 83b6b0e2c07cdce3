"""Website addresses -> lowercase host (and path) without scheme or trailing slash."""
from __future__ import annotations

import re

import pandas as pd

from ._common import error, ok, per_distinct

_SCHEME = re.compile(r"^(?:https?|ftp)\s*:\s*/*", re.IGNORECASE)
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?")


def _parse(text: str) -> tuple:
    if "@" in text:
        return error(f"website '{text}' looks like an e-mail address", None)
    rest = _SCHEME.sub("", text.strip())
    host, sep, path = (re.split(r"([/?#])", rest, maxsplit=1) + ["", ""])[:3]
    path = path if sep == "/" else ""
    host = host.lower().rstrip(".")
    # query strings and fragments are tracking noise, not part of the site's identity
    path = re.split(r"[?#]", path, maxsplit=1)[0].rstrip("/")
    if " " in rest or not _HOST.fullmatch(host):
        return error(f"website '{text}' is not a web address (expected www.example.nl)", None)
    return ok(f"{host}/{path}" if path else host)


def website(s: pd.Series) -> pd.DataFrame:
    """Normalise websites (``https://www.Foo.nl/`` -> ``www.foo.nl``); columns website, problem, severity."""
    return per_distinct(s, _parse, ("website",))
