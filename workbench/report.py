"""The duplicate report: every accepted pair, the review band and the closest non-matches side by
side, paged and searchable, with the analyst's decisions and the run's summary, for reviewers
and auditors who do not open a notebook; all pairs also as duplicate_pairs.csv beside it."""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from workbench.atomic import atomic_write_text
from workbench.definition import Definition
from workbench.definition.schema import percent_of
from workbench.match.classify import MATCH, NON_MATCH, REVIEW
from workbench.match.score import SCORE_FLOOR
from workbench.privacy import SENSITIVE_FIELDS, mask_value
from workbench.report_pairs import (  # noqa: F401 - the review screen's field lists live there
    ANSWER_WORDS,
    BAND_WORDS,
    MAX_PAIRS_SHOWN,
    ORG_DISPLAY,
    PERSON_DISPLAY,
    pair_parts,
    pairs_json,
    shown_pairs,
    write_pairs_csv,
)

if TYPE_CHECKING:
    from workbench.summary import RunSummary

_CSS = """
body{font-family:system-ui,Segoe UI,Arial,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;
text-align:left;font-size:13px;vertical-align:top}th{background:#f3f3f3}.diff{background:#ffe0b2}
.pair{border:1px solid #ddd;padding:.5em 1em;margin:1em 0;border-radius:6px}
.match{border-left:6px solid #2e7d32}.review{border-left:6px solid #f9a825}
.non-match{border-left:6px solid #c62828}input{font-size:14px;padding:4px;width:30em}
.bar{display:inline-block;height:10px;background:#1976d2}.neg{background:#c62828}
.note{background:#fff8e1;padding:.5em 1em;border-radius:4px}.pager button{margin:0 .3em}
.decided{background:#e3f2fd;padding:0 .3em;border-radius:3px}
"""
# The pairs live in one JSON blob; the script draws one page of each section at a time and
# filters by text over all of them, so a page with 20,000 pairs opens at once (no CDN: offline).
_JS = """
var WB={};
function wbEsc(s){return String(s==null?'':s).replace(/[&<>"']/g,function(c){
return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c];});}
function wbInit(){var d=JSON.parse(document.getElementById('pairs-data').textContent);
WB.d=d;WB.i={};d.base.forEach(function(n,k){WB.i[n]=k;});WB.q='';WB.sort='score:asc';WB.page={};
WB.hay=d.pairs.map(function(p){var b=d.base.length;return [p[WB.i.kind],'row '+p[WB.i.left_row]+
' vs '+p[WB.i.candidate],d.bands[p[WB.i.band]],p[WB.i.explanation],p[WB.i.decision],
p[WB.i.decided_at],p[b].join(' '),p[b+1].join(' ')].join(' ').toLowerCase();});wbRender();}
function wbPair(p){var I=WB.i,d=WB.d,b=d.base.length,person=/person$/.test(p[I.kind]);
var f=d.fields[person?'person':'org'],rows='';for(var k=0;k<f.length;k++){var a=p[b][k],c=p[b+1][k];
var diff=a.trim().toLowerCase()!==c.trim().toLowerCase()?' class="diff"':'';
rows+='<tr'+diff+'><th>'+wbEsc(f[k])+'</th><td>'+wbEsc(a)+'</td><td>'+wbEsc(c)+'</td></tr>';}
var bars='';p[b+2].forEach(function(x){var v=x[1];bars+='<tr><td>'+wbEsc(d.points[x[0]])+
'</td><td>'+(v>0?'+':'')+v+'</td><td><span class="bar'+(v<0?' neg':'')+'" style="width:'+
Math.round(Math.abs(v)*12)+'px"></span></td></tr>';});
var dec=p[I.decision]?' · <span class="decided">analyst: '+wbEsc(d.answers[p[I.decision]])+
', '+wbEsc(p[I.decided_at])+' UTC</span>':'';
return '<div class="pair '+wbEsc(p[I.band])+'" data-score="'+p[I.score]+'" data-row="'+
p[I.left_row]+'"><b>'+wbEsc(p[I.kind])+'</b> · row '+p[I.left_row]+' vs '+wbEsc(p[I.candidate])+
' · score <b>'+Number(p[I.score]).toFixed(3)+'</b> ('+wbEsc(d.bands[p[I.band]])+')'+dec+
'<br><small>'+wbEsc(p[I.explanation])+'</small><table><tr><th>field</th><th>incoming row '+
p[I.left_row]+'</th><th>'+wbEsc(p[I.candidate])+'</th></tr>'+rows+'</table><table><tr>'+
'<th>comparison</th><th>points</th><th></th></tr>'+bars+'</table></div>';}
function wbRender(){var d=WB.d,I=WB.i,k=WB.sort.split(':'),shown=0;
document.querySelectorAll('.pairs').forEach(function(box){var band=box.dataset.band,hits=[];
for(var j=0;j<d.pairs.length;j++){if(d.pairs[j][I.band]===band&&(!WB.q||
WB.hay[j].indexOf(WB.q)>=0))hits.push(j);}
hits.sort(function(x,y){var a=d.pairs[x],b=d.pairs[y],u=k[0]==='row'?a[I.left_row]-b[I.left_row]:
a[I.score]-b[I.score];return (k[1]==='desc'?-u:u)||x-y;});
var size=50,pages=Math.max(1,Math.ceil(hits.length/size)),pg=Math.min(WB.page[band]||0,pages-1);
WB.page[band]=pg;box.innerHTML=hits.slice(pg*size,(pg+1)*size).map(function(j){
return wbPair(d.pairs[j]);}).join('');shown+=Math.min(size,hits.length-pg*size);
var pager=document.querySelector('.pager[data-band="'+band+'"]');pager.querySelector('.where')
.textContent='page '+(pg+1)+' of '+pages+' · '+hits.length+' pairs';});
document.getElementById('shown').textContent=shown;
document.querySelectorAll('tr.decision').forEach(function(r){r.style.display=!WB.q||
r.textContent.toLowerCase().indexOf(WB.q)>=0?'':'none';});}
function filterPairs(q){WB.q=q.toLowerCase();WB.page={};wbRender();}
function sortPairs(how){WB.sort=how;wbRender();}
function turnPage(band,step){WB.page[band]=Math.max(0,(WB.page[band]||0)+step);wbRender();}
document.addEventListener('DOMContentLoaded',wbInit);
"""


def _histogram(pairs: pd.DataFrame, definition: Definition) -> str:
    # Figure + FigureCanvasAgg, as the profile's chart: pyplot (and its backend switch) is an
    # import the run does not need
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 2.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    # the score column only: a group of every column is a copy of millions of pairs
    for kind, scores in pairs.groupby("kind")["score"]:
        ax.hist(scores, bins=40, range=(0, 1), alpha=0.6, label=kind)
    for value, label in ((definition.thresholds.match, "match"),
                         (definition.thresholds.review, "review")):
        ax.axvline(value, color="k", linestyle="--", linewidth=1)
        ax.text(value, ax.get_ylim()[1] * 0.9, f" {label} {percent_of(value):g}%", fontsize=8)
    ax.set_xlabel("score")
    ax.set_ylabel("pairs")
    ax.set_yscale("log")
    ax.legend(fontsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
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


def _report_head(definition: Definition) -> list[str]:
    """The page head, the title and what the thresholds do."""
    th = definition.thresholds
    undecided = ("skipped in batch runs" if definition.undecided == "skip"
                 else "treated as different")
    return [f"<!doctype html><html><head><meta charset='utf-8'><title>Duplicate report</title>"
            f"<style>{_CSS}</style><script>{_JS}</script></head><body>",
            "<h1>Duplicate report</h1>",
            f"<p>Thresholds: match ≥ {percent_of(th.match):g}%, review ≥ "
            f"{percent_of(th.review):g}% (as the definition writes them). Pairs in the "
            f"review band are {undecided} until an analyst decides them. Words used here: an "
            "<i>accepted</i> pair is judged one record, a <i>non-match</i> is judged two "
            "different records; <i>rejected</i> is said of rows only (rejects.xlsx).</p>"]


def _summary_html(pairs: pd.DataFrame, below: dict[str, int],
                  summary: RunSummary | None) -> list[str]:
    """The run's summary, pairs per kind and band (those below the score floor added back), and
    a note on them."""
    parts = ["<h2>Summary of the run</h2>" + summary.to_html()] if summary is not None else []
    table = pairs[["kind", "band", "score"]].pivot_table(
        index="kind", columns="band", values="score", aggfunc="count", fill_value=0)
    if any(below.values()):  # hopeless candidates were counted, not kept: add them back here
        if NON_MATCH not in table:
            table[NON_MATCH] = 0
        for kind, n in below.items():
            table.loc[kind, NON_MATCH] = (table[NON_MATCH].get(kind, 0) or 0) + n
    table = table.fillna(0).astype(int).reindex(columns=[b for b in (MATCH, REVIEW, NON_MATCH)
                                                         if b in table])
    table.columns = [BAND_WORDS[b] for b in table.columns]
    table.index.name = "pairs per kind and band"
    parts.append("<h2>Pairs per kind and band</h2>" + table.to_html(border=0))
    if any(below.values()):
        parts.append(f"<p>{sum(below.values()):,} of these pairs scored below "
                     f"{SCORE_FLOOR:g}: they are counted as non-matches but not kept, so the "
                     "histogram, the agreement table and the pairs below leave them out.</p>")
    return parts


def _agreement_html(pairs: pd.DataFrame) -> str:
    """The share of pairs that agree on each comparison."""
    agreement = {c[4:]: float((pairs[c] > 0).mean()) for c in pairs.columns
                 if c.startswith("pts_")}
    return "<h2>Agreement per comparison</h2><table>" + "".join(
        f"<tr><td>{html.escape(k)}</td><td>{v:.1%}</td></tr>" for k, v in agreement.items()) \
        + "</table>"


def _decisions_html(decisions: pd.DataFrame | None) -> str:
    """Every decision the analyst took about this list's records, with its time and run."""
    if decisions is None or not len(decisions):
        return ("<h2>The analyst's decisions</h2><p>No pair of this list has been decided by "
                "an analyst.</p>")
    when = pd.to_datetime(decisions["decided_at"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    cells = [decisions["level"], "row " + decisions["source_rows"].astype(str),
             decisions["candidate"], decisions["decision"].map(ANSWER_WORDS)
             .fillna(decisions["decision"]), when + " UTC", decisions["run_id"].fillna("")]
    escaped = [c.astype(str).map(html.escape).to_numpy() for c in cells]
    body = "".join("<tr class='decision'>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
                   for row in zip(*escaped, strict=True))
    return (f"<h2>The analyst's decisions ({len(decisions)})</h2><p>Every pair of this list an "
            "analyst decided, oldest first; later runs use them and never ask again.</p>"
            "<table class='decisions'><tr><th>level</th><th>incoming</th><th>candidate</th>"
            "<th>answer</th><th>decided at</th><th>in run</th></tr>" + body + "</table>")


_PAIRS_CONTROLS = ('<h2>Pairs</h2><p><input id="search" placeholder="search pairs and '
                   'decisions: a name, a row, a CRM id…" oninput="filterPairs(this.value)"> '
                   '<span id="shown"></span> shown · sort by '
                   '<select id="sort" onchange="sortPairs(this.value)">'
                   '<option value="score:asc">score, low first</option>'
                   '<option value="score:desc">score, high first</option>'
                   '<option value="row:asc">incoming row</option></select></p>')
_SECTIONS = ((REVIEW, "Review band"), (MATCH, "Accepted pairs"), (NON_MATCH, "Non-matches"))


def _pair_sections(table: pd.DataFrame, shown: pd.DataFrame, below: int) -> list[str]:
    """One paged section per band, drawn by the script from the pairs' JSON (``table``: every
    pair kept, with its band)."""
    parts = [_PAIRS_CONTROLS]
    if len(shown) < len(table):
        parts.append(f"<p class='note'>This page holds {len(shown):,} of the {len(table):,} "
                     "pairs kept: the decided and accepted pairs first, then the review band, "
                     "then the closest non-matches. Every pair is in duplicate_pairs.csv beside "
                     "this report.</p>")
    for band, label in _SECTIONS:
        total, here = int((table["band"] == band).sum()), int((shown["band"] == band).sum())
        count = f"{total:,}" if here == total else f"{here:,} of {total:,}"
        if band == NON_MATCH and below:
            count += (f" kept; {below:,} more scored below {SCORE_FLOOR:g}: counted, not kept; "
                      f"{total + below:,} in all")
        parts.append(f"<h3>{label} ({count})</h3><p class='pager' data-band='{band}'>"
                     f"<button onclick=\"turnPage('{band}',-1)\">previous</button>"
                     f"<span class='where'></span><button onclick=\"turnPage('{band}',1)\">"
                     f"next</button></p><div class='pairs' data-band='{band}'></div>")
    parts.append("<script type='application/json' id='pairs-data'>" + pairs_json(shown)
                 + "</script>")
    return parts


def write_duplicate_report(matches, prepared, con: duckdb.DuckDBPyConnection,
                           definition: Definition, path: str | Path, *,
                           summary: RunSummary | None = None,
                           decisions: pd.DataFrame | None = None,
                           limit: int = MAX_PAIRS_SHOWN) -> Path:
    """Write duplicate_report.html (summary, histogram, decisions, every accepted pair, the
    review band and the closest non-matches, up to ``limit`` pairs) and duplicate_pairs.csv
    (every pair) beside it."""
    pairs, path = matches.pairs, Path(path)
    # the pairs' table is built and written a part at a time; each part's candidates for the
    # page are kept (the page's pairs of all parts are among them)
    kept: list[pd.DataFrame] = []

    def keep(part: pd.DataFrame) -> None:
        # the best ``limit`` so far and this part's: never more than twice the page's pairs
        kept[:] = [shown_pairs(pd.concat([*kept, shown_pairs(part, limit)]), limit)]

    write_pairs_csv(pair_parts(pairs, prepared.std, con, getattr(matches, "rows", None),
                               decisions), path.with_name("duplicate_pairs.csv"), keep=keep)
    parts = _report_head(definition)
    if pairs.empty:
        parts.extend(["<h2>Summary of the run</h2>" + summary.to_html()] if summary else [])
        parts.append(_decisions_html(decisions))
        parts.append("<p>No candidate pairs were found.</p></body></html>")
        return atomic_write_text(path, "".join(parts))
    below = getattr(matches, "below_floor", {}) or {}
    parts.extend(_summary_html(pairs, below, summary))
    parts.append(f'<h2>Score distribution</h2><img alt="score histogram" '
                 f'src="data:image/png;base64,{_histogram(pairs, definition)}">')
    parts.append(_agreement_html(pairs))
    parts.append(_decisions_html(decisions))
    shown = kept[0]
    parts.extend(_pair_sections(pairs, shown, sum(below.values())))
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


def _chart_panels(counts: RunSummary | dict) -> list[tuple[str, dict[str, int]]]:
    """The bars of the outcome chart: from a run's summary, or from a manifest's counts."""
    if isinstance(counts, dict):
        return [(title, counts.get(key, {})) for key, title in (
            ("status", "rows per status"), ("org_action", "organisations"),
            ("person_action", "persons"), ("contact_action", "contacts"))]
    from workbench.summary import COUNTS

    panels = []
    for section, title in (("rows", "rows per outcome"), ("organisations", "organisations"),
                           ("persons", "persons"), ("contacts", "contacts")):
        panels.append((title, {label: int(getattr(counts, name)) for name, s, label, _ in COUNTS
                               if s == section and name not in ("rows_read", "org_found",
                                                                "person_found")}))
    return panels


def outcome_chart(counts: RunSummary | dict) -> Chart:
    """A bar chart of rows per outcome and records per action, for the notebooks."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 2.8), dpi=100)
    panels = _chart_panels(counts)
    for i, (title, values) in enumerate(panels, 1):
        ax = fig.add_subplot(1, len(panels), i)
        ax.barh(list(values), list(values.values()), color="#1976d2")
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=8)
        for y, v in enumerate(values.values()):
            ax.text(v, y, f" {v}", va="center", fontsize=7)
    fig.tight_layout()
    return Chart(fig)
