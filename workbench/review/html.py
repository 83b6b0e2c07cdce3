"""The review screen's HTML: one pair or one in-file cluster side by side, and change-set counts."""
from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd

from workbench.labels import comparison_label, field_label, label
from workbench.report import display_value


# -- one pair, side by side ----------------------------------------------------------------------
def pair_fields(item: pd.Series, data: dict, lang: str | None = None,
                crm_layout: str | None = None) -> list[dict[str, Any]]:
    """The two records aligned field by field: field, label (as the analyst knows it: the
    target CRM's name, else in ``lang``), incoming, other, differs."""
    from workbench.report import ORG_DISPLAY, PERSON_DISPLAY

    person = str(item["kind"]).endswith("person")
    display = PERSON_DISPLAY if person else ORG_DISPLAY
    left = data["rows"].loc[item["left_row"]]
    crm = str(item["kind"]).startswith("crm")
    right = data["crm"].get(str(item["right_key"]), {}) if crm else data["rows"].loc[item["right_key"]]

    out = []
    for crm_col, std_col in display:
        a = display_value(left.get(std_col), crm_col)
        b = display_value(right.get(crm_col if crm else std_col), crm_col)
        out.append({"field": crm_col, "label": field_label(std_col, lang, crm_layout),
                    "incoming": a, "other": b,
                    "differs": a.strip().lower() != b.strip().lower()})
    return out


def contributions(item: pd.Series) -> list[tuple[str, float]]:
    """(comparison, points) that moved the score, largest effect first."""
    pts = [(c[4:], float(item[c])) for c in item.index
           if c.startswith("pts_") and pd.notna(item[c]) and item[c] != 0]
    return sorted(pts, key=lambda p: -abs(p[1]))


def explanation_text(text: object, lang: str | None = None) -> str:
    """A pair's explanation with each comparison named for the analyst (``kvk_number: equal``
    -> ``KvK number: equal``); the matcher writes ``comparison: level (points)`` parts."""
    from workbench.labels import COMPARISON_LABELS

    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return re.sub(rf"\b({'|'.join(COMPARISON_LABELS)}):",
                  lambda m: f"{comparison_label(m.group(1), lang)}:", text)


_PAIR_CSS = """<style>
.wb-pair table{border-collapse:collapse;margin:4px 0}
.wb-pair td,.wb-pair th{border:1px solid #ccc;padding:2px 8px;text-align:left;font-size:13px}
.wb-pair th{background:#f3f3f3}.wb-pair tr.wb-diff td{background:#ffe0b2;font-weight:bold}
.wb-pair .wb-bar{display:inline-block;height:10px;background:#1976d2}
.wb-pair .wb-bar.neg{background:#c62828}
.wb-context{margin:4px 0;padding:4px 8px;background:#f7f9fc;font-size:13px}
.wb-ctx-label{color:#555}
</style>"""


def pair_view_html(item: pd.Series, data: dict, lang: str | None = None,
                   crm_layout: str | None = None) -> str:
    """One pair: header with score, the aligned records (differences highlighted), the points."""
    other = (label("review.crm_record", lang, id=item["right_key"])
             if str(item["kind"]).startswith("crm")
             else label("review.file_row", lang, row=item["right_key"]))
    rows = "".join(
        f"<tr{' class=wb-diff' if f['differs'] else ''}><th>{html.escape(f['label'])}</th>"
        f"<td>{html.escape(f['incoming'])}</td><td>{html.escape(f['other'])}</td></tr>"
        for f in pair_fields(item, data, lang, crm_layout))
    bars = "".join(
        f"<tr><td>{html.escape(comparison_label(name, lang))}</td><td>{pts:+.1f}</td>"
        f"<td><span class='wb-bar{' neg' if pts < 0 else ''}' "
        f"style='width:{min(int(abs(pts) * 12), 240)}px'></span></td></tr>"
        for name, pts in contributions(item))
    kind = str(item["kind"])
    kind_text = label(f"review.{kind}", lang) if f"review.{kind}" in _KINDS else kind
    around = ""
    if "context" in data:  # a person's organisation and job, an organisation's persons
        from workbench.review.pair_context import context_html

        around = context_html(item, data["rows"], data["context"], lang)
    word = {k: html.escape(label(f"review.{k}", lang)) for k in ("field", "comparison", "points")}
    return (f"{_PAIR_CSS}<div class='wb-pair'><b>{html.escape(kind_text)}"
            f"</b> · score <b class='wb-score'>{item['score']:.3f}</b><br>"
            f"<small>{html.escape(explanation_text(item.get('explanation'), lang))}</small>"
            f"<div style='display:flex;gap:24px;align-items:flex-start'>"
            f"<table><tr><th>{word['field']}</th>"
            f"<th>{html.escape(label('review.incoming_row', lang, row=item['left_row']))}</th>"
            f"<th>{html.escape(other)}</th></tr>{rows}</table>"
            f"<table><tr><th>{word['comparison']}</th><th>{word['points']}</th><th></th></tr>"
            f"{bars}</table></div>{around}</div>")


_KINDS = {f"review.{k}" for k in ("crm_organisation", "file_organisation", "crm_person",
                                  "file_person")}


# -- a cluster of rows of the file, side by side --------------------------------------------------
def cluster_rows(members: pd.DataFrame) -> list[int]:
    """The file rows of a cluster's pairs, in file order."""
    rows = {int(r) for r in members["left_row"]} | {int(r) for r in members["right_key"]}
    return sorted(rows)


def cluster_fields(members: pd.DataFrame, rows: pd.DataFrame, lang: str | None = None,
                   crm_layout: str | None = None) -> list[dict[str, Any]]:
    """A cluster's rows aligned field by field: field, label, values (one per row), differs."""
    from workbench.report import ORG_DISPLAY, PERSON_DISPLAY

    display = PERSON_DISPLAY if str(members["kind"].iloc[0]).endswith("person") else ORG_DISPLAY
    records = [rows.loc[r] for r in cluster_rows(members)]
    out = []
    for crm_col, std_col in display:
        values = [display_value(rec.get(std_col), crm_col) for rec in records]
        out.append({"field": crm_col, "label": field_label(std_col, lang, crm_layout),
                    "values": values,
                    "differs": len({v.strip().lower() for v in values}) > 1})
    return out


def cluster_view_html(members: pd.DataFrame, rows: pd.DataFrame, lang: str | None = None,
                      crm_layout: str | None = None) -> str:
    """A cluster: one column per row (differences highlighted) and the score of every pair."""
    ids = cluster_rows(members)
    level = "person" if str(members["kind"].iloc[0]).endswith("person") else "organisation"
    head = "".join(f"<th>{html.escape(label('review.row', lang, row=r))}</th>" for r in ids)
    body = "".join(
        f"<tr{' class=wb-diff' if f['differs'] else ''}><th>{html.escape(f['label'])}</th>"
        + "".join(f"<td>{html.escape(v)}</td>" for v in f["values"]) + "</tr>"
        for f in cluster_fields(members, rows, lang, crm_layout))
    scores = "".join(
        f"<tr><td>{html.escape(label('review.rows_pair', lang, a=int(p['left_row']), b=int(p['right_key'])))}"
        f"</td><td>{p['score']:.3f}</td>"
        f"<td><small>{html.escape(explanation_text(p.get('explanation'), lang))}</small></td></tr>"
        for _, p in members.iterrows())
    title = label("review.cluster", lang, level=label(f"review.{level}", lang), rows=len(ids),
                  pairs=len(members))
    word = {k: html.escape(label(f"review.{k}", lang)) for k in ("field", "pair", "score", "why")}
    return (f"{_PAIR_CSS}<div class='wb-pair wb-cluster'><b>{title}"
            f"<div style='display:flex;gap:24px;align-items:flex-start'>"
            f"<table><tr><th>{word['field']}</th>{head}</tr>{body}</table>"
            f"<table><tr><th>{word['pair']}</th><th>{word['score']}</th><th>{word['why']}</th></tr>"
            f"{scores}</table></div></div>")


# -- the change set after review -----------------------------------------------------------------
def counts_html(counts: dict, lang: str | None = None) -> str:
    """Counts per entity and action, and per row status, as a small HTML table (in ``lang``)."""
    from workbench.changeset import ACTIONS as CS_ACTIONS
    from workbench.changeset import STATUSES

    head = "".join(f"<th>{label(f'changes.{a}', lang)}</th>" for a in CS_ACTIONS)
    body = "".join(
        f"<tr><th>{label(f'changes.{entity}', lang)}</th>" + "".join(
            f"<td class='wb-count-{entity}-{a}'>{counts.get(f'{entity}_action', {}).get(a, 0)}</td>"
            for a in CS_ACTIONS) + "</tr>"
        for entity in ("org", "person", "contact"))
    status = " · ".join(f"{label(f'changes.{s}', lang)}: {counts.get('status', {}).get(s, 0)}"
                        for s in STATUSES)
    return (f"<table><tr><th></th>{head}</tr>{body}</table>"
            f"<small>{label('changes.rows', lang, statuses=status)}</small>")
