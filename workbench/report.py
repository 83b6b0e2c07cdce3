"""The duplicate report: scored pairs side by side, for reviewers who do not open a notebook."""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import duckdb
import pandas as pd

from workbench.atomic import atomic_write_text
from workbench.definition import Definition
from workbench.match.classify import MATCH, NON_MATCH, REVIEW
from workbench.match.score import SCORE_FLOOR
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

_CSS = """
body{font-family:system-ui,Segoe UI,Arial,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;
text-align:left;font-size:13px}th{background:#f3f3f3}.diff{background:#ffe0b2}
.pair{border:1px solid #ddd;padding:.5em 1em;margin:1em 0;border-radius:6px}
.match{border-left:6px solid #2e7d32}.review{border-left:6px solid #f9a825}
.non-match{border-left:6px solid #c62828}input{font-size:14px;padding:4px;width:30em}
.bar{display:inline-block;height:10px;background:#1976d2}.neg{background:#c62828}
"""
_JS = """
function filterPairs(q){q=q.toLowerCase();var shown=0;document.querySelectorAll('.pair').forEach(
function(p){var hit=p.textContent.toLowerCase().indexOf(q)>=0;p.style.display=hit?'':'none';
if(hit)shown++;});document.getElementById('shown').textContent=shown;}
function sortPairs(how){document.querySelectorAll('.pairs').forEach(function(box){
var items=Array.prototype.slice.call(box.querySelectorAll('.pair'));items.sort(function(a,b){
var k=how.split(':'),x=parseFloat(a.dataset[k[0]]),y=parseFloat(b.dataset[k[0]]);
return k[1]==='desc'?y-x:x-y;});items.forEach(function(i){box.appendChild(i);});});}
"""


def _histogram(pairs: pd.DataFrame, definition: Definition) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 2.6), dpi=100)
    for kind, group in pairs.groupby("kind"):
        ax.hist(group["score"], bins=40, range=(0, 1), alpha=0.6, label=kind)
    for value, label in ((definition.thresholds.match, "match"),
                         (definition.thresholds.review, "review")):
        ax.axvline(value, color="k", linestyle="--", linewidth=1)
        ax.text(value, ax.get_ylim()[1] * 0.9, f" {label} {value:g}", fontsize=8)
    ax.set_xlabel("score")
    ax.set_ylabel("pairs")
    ax.set_yscale("log")
    ax.legend(fontsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def pair_records(pairs: pd.DataFrame, std: pd.DataFrame,
                 con: duckdb.DuckDBPyConnection) -> dict:
    """Display values per (side, key) for every pair shown."""
    by_row = std.set_index("source_row")
    crm: dict[str, dict] = {}
    for kind, table, key in (("crm_organisation", "organisations", "org_id"),
                             ("crm_person", "persons", "person_id")):
        ids = pairs.loc[pairs["kind"] == kind, "right_key"].astype(str).unique().tolist()
        if ids:
            frame = con.execute(f"SELECT * FROM {table} WHERE {key} IN (SELECT unnest(?))",
                                [ids]).df()
            frame = frame.astype(object).where(frame.notna(), None)
            crm.update({r[key]: r for r in frame.to_dict("records")})
    return {"rows": by_row, "crm": crm}


def display_value(v: object, field: str) -> str:
    """A value as reports and screens show it: empty for missing, BSN and birth dates masked."""
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return ""
    return str(mask_value(v) if field in SENSITIVE_FIELDS else v)


def pair_html(pair: pd.Series, data: dict) -> str:
    """One pair side by side, differing fields highlighted, with each comparison's points."""
    person = pair["kind"].endswith("person")
    display = PERSON_DISPLAY if person else ORG_DISPLAY
    left = data["rows"].loc[pair["left_row"]]
    if pair["kind"].startswith("crm"):
        right = data["crm"].get(str(pair["right_key"]), {})
        right_label = f"CRM {pair['right_key']}"
        get_right = lambda crm_col, std_col: right.get(crm_col)  # noqa: E731
    else:
        right = data["rows"].loc[pair["right_key"]]
        right_label = f"row {pair['right_key']}"
        get_right = lambda crm_col, std_col: right.get(std_col)  # noqa: E731
    rows = []
    for crm_col, std_col in display:
        a = display_value(left.get(std_col), crm_col)
        b = display_value(get_right(crm_col, std_col), crm_col)
        cls = ' class="diff"' if a.strip().lower() != b.strip().lower() else ""
        rows.append(f"<tr{cls}><th>{crm_col}</th><td>{html.escape(a)}</td>"
                    f"<td>{html.escape(b)}</td></tr>")
    bars = []
    for col in [c for c in pair.index if c.startswith("pts_")]:
        pts = pair[col]
        if pd.isna(pts) or pts == 0:
            continue
        width = int(abs(pts) * 12)
        neg = " neg" if pts < 0 else ""
        bars.append(f"<tr><td>{html.escape(col[4:])}</td><td>{pts:+g}</td>"
                    f'<td><span class="bar{neg}" style="width:{width}px"></span></td></tr>')
    return (f'<div class="pair {pair["band"]}" data-score="{pair["score"]:.6f}" '
            f'data-row="{int(pair["left_row"])}"><b>{html.escape(pair["kind"])}</b> · '
            f'row {pair["left_row"]} vs {html.escape(right_label)} · score '
            f'<b>{pair["score"]:.3f}</b> ({pair["band"]})<br><small>'
            f'{html.escape(str(pair["explanation"]))}</small>'
            f'<table><tr><th>field</th><th>incoming row {pair["left_row"]}</th>'
            f"<th>{html.escape(right_label)}</th></tr>{''.join(rows)}</table>"
            f"<table><tr><th>comparison</th><th>points</th><th></th></tr>{''.join(bars)}</table>"
            "</div>")


def _report_head(definition: Definition) -> list[str]:
    """The page head, the title and what the thresholds do."""
    th = definition.thresholds
    return [f"<!doctype html><html><head><meta charset='utf-8'><title>Duplicate report</title>"
            f"<style>{_CSS}</style><script>{_JS}</script></head><body>",
            "<h1>Duplicate report</h1>",
            f"<p>Thresholds: match ≥ {th.match:g}, review ≥ {th.review:g}. Pairs in the "
            f"review band are {'skipped in batch runs' if definition.undecided == 'skip' else 'treated as different'}"
            " until an analyst decides them.</p>"]


def _summary_html(pairs: pd.DataFrame, below: dict[str, int]) -> list[str]:
    """Pairs per kind and band (those below the score floor added back), and a note on them."""
    summary = pairs.pivot_table(index="kind", columns="band", values="score", aggfunc="count",
                                fill_value=0)
    if any(below.values()):  # hopeless candidates were counted, not kept: add them back here
        if NON_MATCH not in summary:
            summary[NON_MATCH] = 0
        for kind, n in below.items():
            summary.loc[kind, NON_MATCH] = (summary[NON_MATCH].get(kind, 0) or 0) + n
        summary = summary.fillna(0).astype(int)
    summary.columns.name, summary.index.name = None, "pairs per kind and band"
    parts = ["<h2>Summary</h2>" + summary.to_html(border=0)]
    if any(below.values()):
        parts.append(f"<p>{sum(below.values()):,} of these pairs scored below "
                     f"{SCORE_FLOOR:g}: they are counted as non-matches but not kept, so the "
                     "histogram, the agreement table and the samples below leave them out.</p>")
    return parts


def _agreement_html(pairs: pd.DataFrame) -> str:
    """The share of pairs that agree on each comparison."""
    agreement = {c[4:]: float((pairs[c] > 0).mean()) for c in pairs.columns
                 if c.startswith("pts_")}
    return "<h2>Agreement per comparison</h2><table>" + "".join(
        f"<tr><td>{html.escape(k)}</td><td>{v:.1%}</td></tr>" for k, v in agreement.items()) \
        + "</table>"


_PAIRS_CONTROLS = ('<h2>Pairs</h2><p><input id="search" placeholder="search pairs…" '
                   'oninput="filterPairs(this.value)"> <span id="shown"></span> shown · sort by '
                   '<select id="sort" onchange="sortPairs(this.value)">'
                   '<option value="score:asc">score, low first</option>'
                   '<option value="score:desc">score, high first</option>'
                   '<option value="row:asc">incoming row</option></select></p>')


def _band_samples(pairs: pd.DataFrame, sample: int) -> dict[str, pd.DataFrame]:
    """A repeatable sample of the accepted and of the rejected pairs, low scores first."""
    samples = {}
    for band in (MATCH, NON_MATCH):
        chosen = pairs[pairs["band"] == band].sort_values(["kind", "left_row", "score"],
                                                           kind="mergesort")
        samples[band] = chosen.sample(min(sample, len(chosen)), random_state=0).sort_values("score")
    return samples


def _pair_sections(pairs: pd.DataFrame, prepared, con: duckdb.DuckDBPyConnection,
                   sample: int) -> list[str]:
    """The review band in full and the samples of accepted and rejected pairs, side by side."""
    review = pairs[pairs["band"] == REVIEW].sort_values("score")
    samples = _band_samples(pairs, sample)
    # the records of the pairs shown only: a big run scores millions of pairs
    data = pair_records(pd.concat([review, *samples.values()]), prepared.std, con)
    parts = [f"<h3>Review band ({len(review)})</h3><div class='pairs'>"]
    parts.extend(pair_html(p, data) for _, p in review.iterrows())
    parts.append("</div>")
    for band, label in ((MATCH, "Sample of accepted pairs"), (NON_MATCH, "Sample of rejected pairs")):
        chosen = samples[band]
        parts.append(f"<h3>{label} ({len(chosen)} of {int((pairs['band'] == band).sum())})</h3>"
                     "<div class='pairs'>")
        parts.extend(pair_html(p, data) for _, p in chosen.iterrows())
        parts.append("</div>")
    return parts


def write_duplicate_report(matches, prepared, con: duckdb.DuckDBPyConnection,
                           definition: Definition, path: str | Path, sample: int = 25) -> Path:
    """Write duplicate_report.html: summary, score histogram, review band and samples."""
    pairs = matches.pairs
    parts = _report_head(definition)
    if pairs.empty:
        parts.append("<p>No candidate pairs were found.</p></body></html>")
        return atomic_write_text(path, "".join(parts))
    parts.extend(_summary_html(pairs, getattr(matches, "below_floor", {}) or {}))
    parts.append(f'<h2>Score distribution</h2><img alt="score histogram" '
                 f'src="data:image/png;base64,{_histogram(pairs, definition)}">')
    parts.append(_agreement_html(pairs))
    parts.append(_PAIRS_CONTROLS)
    parts.extend(_pair_sections(pairs, prepared, con, sample))
    parts.append("</body></html>")
    return atomic_write_text(path, "\n".join(parts))


class Chart:
    """A matplotlib figure that shows itself as a PNG in a notebook, with or without pyplot."""

    def __init__(self, figure) -> None:
        self.figure = figure

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png")
        return buf.getvalue()


def outcome_chart(counts: dict) -> Chart:
    """A bar chart of rows per status and per action, for the notebooks."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 2.8), dpi=100)
    panels = [("status", "rows per status"), ("org_action", "organisations"),
              ("person_action", "persons"), ("contact_action", "contacts")]
    for i, (key, title) in enumerate(panels, 1):
        ax = fig.add_subplot(1, len(panels), i)
        values = counts.get(key, {})
        ax.barh(list(values), list(values.values()), color="#1976d2")
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=8)
        for y, v in enumerate(values.values()):
            ax.text(v, y, f" {v}", va="center", fontsize=7)
    fig.tight_layout()
    return Chart(fig)
