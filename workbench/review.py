"""Review of doubtful pairs: the queue and session logic (plain data, tested) and an ipywidgets view."""
from __future__ import annotations

import html
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.definition import Thresholds
from workbench.match.classify import REVIEW
from workbench.report import display_value
from workbench.state import save_decision

LEVEL_OF_KIND = {"crm_organisation": "organisation", "file_organisation": "organisation",
                 "crm_person": "person", "file_person": "person"}

SAME, DIFFERENT, SAME_ORG, SKIP, BACK = "same", "different", "same_org_other_person", "skip", "back"
ACTIONS: dict[str, str] = {SAME: "Same", DIFFERENT: "Not the same",
                           SAME_ORG: "Same organisation, other person", SKIP: "Skip", BACK: "Back"}
KEYS: dict[str, str] = {"s": SAME, "d": DIFFERENT, "o": SAME_ORG, "k": SKIP, "b": BACK}
KEY_OF = {action: key for key, action in KEYS.items()}
FILE_KINDS = ("file_organisation", "file_person")


def review_queue(matches, prepared, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """Undecided pairs in the review band, most doubtful first, with their decision keys."""
    pairs = matches.pairs
    if pairs.empty:
        return pairs
    decided = pairs["decided"].fillna(False).astype(bool) if "decided" in pairs else False
    queue = pairs[(pairs["band"] == REVIEW) & ~decided].copy()
    rows = matches.rows.set_index("source_row")
    queue["level"] = queue["kind"].map(LEVEL_OF_KIND)
    fp_col = queue["level"].map({"organisation": "org_fp", "person": "person_fp"})
    queue["fingerprint"] = [rows.at[r, c] for r, c in zip(queue["left_row"], fp_col, strict=True)]
    queue["candidate"] = [
        str(k) if kind.startswith("crm") else rows.at[k, c]
        for kind, k, c in zip(queue["kind"], queue["right_key"], fp_col, strict=True)]
    # The middle of the band is where the score says least: ask those first.
    if thresholds is not None:
        mid = (thresholds.match + thresholds.review) / 2
    else:
        mid = queue["score"].median() if len(queue) else 0.5
    queue["doubt"] = (queue["score"] - mid).abs()
    return queue.sort_values(["doubt", "left_row"], kind="stable").reset_index(drop=True)


def stored_decision(level: str, decision: str) -> str | None:
    """What the state file keeps for a decision (None: nothing, the pair is asked again)."""
    if decision in (SAME, DIFFERENT):
        return decision
    if decision == SAME_ORG:  # the organisations agree; for a person pair the persons do not
        return SAME if level == "organisation" else DIFFERENT
    if decision == SKIP:
        return None
    raise ValueError(f"unknown decision {decision!r} (use {', '.join(ACTIONS)})")


def decide(state_path: str | Path, item: pd.Series, decision: str,
           run_id: str | None = None) -> str | None:
    """Store the analyst's decision on one queued pair at once; returns what was stored."""
    stored = stored_decision(item["level"], decision)
    if stored is not None:
        save_decision(state_path, item["level"], item["fingerprint"], item["candidate"], stored,
                      run_id=run_id, source_row=int(item["left_row"]), score=float(item["score"]))
    return stored


def file_clusters(queue: pd.DataFrame) -> dict[int, list[int]]:
    """In-file pairs that share rows, grouped: first queue position -> positions of the cluster."""
    if queue.empty:
        return {}
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]  # path halving keeps long chains cheap
            node = parent[node]
        return node

    ends = [(i, (k, int(a)), (k, int(b))) for i, (k, a, b) in
            enumerate(zip(queue["kind"], queue["left_row"], queue["right_key"], strict=True))
            if k in FILE_KINDS]
    for _, a, b in ends:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[tuple[str, int], list[int]] = {}
    for i, a, _ in ends:
        groups.setdefault(root(a), []).append(i)
    # Two rows are one pair and shown as such; a cluster starts at three rows (two pairs).
    return {members[0]: members for members in groups.values() if len(members) > 1}


def question_order(positions: list[int], clusters: dict[int, list[int]]) -> list[int]:
    """The questions for these queue positions: a cluster once, at its first member's place."""
    first = {m: rep for rep, members in clusters.items() for m in members}
    seen: set[int] = set()
    out = []
    for p in positions:
        rep = first.get(p, p)
        if rep not in seen:
            seen.add(rep)
            out.append(rep)
    return out


def score_bands(queue: pd.DataFrame, width: float = 0.1) -> list[tuple[str, tuple[float, float] | None]]:
    """Dropdown options: every score, then each band of ``width`` that holds pairs (high first)."""
    options: list[tuple[str, tuple[float, float] | None]] = [(f"all scores ({len(queue)})", None)]
    if queue.empty:
        return options
    bins = (queue["score"] // width).clip(upper=round(1 / width) - 1).astype(int)
    for b, count in bins.value_counts().sort_index(ascending=False).items():
        lo, hi = round(b * width, 6), round((b + 1) * width, 6)
        options.append((f"{lo:.2f} – {hi:.2f} ({count})", (lo, hi)))
    return options


def filter_queue(queue: pd.DataFrame, band: tuple[float, float] | None) -> list[int]:
    """Positions in the queue whose score lies in ``[lo, hi)`` (all when ``band`` is None)."""
    if band is None:
        return list(range(len(queue)))
    lo, hi = band
    score = queue["score"].to_numpy()
    keep = (score >= lo) & ((score < hi) | (hi >= 1.0))
    return [int(i) for i in keep.nonzero()[0]]


@dataclass
class ReviewSession:
    """Where the analyst is in the queue and what was decided; stores each decision at once."""

    queue: pd.DataFrame
    state_path: str | Path
    run_id: str | None = None
    order: list[int] = field(default_factory=list)  # questions (queue positions) under the filter
    cursor: int = 0  # index into ``order``
    decisions: dict[int, str] = field(default_factory=dict)  # queue position -> decision
    clusters: dict[int, list[int]] | None = None  # None: found with file_clusters

    def __post_init__(self) -> None:
        if self.clusters is None:
            self.clusters = file_clusters(self.queue)
        if not self.order:
            self.order = question_order(list(range(len(self.queue))), self.clusters)

    def members(self, position: int) -> list[int]:
        """Queue positions decided together with this one (itself, or its whole cluster)."""
        return (self.clusters or {}).get(position, [position])

    @property
    def current(self) -> int | None:
        """Queue position of the pair on screen (None when the filtered queue is done)."""
        return self.order[self.cursor] if self.cursor < len(self.order) else None

    @property
    def done(self) -> bool:
        """True when every pair under the filter has been seen."""
        return self.current is None

    def act(self, action: str) -> None:
        """Decide the current pair (and move on), skip it, or go back one."""
        if action == BACK:
            self.cursor = max(0, self.cursor - 1)
            return
        position = self.current
        if position is None:
            return
        for member in self.members(position):  # a cluster: the same decision for every pair
            decide(self.state_path, self.queue.iloc[member], action, self.run_id)
            if action != SKIP:
                self.decisions[member] = action
        self.cursor += 1

    def key(self, key: str) -> bool:
        """Apply a keyboard shortcut; False for keys that mean nothing."""
        action = KEYS.get(key.lower())
        if action is not None:
            self.act(action)
        return action is not None

    def set_filter(self, band: tuple[float, float] | None) -> None:
        """Show only one score band; start at its first undecided pair."""
        self.order = question_order(filter_queue(self.queue, band), self.clusters or {})
        undecided = [i for i, p in enumerate(self.order) if p not in self.decisions]
        self.cursor = undecided[0] if undecided else len(self.order)

    def progress(self) -> str:
        """'3 of 12 pairs decided · question 4 of 10' (a cluster is one question)."""
        shown = min(self.cursor + 1, len(self.order))
        return (f"{len(self.decisions)} of {len(self.queue)} pairs decided · question {shown} of "
                f"{len(self.order)}")


# -- one pair, side by side ----------------------------------------------------------------------
def pair_fields(item: pd.Series, data: dict) -> list[dict[str, Any]]:
    """The two records aligned field by field: field, incoming, other, differs."""
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
        out.append({"field": crm_col, "incoming": a, "other": b,
                    "differs": a.strip().lower() != b.strip().lower()})
    return out


def contributions(item: pd.Series) -> list[tuple[str, float]]:
    """(comparison, points) that moved the score, largest effect first."""
    pts = [(c[4:], float(item[c])) for c in item.index
           if c.startswith("pts_") and pd.notna(item[c]) and item[c] != 0]
    return sorted(pts, key=lambda p: -abs(p[1]))


_PAIR_CSS = """<style>
.wb-pair table{border-collapse:collapse;margin:4px 0}
.wb-pair td,.wb-pair th{border:1px solid #ccc;padding:2px 8px;text-align:left;font-size:13px}
.wb-pair th{background:#f3f3f3}.wb-pair tr.wb-diff td{background:#ffe0b2;font-weight:bold}
.wb-pair .wb-bar{display:inline-block;height:10px;background:#1976d2}
.wb-pair .wb-bar.neg{background:#c62828}
</style>"""


def pair_view_html(item: pd.Series, data: dict) -> str:
    """One pair: header with score, the aligned records (differences highlighted), the points."""
    other = (f"CRM {item['right_key']}" if str(item["kind"]).startswith("crm")
             else f"row {item['right_key']} of this file")
    rows = "".join(
        f"<tr{' class=wb-diff' if f['differs'] else ''}><th>{html.escape(f['field'])}</th>"
        f"<td>{html.escape(f['incoming'])}</td><td>{html.escape(f['other'])}</td></tr>"
        for f in pair_fields(item, data))
    bars = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{pts:+.1f}</td><td><span class='wb-bar"
        f"{' neg' if pts < 0 else ''}' style='width:{min(int(abs(pts) * 12), 240)}px'></span>"
        "</td></tr>" for name, pts in contributions(item))
    kind = {"crm_organisation": "organisation vs CRM", "file_organisation": "organisation, twice in "
            "the file", "crm_person": "person vs CRM", "file_person": "person, twice in the file"}
    return (f"{_PAIR_CSS}<div class='wb-pair'><b>{html.escape(kind.get(item['kind'], item['kind']))}"
            f"</b> · score <b class='wb-score'>{item['score']:.3f}</b><br>"
            f"<small>{html.escape(str(item.get('explanation', '')))}</small>"
            f"<div style='display:flex;gap:24px;align-items:flex-start'>"
            f"<table><tr><th>field</th><th>incoming row {item['left_row']}</th>"
            f"<th>{html.escape(other)}</th></tr>{rows}</table>"
            f"<table><tr><th>comparison</th><th>points</th><th></th></tr>{bars}</table></div></div>")


# -- a cluster of rows of the file, side by side --------------------------------------------------
def cluster_rows(members: pd.DataFrame) -> list[int]:
    """The file rows of a cluster's pairs, in file order."""
    rows = {int(r) for r in members["left_row"]} | {int(r) for r in members["right_key"]}
    return sorted(rows)


def cluster_fields(members: pd.DataFrame, rows: pd.DataFrame) -> list[dict[str, Any]]:
    """A cluster's rows aligned field by field: field, values (one per row), differs."""
    from workbench.report import ORG_DISPLAY, PERSON_DISPLAY

    display = PERSON_DISPLAY if str(members["kind"].iloc[0]).endswith("person") else ORG_DISPLAY
    records = [rows.loc[r] for r in cluster_rows(members)]
    out = []
    for crm_col, std_col in display:
        values = [display_value(rec.get(std_col), crm_col) for rec in records]
        out.append({"field": crm_col, "values": values,
                    "differs": len({v.strip().lower() for v in values}) > 1})
    return out


def cluster_view_html(members: pd.DataFrame, rows: pd.DataFrame) -> str:
    """A cluster: one column per row (differences highlighted) and the score of every pair."""
    ids = cluster_rows(members)
    level = "person" if str(members["kind"].iloc[0]).endswith("person") else "organisation"
    head = "".join(f"<th>row {r}</th>" for r in ids)
    body = "".join(
        f"<tr{' class=wb-diff' if f['differs'] else ''}><th>{html.escape(f['field'])}</th>"
        + "".join(f"<td>{html.escape(v)}</td>" for v in f["values"]) + "</tr>"
        for f in cluster_fields(members, rows))
    scores = "".join(
        f"<tr><td>rows {int(p['left_row'])} – {int(p['right_key'])}</td><td>{p['score']:.3f}</td>"
        f"<td><small>{html.escape(str(p.get('explanation', '')))}</small></td></tr>"
        for _, p in members.iterrows())
    return (f"{_PAIR_CSS}<div class='wb-pair wb-cluster'><b>{level}: {len(ids)} rows of this file "
            f"look like one</b> · {len(members)} pairs, one decision for all of them"
            f"<div style='display:flex;gap:24px;align-items:flex-start'>"
            f"<table><tr><th>field</th>{head}</tr>{body}</table>"
            f"<table><tr><th>pair</th><th>score</th><th>why</th></tr>{scores}</table></div></div>")


# -- the change set after review -----------------------------------------------------------------
def changeset_counts(ctx, prepared) -> dict:
    """Counts per status and action when the stored decisions are applied (match + build again)."""
    from workbench.pipeline import build, match

    return build(ctx, prepared, match(ctx, prepared)).counts


def counts_html(counts: dict) -> str:
    """Counts per entity and action, and per row status, as a small HTML table."""
    from workbench.changeset import ACTIONS as CS_ACTIONS
    from workbench.changeset import STATUSES

    head = "".join(f"<th>{a}</th>" for a in CS_ACTIONS)
    body = "".join(
        f"<tr><th>{entity}</th>" + "".join(
            f"<td class='wb-count-{entity}-{a}'>{counts.get(f'{entity}_action', {}).get(a, 0)}</td>"
            for a in CS_ACTIONS) + "</tr>"
        for entity in ("org", "person", "contact"))
    status = " · ".join(f"{s}: {counts.get('status', {}).get(s, 0)}" for s in STATUSES)
    return f"<table><tr><th></th>{head}</tr>{body}</table><small>rows {status}</small>"


def pair_renderer(matches, prepared, con) -> Callable[[pd.Series], str]:
    """A function that renders one queued pair as HTML."""
    from workbench.report import pair_records

    data = pair_records(matches.pairs, prepared.std, con)
    return lambda item: pair_view_html(item, data)


def cluster_renderer(prepared) -> Callable[[pd.DataFrame], str]:
    """A function that renders the pairs of one in-file cluster as HTML."""
    rows = prepared.std.set_index("source_row")
    return lambda members: cluster_view_html(members, rows)


# ipyevents marks the screen it listens on; inside the box, so a screenshot shows it too
_WATCHED_CSS = ("<style>.wb-review.ipyevents-watched{outline:2px solid #1976d2;"
                "outline-offset:-2px}</style>")


# -- the widget ----------------------------------------------------------------------------------
class ReviewWidget:
    """One pair (or in-file cluster) at a time; buttons and keys; decisions stored at once."""

    def __init__(self, queue: pd.DataFrame, pair_html: Callable[[pd.Series], str],
                 state_path: str | Path, preview: Callable[[], dict] | None = None,
                 run_id: str | None = None,
                 cluster_html: Callable[[pd.DataFrame], str] | None = None) -> None:
        import ipywidgets as w
        from ipyevents import Event

        started = time.perf_counter()
        # Without a cluster view every pair is asked on its own.
        self.session = ReviewSession(queue, state_path, run_id,
                                     clusters=None if cluster_html else {})
        self.pair_html = pair_html
        self.cluster_html = cluster_html
        self.preview = preview
        self.progress = w.HTML()
        self.progress.add_class("wb-review-progress")
        self.band = w.Dropdown(options=score_bands(queue), description="score")
        self.band.add_class("wb-review-band")
        self.band.observe(lambda ch: self._filter(ch["new"]), "value")
        self.body = w.HTML()
        self.body.add_class("wb-review-body")
        self.buttons: dict[str, Any] = {}
        styles = {SAME: "success", DIFFERENT: "danger", SAME_ORG: "warning", SKIP: "", BACK: ""}
        for action, label in ACTIONS.items():
            button = w.Button(description=f"{label} ({KEY_OF[action]})",
                              button_style=styles[action],
                              layout=w.Layout(width="auto"))
            button.add_class(f"wb-review-{action.replace('_', '-')}")
            button.on_click(lambda _b, a=action: self.act(a))
            self.buttons[action] = button
        self.counts = w.HTML()
        self.counts.add_class("wb-review-changeset")
        refresh = w.Button(description="Update change set preview", layout=w.Layout(width="auto"))
        refresh.add_class("wb-review-refresh")
        refresh.on_click(lambda _b: self.update_preview())
        self.view = w.VBox([
            w.HBox([self.progress, self.band]), self.body,
            w.HBox([*self.buttons.values()]),
            w.HTML(f"{_WATCHED_CSS}<b>keys</b>, with the pointer over this screen (blue frame): "
                   "s same · d not the same · o same organisation, other person · k skip · "
                   "b back"),
            w.HTML("<h4>Change set after review</h4>"), w.HBox([refresh]), self.counts])
        self.view.add_class("wb-review")
        # ipywidgets has no key events; ipyevents sends the browser's keydown to the kernel while
        # the pointer is over the screen (and keeps it from JupyterLab's own shortcuts).
        self.events = Event(source=self.view, watched_events=["keydown"],
                            ignore_modifier_key_events=True)
        self.events.on_dom_event(self.on_key)
        self.render()
        self.open_seconds = time.perf_counter() - started

    def on_key(self, event: dict) -> None:
        """Apply a key press sent by the browser (Ctrl/Alt/Cmd combinations mean nothing here)."""
        if event.get("type") != "keydown" or any(
                event.get(m) for m in ("ctrlKey", "altKey", "metaKey")):
            return
        if self.session.key(str(event.get("key", ""))):
            self.render()

    def _filter(self, band: tuple[float, float] | None) -> None:
        self.session.set_filter(band)
        self.render()

    def act(self, action: str) -> None:
        """Apply a button press."""
        self.session.act(action)
        self.render()

    def update_preview(self) -> None:
        """Recount the change set with every decision stored so far."""
        if self.preview is not None:
            self.counts.value = "updating…"
            self.counts.value = counts_html(self.preview())

    def render(self) -> None:
        """Show the current pair or cluster and the progress."""
        s = self.session
        self.progress.value = f"<b>{html.escape(s.progress())}</b>"
        position = s.current
        if position is None:
            self.body.value = "<p class='wb-review-done'>All pairs under this filter have been seen.</p>"
            self.update_preview()
            return
        previous = s.decisions.get(position)
        note = (f"<p><i>decided earlier: {html.escape(ACTIONS[previous])}</i></p>"
                if previous else "")
        members = s.members(position)
        if len(members) > 1 and self.cluster_html is not None:
            self.body.value = note + self.cluster_html(s.queue.iloc[members])
        else:
            self.body.value = note + self.pair_html(s.queue.iloc[position])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return self.view._repr_mimebundle_(**kwargs)


def open_review(ctx, prepared, matches) -> ReviewWidget:
    """The review screen for a matched file: queue, pair renderer and change-set preview."""
    queue = review_queue(matches, prepared, ctx.definition.thresholds)
    render = pair_renderer(matches, prepared, ctx.con)

    def preview() -> dict:
        return changeset_counts(ctx, prepared)

    return ReviewWidget(queue, render, ctx.state_path, preview=preview,
                        cluster_html=cluster_renderer(prepared))
