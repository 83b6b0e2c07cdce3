"""The profile as a self-contained HTML page (inline charts, no external files) and as JSON."""
from __future__ import annotations

import base64
import html
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.atomic import atomic_write_text
from workbench.labels import label, language_of, meaning_label, number

from .stats import TOP


def fill_rate_figure(profile: dict[str, Any], lang: str | None = None) -> Any:
    """The fill rate per column as a chart (a PNG in a notebook; ``.figure`` is the Figure)."""
    # Figure + FigureCanvasAgg instead of pyplot: no global backend switch in a notebook.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = [c["name"] for c in profile["columns"]][::-1]
    rates = [c["fill_rate"] * 100 for c in profile["columns"]][::-1]
    figure = Figure(figsize=(7, max(1.5, 0.3 * len(names) + 0.8)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.barh(range(len(names)), rates, color="#3b7dd8")
    axes.set_yticks(range(len(names)), [n[:40] for n in names], fontsize=8)
    axes.set_xlim(0, 100)
    axes.set_xlabel(label("chart.filled_percent", lang))
    axes.bar_label(bars, fmt="%.0f%%", fontsize=7, padding=2)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    from workbench.report import Chart

    return Chart(figure)  # a bare Figure shows only as text without pyplot's inline backend


def _fill_rate_chart(profile: dict[str, Any], lang: str | None = None) -> str:
    """Return a horizontal bar chart of the fill rates as a base64 PNG."""
    return base64.b64encode(fill_rate_figure(profile, lang)._repr_png_()).decode("ascii")


def _svg_bar(share: float, width: int = 160) -> str:
    filled = max(0.0, min(1.0, share)) * width
    return (f'<svg width="{width}" height="10" role="img" aria-label="{share:.0%}">'
            f'<rect width="{width}" height="10" fill="#e6e6e6"/>'
            f'<rect width="{filled:.1f}" height="10" fill="#3b7dd8"/></svg>')


def _svg_pattern_bars(patterns: list[list[Any]], filled: int, lang: str | None = None) -> str:
    """Horizontal bars of the most frequent patterns, as inline SVG (one per pattern)."""
    if not patterns or not filled:
        return ""
    row, left, bar = 16, 170, 200  # left: the width of the pattern texts
    top = max(c for _, c in patterns)
    items = []
    for i, (pattern, count) in enumerate(patterns):
        y = i * row
        width = bar * count / top if top else 0
        text = str(pattern) if len(str(pattern)) <= 24 else str(pattern)[:23] + "…"
        items.append(
            f'<text x="{left - 4}" y="{y + 12}" text-anchor="end" font-family="monospace" '
            f'font-size="11">{html.escape(text)}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{width:.1f}" height="11" fill="#3b7dd8"/>'
            f'<text x="{left + width + 4:.1f}" y="{y + 12}" font-size="10">'
            f'{count / filled:.0%}</text>')
    height = row * len(patterns) + 4
    return (f'<figure><figcaption>{label("chart.patterns", lang)}</figcaption>'
            f'<svg width="{left + bar + 50}" height="{height}" role="img" '
            f'aria-label="{label("chart.patterns", lang)}">{"".join(items)}</svg></figure>')


def _svg_length_histogram(histogram: list[list[int]], lang: str | None = None) -> str:
    """Columns of rows per value length, as inline SVG."""
    if not histogram:
        return ""
    width, height, gap = 260, 70, 1
    top = max(n for _, _, n in histogram)
    step = width / len(histogram)
    bars = []
    for i, (low, high, n) in enumerate(histogram):
        h = max(1.0, (height - 14) * n / top)
        length = f"{low}" if low == high else f"{low}-{high}"
        bars.append(f'<rect x="{i * step:.1f}" y="{height - 14 - h:.1f}" '
                    f'width="{max(step - gap, 1):.1f}" height="{h:.1f}" fill="#7aa6e0">'
                    f'<title>{label("chart.length_bar", lang, length=length, rows=number(n, lang))}'
                    '</title></rect>')
    first, last = histogram[0][0], histogram[-1][1]
    return (f'<figure><figcaption>{label("chart.lengths", lang)}</figcaption>'
            f'<svg width="{width}" height="{height}" role="img" aria-label="length histogram">'
            f'{"".join(bars)}<text x="0" y="{height - 2}" font-size="10">{first}</text>'
            f'<text x="{width}" y="{height - 2}" font-size="10" text-anchor="end">{last}</text>'
            f'</svg></figure>')


def _pairs_table(title: str, pairs: Iterable[list[Any]], lang: str | None = None) -> str:
    rows = "".join(f"<tr><td><code>{html.escape(str(v))}</code></td><td>{int(c):,}</td></tr>"
                   for v, c in pairs)
    return (f"<table><tr><th>{html.escape(title)}</th><th>{label('count', lang)}</th></tr>"
            f"{rows}</table>" if rows else f"<p>{html.escape(title)}: {label('none', lang)}</p>")


def _reasons_list(col: dict[str, Any], kind: str) -> str:
    """The examples of ``kind`` (invalid / doubtful), each with the reason it got."""
    esc = html.escape
    reasons = col.get(f"{kind}_reasons") or [""] * len(col[f"{kind}_examples"])
    items = "".join(f"<li><code>{esc(str(v))}</code>" + (f": {esc(str(r))}" if r else "")
                    + "</li>" for v, r in zip(col[f"{kind}_examples"], reasons, strict=False))
    return f"<ul class=\"{kind}\">{items}</ul>"


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2em;color:#222;max-width:60em}
table{border-collapse:collapse;margin:.4em 1em .8em 0;display:inline-table;vertical-align:top}
td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left;font-size:.9em}
section{border-top:1px solid #ddd;margin-top:1.2em}
.meaning{font-weight:bold;color:#1d5fa8}.bad{color:#b00020}
.warnings{background:#fff4e5;border-left:4px solid #e69500;padding:.4em 1em;margin:1em 0}
figure{display:inline-block;margin:.2em 1.2em .6em 0;vertical-align:top}
figcaption{font-size:.8em;color:#555}
"""


def column_html(col: dict[str, Any], lang: str | None = None) -> str:
    """Return the HTML section of one column: meaning, fill, charts, top values, invalid ones."""
    esc = html.escape
    meaning = meaning_label(col["meaning"], lang)
    parts: list[str] = [
        f"<section><h3>{esc(col['name'])}</h3>",
        f"<p><span class=\"meaning\">{esc(meaning)}</span> "
        f"({label('confidence', lang)} {col['confidence']:.0%})"
        + (f" &middot; {label('written', lang)} {esc(col['date_format'])}"
           if col.get("date_format") else "")
        + (f" &middot; {label('values_masked', lang)}" if col.get("masked") else "") + "</p>",
        f"<p>{label('filled', lang)} {col['filled']:,} ({col['fill_rate']:.1%}) "
        f"{_svg_bar(col['fill_rate'])} &middot; {label('distinct', lang)} {col['distinct']:,}"
        f" &middot; {label('length', lang)} {col['min_length']}&ndash;{col['max_length']}</p>",
        _svg_pattern_bars(col["patterns"], col["filled"], lang),
        _svg_length_histogram(col.get("length_histogram") or [], lang),
        "<br>",
        _pairs_table(label("pattern", lang), col["patterns"][:TOP], lang),
        _pairs_table(label("top_value", lang), col["top_values"], lang),
    ]
    if col["invalid_count"]:
        text = label("invalid_for", lang, count=f"{col['invalid_count']:,}", meaning=meaning)
        parts.append(f"<p class=\"bad\">{esc(text)}</p>{_reasons_list(col, 'invalid')}")
    if col.get("doubtful_count"):
        text = label("doubtful_for", lang, count=f"{col['doubtful_count']:,}")
        parts.append(f"<p>{esc(text)}</p>{_reasons_list(col, 'doubtful')}")
    parts.append("</section>")
    return "\n".join(parts)


def warnings_html(profile: dict[str, Any], lang: str | None = None) -> str:
    """The profile's warnings as a list under a heading, for a notebook (or "No warnings.")."""
    items = "".join(f"<li>{html.escape(str(w))}</li>" for w in profile.get("warnings") or [])
    return (f"<b>{label('warnings', lang)}</b><ul>{items}</ul>" if items
            else label("profile.no_warnings", lang))


def render_html(profile: dict[str, Any], lang: str | None = None) -> str:
    """Return the profile as a self-contained HTML page (inline chart, no external files)."""
    esc = html.escape
    dup = profile["duplicates"]
    title = esc(label("profile_of", lang, file=str(profile.get("file") or "table")))
    parts = [
        f"<!DOCTYPE html><html lang=\"{language_of(lang)}\"><head><meta charset=\"utf-8\">",
        f"<title>{title}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{title}</h1>",
    ]
    warnings = profile.get("warnings") or []
    if warnings:
        items = "".join(f"<li>{esc(str(w))}</li>" for w in warnings)
        parts.append(f'<div class="warnings" id="warnings"><h2>{label("warnings", lang)} '
                     f'({len(warnings)})</h2><ul>{items}</ul></div>')
    read = profile.get("read") or {}
    how = ", ".join(f"{k} {esc(repr(v) if k == 'delimiter' else str(v))}"
                    for k, v in read.items())

    def row(key: str, value: object) -> str:
        return f"<tr><th>{esc(label(key, lang))}</th><td>{value}</td></tr>"

    parts += [
        f"<h2>{label('overview', lang)}</h2><table>",
        row("read_as", how) if how else "",
        row("file", esc(str(profile.get("file") or ""))),
        row("rows", f"{profile['rows']:,}"),
        row("blank_rows", f"{profile['blank_rows']:,}"),
        row("columns", f"{len(profile['columns']):,}"),
        row("exact_duplicates", f"{dup['exact']:,}"),
        row("normalised_duplicates", f"{dup['normalised']:,}"),
        "</table>",
    ]
    if dup["examples"]:
        examples = ", ".join(f"{a} = {b}" for a, b in dup["examples"])
        parts.append(f"<p>{label('examples_source_rows', lang)}: {esc(examples)}</p>")
    if profile["columns"]:
        parts.append(f"<h2>{label('fill_rate', lang)}</h2>")
        parts.append(f'<img alt="fill rate per column" '
                     f'src="data:image/png;base64,{_fill_rate_chart(profile, lang)}">')
    parts.append(f"<h2>{label('columns', lang).capitalize()}</h2>")
    parts += [column_html(col, lang) for col in profile["columns"]]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_profile(profile: dict[str, Any], out_dir: str | Path,
                  lang: str | None = None) -> tuple[Path, Path]:
    """Write ``profile.json`` and a self-contained ``profile.html`` (in ``lang``) into ``out_dir``."""
    out = Path(out_dir)
    json_path = atomic_write_text(out / "profile.json",
                                  json.dumps(profile, ensure_ascii=False, indent=2) + "\n")
    html_path = atomic_write_text(out / "profile.html", render_html(profile, lang))
    return json_path, html_path
