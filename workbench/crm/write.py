"""Write a change set the way a CRM's import wizard loads it: its field names and codes, its
required fields and lengths checked (failing rows to the rejects with the reason), split into
numbered parts at the wizard's file limits."""
from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd

from workbench.crm.model import CrmLayout, Output
from workbench.export import write_csv, write_xlsx
from workbench.messages import say
from workbench.privacy import SENSITIVE_FIELDS, mask_value

REASON = "reason"
# Code lists a wizard refuses other values for (a country name it does not know it looks up)
CLOSED_CODES = ("gender", "contact_type")


def _values(rows: pd.DataFrame, source: str, layout: CrmLayout) -> pd.Series:
    """One output column: a fixed ``=text`` or a change-set value in the system's codes."""
    if source.startswith("="):
        return pd.Series(source[1:], index=rows.index, dtype=object)
    values = rows[source] if source in rows else pd.Series(None, index=rows.index, dtype=object)
    codes = layout.codes.get(source.split(".", 1)[1], {})
    return values.map(lambda v: codes.get(v, v) if v is not None else None) if codes else values


def _repeated(rows: pd.DataFrame, out: pd.DataFrame, output: Output) -> None:
    """Numbered columns: the first distinct values of the sources, in order."""
    for repeat in output.repeats:
        present = [s for s in repeat.sources if s in rows]
        firsts = [list(dict.fromkeys(v for v in vals if v is not None))[:repeat.count]
                  for vals in zip(*(rows[s] for s in present), strict=True)] if present \
            else [[] for _ in range(len(rows))]
        for n in range(1, repeat.count + 1):
            out[repeat.header.format(n=n)] = [f[n - 1] if len(f) >= n else None for f in firsts]


def _is_new(rows: pd.DataFrame, entity: str) -> pd.Series:
    column = f"{entity}._action"
    if column not in rows:
        return pd.Series(False, index=rows.index)
    return rows[column].eq("insert")


def _acting(rows: pd.DataFrame, entity: str, actions: tuple[str, ...]) -> pd.Series:
    """The rows where ``entity``'s record is written with one of ``actions`` (on cards: the
    cards of that kind; a contact's fields go on its person's card)."""
    if f"{entity}._action" in rows:
        return rows[f"{entity}._action"].isin(actions)
    if "card._action" in rows and entity in ("org", "person", "contact"):
        kind = "organisation" if entity == "org" else "person"
        return rows["card._action"].isin(actions) & rows["card.contact_type"].eq(kind)
    return pd.Series(False, index=rows.index)


def _fixed_and_defaults(rows: pd.DataFrame, out: pd.DataFrame, output: Output) -> None:
    """The target's own fields the definition fills, then the fixed values on every written
    record of their entity and the defaults on new records where still empty."""
    entity_of = {h: s.partition(".")[0] for h, s in output.columns.items()
                 if not s.startswith("=")}
    for extra in output.extra_fields:
        if extra.header in output.fixed or extra.header in output.defaults:
            out[extra.header] = None
            entity_of[extra.header] = extra.entity
    for header, value in output.fixed.items():
        out.loc[_acting(rows, entity_of[header], ("insert", "update")), header] = value
    any_new = _is_new(rows, "person") | _is_new(rows, "org") | _is_new(rows, "card")
    for header, value in output.defaults.items():
        if header in out and value:
            new = _acting(rows, entity_of[header], ("insert",)) if header in entity_of \
                else any_new
            out.loc[new & out[header].isna(), header] = value


def target_frame(rows: pd.DataFrame, layout: CrmLayout) -> pd.DataFrame:
    """The import rows under the system's headers, with fixed values and defaults."""
    output = layout.output
    out = pd.DataFrame(index=rows.index)
    for header, source in output.columns.items():
        out[header] = _values(rows, source, layout).to_numpy()
    _repeated(rows, out, output)
    _fixed_and_defaults(rows, out, output)
    return out.astype(object).where(out.notna(), None)


def _closed_codes(output: Output, codes: Mapping[str, Mapping[str, str]]
                  ) -> dict[str, set[str]]:
    """The output columns whose values must come from the system's code list."""
    out = {}
    for header, source in output.columns.items():
        field = source.partition(".")[2]
        if field in CLOSED_CODES and field in codes:
            out[header] = set(codes[field].values())
    return out


def check_rows(out: pd.DataFrame, rows: pd.DataFrame, output: Output,
               layout_codes: Mapping[str, Mapping[str, str]]) -> pd.Series:
    """Per row the first reason the wizard would refuse it (None when it passes)."""
    reasons = pd.Series(None, index=out.index, dtype=object)
    filled = out.notna() & (out.astype(str) != "")
    for rule in output.required:
        when = {"always": pd.Series(True, index=out.index),
                "new_org": _is_new(rows, "org") | _is_new(rows, "card"),
                "new_person": _is_new(rows, "person")}[rule.when]
        cols = [c for c in rule.any_of if c in out]
        missing = when & ~(filled[cols].any(axis=1) if cols else False)
        what = say("or").join(rule.any_of)
        reasons = reasons.where(reasons.notna() | ~missing, say("crm.required", what=what))
    for header, allowed in _closed_codes(output, layout_codes).items():
        bad = out[header].notna() & ~out[header].isin(allowed)
        reasons = reasons.where(reasons.notna() | ~bad,
                                say("crm.not_a_code", header=header,
                                    allowed=", ".join(sorted(allowed))))
    for header, limit in output.max_length.items():
        if header in out:
            long = out[header].fillna("").astype(str).str.len().gt(limit)
            reasons = reasons.where(reasons.notna() | ~long,
                                    say("crm.too_long", header=header, limit=limit))
    return reasons


def _write(frame: pd.DataFrame, path: Path, fmt: str, sheet: str) -> Path:
    return write_csv(frame, path) if fmt == "csv" else write_xlsx({sheet: frame}, path)


def _parts(frame: pd.DataFrame, output: Output) -> list[pd.DataFrame]:
    """The rows in parts of at most the wizard's number of records (all rows when no limit)."""
    size = output.limits.rows or max(len(frame), 1)
    return [frame.iloc[i:i + size] for i in range(0, max(len(frame), 1), size)]


def _write_parts(frame: pd.DataFrame, folder: Path, stem: str, fmt: str, output: Output
                 ) -> list[Path]:
    """Write the rows in numbered parts; a part over the size limit is halved until it fits."""
    limit = output.limits.csv_bytes if fmt == "csv" else output.limits.xlsx_bytes
    pending, done = _parts(frame, output), []
    while pending:
        part = pending.pop(0)
        path = _write(part, folder / f"{stem}-part{len(done) + 1:02d}.{fmt}", fmt, output.sheet)
        if limit and path.stat().st_size > limit and len(part) > 1:
            path.unlink()
            half = len(part) // 2
            pending[:0] = [part.iloc[:half], part.iloc[half:]]
            continue
        done.append(path)
    if len(done) == 1:  # one file needs no part number
        done = [done[0].rename(folder / f"{stem}.{fmt}")]
    return done


def _checked(rows: pd.DataFrame, layout: CrmLayout) -> tuple[pd.DataFrame, pd.Series]:
    """The import rows and their reasons; an organisation whose every row fails for its person
    still goes on a row of its own, so the person's problem does not hold the company back."""
    out = target_frame(rows, layout)
    reasons = check_rows(out, rows, layout.output, layout.codes)
    if "org.org_id" not in rows or "org._action" not in rows:
        return out, reasons
    passed = set(rows.loc[reasons.isna(), "org.org_id"].dropna())
    alone = rows[reasons.notna() & rows["org._action"].isin(["insert", "update"])
                 & ~rows["org.org_id"].isin(passed)].drop_duplicates("org.org_id")
    if alone.empty:
        return out, reasons
    alone = alone[[c for c in alone.columns if c.startswith("org.")]].reset_index(drop=True)
    more = target_frame(alone, layout)
    more.index = range(len(out), len(out) + len(more))
    more_reasons = check_rows(more, alone.set_index(more.index), layout.output, layout.codes)
    more = more[more_reasons.isna()]  # an organisation the wizard cannot take alone stays out
    return pd.concat([out, more]), pd.concat([reasons, more_reasons[more.index]])


def write_target(tables: dict[str, pd.DataFrame], con: duckdb.DuckDBPyConnection,
                 layout: CrmLayout, folder: str | Path) -> dict[str, Path]:
    """Write the change set for ``layout``'s import wizard into ``folder``; the files by name."""
    from workbench.crm.cards import card_rows
    from workbench.crm.rows import company_rows

    output = layout.output
    if output.shape == "canonical":
        return {}
    folder = Path(folder)
    if folder.exists():  # no part of an earlier, larger change set may stay behind
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    whole = output.updates == "whole_record"
    rows = card_rows(tables, con, layout) if output.shape == "contact_cards" \
        else company_rows(tables, con, whole, output.kind_person)
    out, reasons = _checked(rows, layout)
    files: dict[str, Path] = {}
    for fmt in output.formats:
        for path in _write_parts(out[reasons.isna()], folder, layout.name, fmt, output):
            files[f"{folder.name}/{path.name}"] = path
    rejects = out[reasons.notna()].copy()
    for header, source in output.columns.items():  # a report: BSNs and birth dates masked
        if header in rejects and source.partition(".")[2] in SENSITIVE_FIELDS:
            rejects[header] = rejects[header].map(mask_value)
    rejects.insert(0, REASON, reasons[reasons.notna()])
    files[f"{folder.name}/rejects.xlsx"] = write_xlsx({"rejects": rejects},
                                                      folder / "rejects.xlsx")
    return files


def write_template(layout: CrmLayout, path: str | Path) -> Path:
    """The system's empty import file: its headers on row 1 of one sheet."""
    out = target_frame(pd.DataFrame(), layout)
    fmt = "csv" if str(path).lower().endswith(".csv") else "xlsx"
    return _write(out, Path(path), fmt, layout.output.sheet)
