"""The scored pairs as one table for reports: both sides' values (BSN and birth dates masked), the
points of each comparison and the analyst's decision with its time, built column at a time so a
run with hundreds of thousands of pairs is written in seconds."""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from workbench.match.classify import MATCH, NON_MATCH, REVIEW
from workbench.privacy import SENSITIVE_FIELDS, mask_value

ORG_DISPLAY = [("name", "org_name"), ("kvk_number", "org_kvk_number"), ("street", "org_street"),
               ("house_number", "org_house_number"),
               ("house_number_addition", "org_house_number_addition"),
               ("postcode", "org_postcode"), ("city", "org_city"), ("phone", "org_phone"),
               ("email", "org_email"), ("website", "org_website")]
PERSON_DISPLAY = [("initials", "person_initials"), ("first_name", "person_first_name"),
                  ("name_prefix", "person_name_prefix"), ("last_name", "person_last_name"),
                  ("gender", "person_gender"), ("birth_date", "person_birth_date"),
                  ("email", "contact_email"), ("mobile", "contact_mobile")]
# the words a report uses for a band: "non-match" for pairs judged different ("rejected" is
# kept for rows, as in rejects.xlsx)
BAND_WORDS = {MATCH: "accepted", REVIEW: "review band", NON_MATCH: "non-match"}
ANSWER_WORDS = {"same": "same", "different": "non-match (different)"}
# at most this many pairs are written into the HTML page; all of them are in the CSV beside it
MAX_PAIRS_SHOWN = 20_000
# pairs turned into report lines at a time: at 1M rows x 10M records (1.6M pairs of 55 columns of
# text) the whole table at once took 10 GB
PAIRS_PER_PART = 100_000
_BASE = ["kind", "band", "score", "left_row", "candidate", "match_key", "explanation",
         "decision", "decided_at"]


def _text(values: pd.Series | np.ndarray, field: str) -> np.ndarray:
    """Values as display text: empty for missing, BSN and birth dates masked."""
    s = pd.Series(values, dtype=object)
    missing = s.isna().to_numpy()
    if field in SENSITIVE_FIELDS:
        s = s.map(mask_value)
    out = s.to_numpy(dtype=object).copy()  # a new array: the caller's values stay as they are
    # most columns are text already: one check for the column, not one per value
    if len(out) and pd.api.types.infer_dtype(out[~missing], skipna=False) != "string":
        text = np.array([isinstance(v, str) for v in out], dtype=bool)
        out[~text] = [str(v) for v in out[~text]]
    out[missing] = ""
    return out


_CRM_SIDES = (("crm_organisation", "organisations", "org_id", ORG_DISPLAY),
              ("crm_person", "persons", "person_id", PERSON_DISPLAY))


def _shown_columns(con: duckdb.DuckDBPyConnection, table: str, key: str,
                   display: list[tuple[str, str]]) -> str:
    """The SELECT list of a CRM table's id and the fields the report shows that it has."""
    have = {c for (c,) in con.execute(
        "SELECT column_name FROM (DESCRIBE SELECT * FROM " + table + ")").fetchall()}
    return ", ".join([f'"{key}"', *(f'"{c}"' for c, _ in display if c in have and c != key)])


def _by_id(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """CRM records indexed by their id as text, each once."""
    return frame.assign(**{key: frame[key].astype(str)}).drop_duplicates(key).set_index(key)


def _crm_records(pairs: pd.DataFrame, con: duckdb.DuckDBPyConnection
                 ) -> dict[str, pd.DataFrame]:
    """The CRM records named by the pairs, per kind, indexed by their id as text (the fields
    the report shows only)."""
    with _NamedRecords(pairs, con) as named:
        return named.part(0, len(pairs))


class _NamedRecords:
    """The CRM records all the pairs name, read from the snapshot in one join and kept in the
    pairs' order (DuckDB's temp tables, spilled when large), so each part of the pairs takes its
    own by position: a scan of a 10M-record CRM per part of 100,000 pairs took most of the
    report's time."""

    def __init__(self, pairs: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
        self._con, self._tables = con, {}
        tag = uuid.uuid4().hex[:8]
        for kind, table, key, display in _CRM_SIDES:
            mine = (pairs["kind"] == kind).to_numpy()
            if not mine.any():
                continue
            named = pd.DataFrame({"pos": np.flatnonzero(mine),
                                  "right_key": pairs["right_key"].to_numpy()[mine]})
            named["right_key"] = named["right_key"].astype(str)
            name, view = f"report_{table}_{tag}", f"report_named_{tag}"
            con.register(view, named)
            try:
                # ordered by position: a part's range of positions reads only its row groups
                con.execute(f"CREATE TEMP TABLE {name} AS SELECT n.pos, r.* FROM {view} n "
                            f"JOIN (SELECT {_shown_columns(con, table, key, display)} "
                            f"FROM {table}) r ON CAST(r.\"{key}\" AS VARCHAR) = n.right_key "
                            f"ORDER BY n.pos")
            finally:
                con.unregister(view)
            self._tables[kind] = (name, key)

    def part(self, start: int, stop: int) -> dict[str, pd.DataFrame]:
        """The CRM records the pairs at positions start..stop name, per kind, indexed by their
        id as text (no columns when none)."""
        out = {}
        for kind, _, key, _ in _CRM_SIDES:
            frame = self._con.execute(f"SELECT * EXCLUDE (pos) FROM {self._tables[kind][0]} "
                                      "WHERE pos >= ? AND pos < ?", [start, stop]).df() \
                if kind in self._tables else pd.DataFrame()
            out[kind] = _by_id(frame if len(frame) else pd.DataFrame(columns=[key]), key)
        return out

    def __enter__(self) -> _NamedRecords:
        return self

    def __exit__(self, *exc: object) -> None:
        for name, _ in self._tables.values():
            self._con.execute(f"DROP TABLE IF EXISTS {name}")


def _row_numbers(keys: pd.Series, in_crm: np.ndarray) -> np.ndarray:
    """The source rows of pairs inside the file (-1, found nowhere, for CRM pairs)."""
    return pd.to_numeric(keys.where(~in_crm), errors="coerce").fillna(-1).astype("int64") \
        .to_numpy()


def _take(column: pd.Series, positions: np.ndarray) -> np.ndarray:
    """Values of ``column`` at ``positions`` (None where the position is -1: not found)."""
    values = column.to_numpy(dtype=object)
    out = values.take(np.where(positions >= 0, positions, 0)) if len(values) \
        else np.full(len(positions), None, dtype=object)
    out[positions < 0] = None
    return out


def _side_values(pairs: pd.DataFrame, by_row: pd.DataFrame, crm: dict[str, pd.DataFrame],
                 display: list[tuple[str, str]], is_kind: np.ndarray, crm_kind: str
                 ) -> dict[str, np.ndarray]:
    """``left:<field>`` and ``right:<field>`` for the pairs of one level (empty elsewhere);
    ``by_row`` is the standardised rows by source row."""
    mine = pairs[is_kind]
    in_crm = (mine["kind"] == crm_kind).to_numpy()
    left_pos = by_row.index.get_indexer(mine["left_row"].to_numpy())
    right_pos = by_row.index.get_indexer(_row_numbers(mine["right_key"], in_crm))
    record = crm[crm_kind]
    crm_pos = record.index.get_indexer(mine["right_key"].astype(str).to_numpy())
    out = {}
    for crm_col, std_col in display:
        if std_col in by_row:
            left, right = _take(by_row[std_col], left_pos), _take(by_row[std_col], right_pos)
        else:
            left = right = np.full(len(mine), None, dtype=object)
        if crm_col in record:
            right = np.where(in_crm, _take(record[crm_col], crm_pos), right)
        for side, values in (("left", left), ("right", right)):
            full = np.full(len(pairs), "", dtype=object)
            full[is_kind] = _text(values, crm_col)
            out[f"{side}:{crm_col}"] = full
    return out


def _decision_times(pairs: pd.DataFrame, rows: pd.DataFrame,
                    decisions: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """The analyst's answer and its time for every pair decided (empty for the others)."""
    answer = np.full(len(pairs), "", dtype=object)
    when = np.full(len(pairs), "", dtype=object)
    if decisions is None or not len(decisions) or not len(pairs):
        return answer, when
    by_row = rows.drop_duplicates("source_row").set_index("source_row")
    person = pairs["kind"].str.endswith("person").to_numpy()
    level = np.where(person, "person", "organisation")
    left_fp = np.where(person, by_row["person_fp"].reindex(pairs["left_row"]).to_numpy(),
                       by_row["org_fp"].reindex(pairs["left_row"]).to_numpy()) \
        if {"person_fp", "org_fp"} <= set(by_row) else np.full(len(pairs), None)
    in_crm = pairs["kind"].str.startswith("crm").to_numpy()
    right_rows = _row_numbers(pairs["right_key"], in_crm)
    right_fp = np.where(person, by_row["person_fp"].reindex(right_rows).to_numpy(),
                        by_row["org_fp"].reindex(right_rows).to_numpy()) \
        if {"person_fp", "org_fp"} <= set(by_row) else np.full(len(pairs), None)
    candidate = np.where(in_crm, pairs["right_key"].astype(str).to_numpy(), right_fp)
    keys = pd.MultiIndex.from_arrays([level, left_fp.astype(str), candidate.astype(str)])
    stored = decisions.drop_duplicates(["level", "fingerprint", "candidate_key"]).set_index(
        ["level", "fingerprint", "candidate_key"])
    found = stored.reindex(keys)
    hit = found["decision"].notna().to_numpy()
    answer[hit] = found["decision"].to_numpy()[hit]
    when[hit] = pd.to_datetime(found["decided_at"]).dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy()[hit]
    return answer, when


def display_rows(std: pd.DataFrame) -> pd.DataFrame:
    """The standardised rows' shown fields by source row (not a copy of every column)."""
    shown = [c for _, c in ORG_DISPLAY + PERSON_DISPLAY if c in std and c != "source_row"]
    return std[["source_row", *dict.fromkeys(shown)]].drop_duplicates("source_row") \
        .set_index("source_row")


def pair_table(pairs: pd.DataFrame, std: pd.DataFrame, con: duckdb.DuckDBPyConnection,
               rows: pd.DataFrame | None = None, decisions: pd.DataFrame | None = None,
               by_row: pd.DataFrame | None = None,
               crm: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every pair with both sides' display values, its points and the analyst's decision
    (``by_row``: ``display_rows(std)``, ``crm``: the CRM records the pairs name, when the
    caller has them already)."""
    if pairs.empty:
        return pd.DataFrame(columns=_BASE)
    crm = _crm_records(pairs, con) if crm is None else crm
    in_crm = pairs["kind"].str.startswith("crm").to_numpy()
    right = pairs["right_key"].astype(str)
    out = pd.DataFrame({
        "kind": pairs["kind"].to_numpy(), "band": pairs["band"].to_numpy(),
        # four decimals, as the page shows it: EM draws its random pairs per part of the file,
        # so runs split into other parts differ in the sixth decimal, never in the outcome
        "score": pairs["score"].astype(float).round(4).to_numpy(),
        "left_row": pairs["left_row"].astype(int).to_numpy(),
        "candidate": np.where(in_crm, "CRM " + right, "row " + right),
        "match_key": _text(pairs.get("match_key", pd.Series(None, index=pairs.index)), ""),
        "explanation": _text(pairs["explanation"], ""),
    })
    out["decision"], out["decided_at"] = _decision_times(pairs, rows if rows is not None
                                                         else std[["source_row"]], decisions)
    person = pairs["kind"].str.endswith("person").to_numpy()
    by_row = display_rows(std) if by_row is None else by_row
    columns = {**_side_values(pairs, by_row, crm, ORG_DISPLAY, ~person, "crm_organisation"),
               **_side_values(pairs, by_row, crm, PERSON_DISPLAY, person, "crm_person")}
    points = {c: pairs[c].astype(float).round(3).to_numpy() for c in pairs.columns
              if c.startswith("pts_")}
    return pd.concat([out, pd.DataFrame(columns), pd.DataFrame(points)], axis=1)


def shown_pairs(table: pd.DataFrame, limit: int = MAX_PAIRS_SHOWN) -> pd.DataFrame:
    """The pairs written into the page, at most ``limit``: decided ones, accepted ones, the
    review band and then the closest non-matches first, each kind of pair in a steady order."""
    rank = np.select([table["decision"] != "", table["band"] == MATCH, table["band"] == REVIEW],
                     [0, 1, 2], 3)
    order = pd.DataFrame({"rank": rank, "neg_score": -table["score"],
                          "kind": table["kind"], "row": table["left_row"],
                          "candidate": table["candidate"]})
    chosen = order.sort_values(["rank", "neg_score", "kind", "row", "candidate"],
                               kind="mergesort").index[:limit]
    return table.loc[np.sort(chosen)]


def pairs_json(table: pd.DataFrame) -> str:
    """The pairs as compact JSON for the page's script: field lists once, then one array per
    pair; safe to put inside a <script> element."""
    org = [c for c, _ in ORG_DISPLAY]
    person = [c for c, _ in PERSON_DISPLAY]
    pts = [c for c in table.columns if c.startswith("pts_")]
    is_person = table["kind"].str.endswith("person").to_numpy()
    base = [table[c].tolist() for c in _BASE]

    def values(fields: list[str], side: str) -> list[tuple[str, ...]]:
        cols = [table.get(f"{side}:{f}", pd.Series("", index=table.index)).tolist()
                for f in fields]
        # tuples: JSON writes them as the lists they were
        return list(zip(*cols, strict=True)) if cols else []

    sides = {lvl: (values(f, "left"), values(f, "right")) for lvl, f in (("org", org),
                                                                          ("person", person))}
    # Python floats, not NumPy's: a comparison per point is then no NumPy call
    pts_values = table[pts].to_numpy(dtype=float).tolist() if pts else [[]] * len(table)
    records = []
    for i, (row, pts_row) in enumerate(zip(zip(*base, strict=True), pts_values, strict=True)):
        left, right = sides["person" if is_person[i] else "org"]
        records.append([*row, left[i], right[i],
                        [[j, v] for j, v in enumerate(pts_row) if v == v and v != 0]])
    data = {"base": _BASE, "fields": {"org": org, "person": person},
            "points": [p[4:] for p in pts], "bands": BAND_WORDS, "answers": ANSWER_WORDS,
            "pairs": records}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")  # "</script>" in a value cannot end the element


def pair_parts(pairs: pd.DataFrame, std: pd.DataFrame, con: duckdb.DuckDBPyConnection,
               rows: pd.DataFrame | None = None, decisions: pd.DataFrame | None = None,
               size: int | None = None) -> Iterator[pd.DataFrame]:
    """``pair_table`` of the pairs in parts of ``size`` (``PAIRS_PER_PART``), each indexed by
    the pairs' positions."""
    size = size or PAIRS_PER_PART
    if pairs.empty:
        yield pair_table(pairs, std, con, rows, decisions)
        return
    by_row = display_rows(std)
    with _NamedRecords(pairs, con) as named:
        for start in range(0, len(pairs), size):
            stop = min(start + size, len(pairs))
            part = pair_table(pairs.iloc[start:stop], std, con, rows, decisions, by_row,
                              named.part(start, stop))
            yield part.set_axis(pd.RangeIndex(start, start + len(part)))


def _csv_select(table: pd.DataFrame) -> str:
    """The SELECT list that writes a part as the CSV shows it: formula-like text with an
    apostrophe in front, as in every CSV of a run."""
    from workbench.export import _FORMULA_START, _SAFE

    start, safe = _FORMULA_START.pattern, _SAFE.pattern
    return ", ".join(
        f"CASE WHEN regexp_matches(\"{c}\", '{start}') AND NOT regexp_matches(\"{c}\", "
        f"'{safe}') THEN '''' || \"{c}\" ELSE \"{c}\" END AS \"{c}\""
        if table[c].dtype == object else f'"{c}"' for c in table.columns)


def write_pairs_csv(parts: Iterable[pd.DataFrame], path: str | Path,
                    keep: Callable[[pd.DataFrame], None] | None = None) -> Path:
    """Every pair as one CSV line (the bands in the report's words; UTF-8 with BOM, formula-like
    values with an apostrophe in front as in every CSV of a run), for an auditor's spreadsheet;
    written by DuckDB a part at a time (``keep`` sees each part), so memory does not grow with
    the pairs."""
    import shutil

    from workbench.atomic import atomic_path

    with atomic_path(path) as tmp:
        plain = tmp.with_name(tmp.name + ".plain")
        con = duckdb.connect()
        try:
            with open(tmp, "wb") as dst:
                dst.write("\ufeff".encode())  # Excel reads the accents right with a BOM
                for number, table in enumerate(parts):
                    if keep is not None:
                        keep(table)
                    out = table.copy(deep=False)  # the columns changed below are new ones
                    out["band"] = out["band"].map(BAND_WORDS).fillna(out["band"])
                    out["decision"] = out["decision"].map(ANSWER_WORDS).fillna("")
                    out.columns = [c.replace(":", "_") for c in out.columns]
                    con.register("pairs", out)
                    target = str(plain).replace("'", "''")
                    header = "true" if number == 0 else "false"
                    con.execute(f"COPY (SELECT {_csv_select(out)} FROM pairs) TO '{target}' "
                                f"(HEADER {header}, DELIMITER ',')")
                    con.unregister("pairs")
                    with open(plain, "rb") as src:
                        shutil.copyfileobj(src, dst, 1024**2)
        finally:
            con.close()
            plain.unlink(missing_ok=True)
    return Path(path)
