"""The profile of a table: per column fill rate, patterns, meaning and invalid values; warnings.

BSN and birth-date values are masked wherever values are shown.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from workbench.labels import label, meaning_label, number
from workbench.privacy import looks_like_bsn, mask_value, sensitive_content
from workbench.standardise import dates as std_dates

from .checks import meaning_text, verdicts
from .meanings import DETECT_SAMPLE, detect_meaning
from .stats import TOP, duplicates, factorize, length_histogram, pattern_counts

PATTERN_TOP = 10  # patterns kept per column (the report charts them)
LOW_FILL = 0.5  # a column filled in fewer rows than this is worth a warning
# Meanings that identify one organisation or person: a value in two rows is worth a look.
_IDENTIFIERS = frozenset({"kvk_number", "vestigingsnummer", "bsn", "iban", "email"})
_SENSITIVE_HEADER = re.compile(r"geboorte|birth|\bdob\b|bsn|burgerservice|sofi", re.I)


def _is_sensitive(name: str, meaning: str, sample: list[str], weights: np.ndarray) -> bool:
    """BSNs and birth dates, known by the header or by the values (a "Geb. datum" column)."""
    return (meaning == "bsn" or _SENSITIVE_HEADER.search(str(name)) is not None
            or (meaning == "date" and sensitive_content(sample, weights) is not None))


def _column_profile(name: str, values: list[str], counts: np.ndarray,
                    rows: int, lang: str | None = None,
                    countries: list[str | None] | None = None) -> dict[str, Any]:
    """The profile of one column from its distinct values and their row counts."""
    filled = int(counts.sum())
    # Most frequent first, ties in order of appearance: one sort serves every "top" list.
    order = np.argsort(-counts, kind="stable")
    sample = order[:DETECT_SAMPLE].tolist()
    meaning = detect_meaning(name, {values[i]: int(counts[i]) for i in sample})
    # one verdict per distinct value, shared by the column section and the warnings: invalid
    # (the standardiser refuses it, as the run does) or kept with a warning, each with its reason
    severity = np.full(len(values), None, dtype=object)
    reasons: list[str | None] = [None] * len(values)
    if meaning not in ("empty", "free_text"):
        severity, reasons = verdicts(meaning, values, lang, countries)
    invalid_mask, doubtful_mask = severity == "error", severity == "warning"
    invalid_count = int(counts[invalid_mask].sum())
    mask = _is_sensitive(name, meaning, [values[i] for i in sample], counts[sample])

    def shown(value: str) -> str:
        # a BSN typed into another column (a phone column) is masked there too
        return str(mask_value(value)) if mask or looks_like_bsn(value) else value

    def why(i: int) -> str:
        # a standardiser's reason may quote the value reformatted: masked columns get none
        if mask or looks_like_bsn(values[i]):
            return label("why.not_valid", lang, value=shown(values[i]),
                         meaning=meaning_text(meaning, lang))
        return str(reasons[i])

    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    worst = order[invalid_mask[order]][:TOP] if invalid_count else order[:0]
    doubtful = order[doubtful_mask[order]][:TOP]
    return {
        "name": str(name),
        "fill_rate": round(filled / rows, 4) if rows else 0.0,
        "filled": filled,
        "distinct": len(values),
        "top_values": [[shown(values[i]), int(counts[i])] for i in order[:TOP].tolist()],
        "patterns": pattern_counts(values, counts, PATTERN_TOP),
        "min_length": int(lengths.min()) if len(values) else None,
        "max_length": int(lengths.max()) if len(values) else None,
        "length_histogram": length_histogram(lengths, counts),
        "meaning": meaning,
        # how a date column writes its dates (decided from all its values, as the run reads it)
        "date_format": std_dates.infer_date_format(values) if meaning == "date" else None,
        "confidence": round(1 - invalid_count / filled, 4) if filled else 1.0,
        "invalid_count": invalid_count,
        "invalid_examples": [shown(values[i]) for i in worst.tolist()],
        "invalid_reasons": [why(i) for i in worst.tolist()],
        "doubtful_count": int(counts[doubtful_mask].sum()),
        "doubtful_examples": [shown(values[i]) for i in doubtful.tolist()],
        "doubtful_reasons": [why(i) for i in doubtful.tolist()],
        # Distinct values found in more than one row: for identifiers, a sign of duplicates.
        "repeated_values": int((counts > 1).sum()),
        "masked": mask,
    }


def profile_column(name: str, series: pd.Series, rows: int,
                   lang: str | None = None) -> dict[str, Any]:
    """Return the profile of one column (``rows`` = the non-blank rows of the table)."""
    codes, values = factorize(series, clean=False)
    counts = np.bincount(codes[codes >= 0], minlength=len(values))
    return _column_profile(name, values, counts, rows, lang)


def _blank_rows(factorized: dict[str, tuple[np.ndarray, list[str]]], rows: int) -> np.ndarray:
    filled_any = np.zeros(rows, dtype=bool)
    for codes, _ in factorized.values():
        filled_any |= codes >= 0
    return ~filled_any


def profile_frame(df: pd.DataFrame, *, file: str | None = None,
                  progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
                  lang: str | None = None) -> dict[str, Any]:
    """Profile a frame from :func:`workbench.read.read_table`: columns, meanings, duplicates
    (reasons and warnings in ``lang``)."""
    columns = [c for c in df.columns if c != "source_row"]
    info = df.attrs.get("read_info") or {}
    if file is None:
        file = info.get("file")
    clean = bool(info)  # read_table gives stripped text or None: no second cleaning needed
    factorized = {c: factorize(df[c], clean) for c in columns}
    blank = _blank_rows(factorized, len(df))
    keep = ~blank
    if "source_row" in df.columns:
        source_rows = df["source_row"].to_numpy()[keep]
    else:
        source_rows = np.arange(1, len(df) + 1)[keep]
    rows = int(keep.sum())
    profiles = []
    kept_codes: list[np.ndarray] = []
    kept_values: list[list[str]] = []
    # a row's country decides how its address is read, in the profile as in the run
    row_country = _row_countries(df, columns, keep)
    steps: Iterable[Any] = columns if progress is None else progress(columns)
    for name in steps:
        codes, values = factorized.pop(name)
        codes = codes[keep] if not keep.all() else codes
        counts = np.bincount(codes[codes >= 0], minlength=len(values))
        profiles.append(_column_profile(name, values, counts, rows, lang,
                                        _value_countries(codes, len(values), row_country)))
        kept_codes.append(codes)
        kept_values.append(values)
    profile = {
        "file": file,
        "rows": int(len(df)),
        "blank_rows": int(blank.sum()),
        "read": {k: info[k] for k in ("format", "encoding", "delimiter", "sheet", "export")
                 if info.get(k) is not None},
        "columns": profiles,
        "duplicates": duplicates(kept_codes, kept_values, rows, source_rows),
    }
    profile["warnings"] = [*info.get("warnings", []), *profile_warnings(profile, lang)]
    return profile


def _row_countries(df: pd.DataFrame, columns: list[str], keep: np.ndarray) -> np.ndarray | None:
    """The country (ISO2) of each kept row, from the column headed as a country; None if none."""
    from workbench.fields import TARGET_BY_NAME
    from workbench.standardise import country

    names = TARGET_BY_NAME["org_country"].synonyms
    column = next((c for c in columns if str(c).strip().lower() in names), None)
    if column is None:
        return None
    return country(df[column])["country"].to_numpy(dtype=object)[keep]


def _value_countries(codes: np.ndarray, n: int, row_country: np.ndarray | None
                     ) -> list[str | None] | None:
    """Per distinct value (of ``n``), the country of the first row that holds it."""
    if row_country is None:
        return None
    first = pd.Series(row_country, dtype=object).groupby(codes).first()  # skips missing
    return [v if isinstance(v, str) else None for v in first.reindex(range(n)).tolist()]


def _column_warnings(col: dict[str, Any], lang: str | None = None) -> list[str]:
    name, meaning = col["name"], meaning_label(col["meaning"], lang)
    if col["meaning"] == "empty":
        return [label("profile.column_empty", lang, name=name)]
    out = []
    if col["invalid_count"]:
        out.append(label("profile.invalid_values", lang, name=name, meaning=meaning,
                         count=number(col["invalid_count"], lang),
                         examples=_examples(col, "invalid")))
    if col.get("doubtful_count"):
        out.append(label("profile.doubtful_values", lang, name=name, meaning=meaning,
                         count=number(col["doubtful_count"], lang),
                         examples=_examples(col, "doubtful")))
    if col.get("repeated_values") and col["meaning"] in _IDENTIFIERS:
        top = col["top_values"][0]
        out.append(label("profile.repeated_values", lang, name=name, meaning=meaning,
                         count=number(col["repeated_values"], lang), value=top[0],
                         rows=number(top[1], lang)))
    if col["fill_rate"] < LOW_FILL:
        out.append(label("profile.low_fill", lang, name=name, rate=f"{col['fill_rate']:.0%}"))
    return out


def _examples(col: dict[str, Any], kind: str) -> str:
    """The first examples of ``kind`` (invalid / doubtful) with their reasons."""
    reasons = col.get(f"{kind}_reasons") or [None] * len(col[f"{kind}_examples"])
    # a reason quotes its value: "postcode '1234 A' is not a Dutch postcode ..."
    return "; ".join(r or f"'{v}'"
                     for v, r in zip(col[f"{kind}_examples"][:3], reasons[:3], strict=False))


def profile_warnings(profile: dict[str, Any], lang: str | None = None) -> list[str]:
    """Return what an analyst should look at first: invalid values, empty columns, duplicates."""
    out: list[str] = []
    if profile["blank_rows"]:
        out.append(label("profile.blank_rows", lang, count=number(profile["blank_rows"], lang)))
    for col in profile["columns"]:
        out += _column_warnings(col, lang)
    dup = profile["duplicates"]
    if dup["exact"] or dup["normalised"]:
        out.append(label("profile.duplicate_rows", lang, exact=number(dup["exact"], lang),
                         normalised=number(dup["normalised"], lang)))
    return out


def profile_table(profile: dict[str, Any], lang: str | None = None) -> pd.DataFrame:
    """Return one row per column of a profile, for display in a notebook (with ``lang``, the
    meanings and headers in the analyst's words: ``KvK-nummer`` for ``kvk_number``)."""
    records = []
    for col in profile["columns"]:
        records.append({
            "column": col["name"],
            "meaning": meaning_label(col["meaning"], lang) if lang else col["meaning"],
            "confidence": col["confidence"],
            "fill_rate": col["fill_rate"],
            "filled": col["filled"],
            "distinct": col["distinct"],
            "invalid": col["invalid_count"],
            "top_value": col["top_values"][0][0] if col["top_values"] else None,
            "top_pattern": col["patterns"][0][0] if col["patterns"] else None,
            "min_length": col["min_length"],
            "max_length": col["max_length"],
            "invalid_examples": ", ".join(col["invalid_examples"]),
            "why_invalid": "; ".join(col.get("invalid_reasons") or []),
            "kept_with_warning": col.get("doubtful_count", 0),
        })
    table = pd.DataFrame.from_records(records, columns=[
        "column", "meaning", "confidence", "fill_rate", "filled", "distinct", "invalid",
        "top_value", "top_pattern", "min_length", "max_length", "invalid_examples",
        "why_invalid", "kept_with_warning"])
    # the headers in the analyst's words (in English their own names, as always)
    return table.rename(columns={c: label(f"table.{c}", lang) for c in table.columns})
