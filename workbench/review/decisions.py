"""Every stored review decision, of this list and of earlier runs: listed, searched, changed."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.labels import MESSAGES, label
from workbench.report import display_value
from workbench.review.queue import (
    DIFFERENT,
    SAME,
    SAME_ORG,
    action_label,
    pair_keys,
    stored_decision,
)
from workbench.state import open_state, save_decision

# The stand-in for a pair decided before names were kept, in every language (a change stores none).
UNNAMED = frozenset(MESSAGES["decisions.unnamed"].values())
LOG_COLUMNS = ["level", "fingerprint", "candidate", "decision", "decided_at", "run_id",
               "source_row", "score", "names"]


def decision_log(state_path: str | Path) -> pd.DataFrame:
    """Every stored decision (newest first), with when, which run and the pair's names."""
    if not Path(state_path).exists():
        return pd.DataFrame(columns=LOG_COLUMNS)
    with open_state(state_path) as con:
        return con.execute(f"SELECT {', '.join(LOG_COLUMNS)} FROM decisions "
                           "ORDER BY decided_at DESC, level, fingerprint, candidate").df()


def record_name(record: object, level: str, crm: bool) -> str:
    """A record's name for a pair label: an organisation's name, or a person's name."""
    def get(std: str, crm_col: str) -> str:
        value = record.get(crm_col if crm else std)  # type: ignore[attr-defined]
        return display_value(value, crm_col)

    if level == "organisation":
        return get("org_name", "name")
    parts = [get("person_first_name", "first_name") or get("person_initials", "initials"),
             get("person_name_prefix", "name_prefix"), get("person_last_name", "last_name")]
    name = " ".join(p for p in parts if p)
    org = "" if crm else get("org_name", "name")
    return f"{name} ({org})" if org else name


def pair_names(pairs: pd.DataFrame, data: dict) -> pd.Series:
    """'incoming name ↔ other name' for each pair (``data`` as report.pair_records gives it)."""
    rows = data["rows"]
    # each record named once, however many pairs it is in
    row_name = {level: {r: record_name(rows.loc[r], level, crm=False) for r in
                        set(pairs["left_row"]) | {k for k in pairs["right_key"]
                                                  if not isinstance(k, str)}}
                for level in ("organisation", "person")}
    crm_name = {(level, key): record_name(rec, level, crm=True)
                for key, rec in data["crm"].items() for level in ("organisation", "person")}
    out = []
    for kind, left, right in zip(pairs["kind"], pairs["left_row"], pairs["right_key"],
                                 strict=True):
        level = "person" if str(kind).endswith("person") else "organisation"
        if str(kind).startswith("crm"):
            b = f"{crm_name.get((level, str(right)), '')} (CRM {right})"
        else:
            b = f"{row_name[level][right]} (row {right})"
        out.append(f"{row_name[level][left]} ↔ {b}")
    return pd.Series(out, index=pairs.index, dtype=object)


def decisions_view(log: pd.DataFrame, pairs: pd.DataFrame, rows: pd.DataFrame,
                   names: pd.Series | None = None, lang: str | None = None) -> pd.DataFrame:
    """The log with ``this_list`` (the decision is about a record of this list) and names for
    every entry this list can name (``rows``: match rows indexed by source_row)."""
    view = log.copy()
    ours = {("organisation", fp) for fp in rows.get("org_fp", pd.Series(dtype=object)).dropna()}
    ours |= {("person", fp) for fp in rows.get("person_fp", pd.Series(dtype=object)).dropna()}
    view["this_list"] = [(lvl, fp) in ours for lvl, fp in
                         zip(view["level"], view["fingerprint"], strict=True)]
    if names is not None and not pairs.empty and not view.empty:
        keys = pair_keys(pairs, rows).assign(list_names=names)
        merged = view.merge(keys.drop_duplicates(["level", "fingerprint", "candidate"]),
                            on=["level", "fingerprint", "candidate"], how="left")
        view["names"] = view["names"].where(view["names"].notna(),
                                            merged["list_names"].to_numpy())
    view["names"] = view["names"].fillna(label("decisions.unnamed", lang))
    return view.reset_index(drop=True)


def search_decisions(view: pd.DataFrame, text: str) -> pd.DataFrame:
    """The decisions whose names hold ``text`` (any case); all of them for an empty text."""
    text = text.strip().lower()
    if not text:
        return view
    return view[view["names"].str.lower().str.contains(text, regex=False)]


def decision_label(entry: pd.Series, lang: str | None = None) -> str:
    """One line for the list: names, answer, when, which run, whose list (in ``lang``)."""
    when = pd.Timestamp(entry["decided_at"]).strftime("%Y-%m-%d %H:%M") \
        if pd.notna(entry["decided_at"]) else "?"
    where = label("decisions.this_list" if entry["this_list"] else "decisions.other_list", lang)
    answer = entry["decision"]
    answer = action_label(answer, lang) if answer in (SAME, DIFFERENT) else answer
    run = label("decisions.run", lang, run=entry["run_id"] or "?")
    return f"{entry['names']} · {answer} · {when} · {run} · {where}"


def change_decision(state_path: str | Path, entry: pd.Series, answer: str,
                    run_id: str | None = None) -> str:
    """Store another answer for a decided pair (its time and run become this change's)."""
    stored = stored_decision(str(entry["level"]), answer)
    if stored is None:
        raise ValueError("a decision can be changed to an answer, not skipped")
    score = entry.get("score")
    source_row = entry.get("source_row")
    save_decision(state_path, str(entry["level"]), str(entry["fingerprint"]),
                  str(entry["candidate"]), stored, run_id=run_id,
                  source_row=None if pd.isna(source_row) else int(source_row),
                  score=None if pd.isna(score) else float(score),
                  names=None if entry["names"] in UNNAMED else str(entry["names"]))
    return stored


def answers_for(level: str) -> tuple[str, ...]:
    """The answers a decided pair of this level can be changed to."""
    return (SAME, DIFFERENT, SAME_ORG) if level == "person" else (SAME, DIFFERENT)
