"""Review of doubtful pairs: the queue (plain data, tested) and a small ipywidgets front end."""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from workbench.match.classify import REVIEW
from workbench.state import save_decision

LEVEL_OF_KIND = {"crm_organisation": "organisation", "file_organisation": "organisation",
                 "crm_person": "person", "file_person": "person"}


def review_queue(matches, prepared) -> pd.DataFrame:
    """Pairs in the review band, most doubtful first, with the fingerprints decisions are stored under."""
    pairs = matches.pairs
    if pairs.empty:
        return pairs
    queue = pairs[(pairs["band"] == REVIEW) & ~pairs.get("decided", False)].copy()
    rows = matches.rows.set_index("source_row")
    queue["level"] = queue["kind"].map(LEVEL_OF_KIND)
    fp_col = queue["level"].map({"organisation": "org_fp", "person": "person_fp"})
    queue["fingerprint"] = [rows.at[r, c] for r, c in zip(queue["left_row"], fp_col, strict=True)]
    queue["candidate"] = [
        str(k) if kind.startswith("crm") else rows.at[k, c]
        for kind, k, c in zip(queue["kind"], queue["right_key"], fp_col, strict=True)]
    # the closer to the middle of the band, the less the score says: ask those first
    mid = queue["score"].median() if len(queue) else 0.5
    queue["doubt"] = (queue["score"] - mid).abs()
    return queue.sort_values(["doubt", "left_row"]).reset_index(drop=True)


def decide(state_path: str | Path, item: pd.Series, decision: str, run_id: str | None = None) -> None:
    """Store the analyst's decision on one queued pair."""
    save_decision(state_path, item["level"], item["fingerprint"], item["candidate"], decision,
                  run_id=run_id, source_row=int(item["left_row"]), score=float(item["score"]))


class ReviewWidget:
    """One pair at a time, side by side; Same / Different / Skip / Back; decisions stored at once."""

    def __init__(self, queue: pd.DataFrame, pair_html, state_path: str | Path) -> None:
        import ipywidgets as w

        self.queue = queue
        self.pair_html = pair_html
        self.state_path = state_path
        self.position = 0
        self.decisions: dict[int, str] = {}
        self.progress = w.HTML()
        self.body = w.HTML()
        self.buttons = {}
        for name, label, style in (("same", "Same (s)", "success"),
                                   ("different", "Not the same (d)", "danger"),
                                   ("skip", "Skip (k)", ""), ("back", "Back (b)", "")):
            button = w.Button(description=label, button_style=style)
            button.add_class(f"wb-review-{name}")
            button.on_click(lambda _b, n=name: self.act(n))
            self.buttons[name] = button
        self.view = w.VBox([self.progress, self.body, w.HBox(list(self.buttons.values()))])
        self.view.add_class("wb-review")
        self.render()

    def act(self, action: str) -> None:
        """Apply a button press."""
        if action == "back":
            self.position = max(0, self.position - 1)
        elif self.position < len(self.queue):
            if action in ("same", "different"):
                decide(self.state_path, self.queue.iloc[self.position], action)
                self.decisions[self.position] = action
            self.position += 1
        self.render()

    def render(self) -> None:
        """Show the current pair and the progress."""
        total = len(self.queue)
        self.progress.value = (f"<b>{len(self.decisions)} decided</b> · pair "
                               f"{min(self.position + 1, total)} of {total}")
        if self.position >= total:
            self.body.value = "<p>All pairs in the review band have been seen.</p>"
        else:
            self.body.value = self.pair_html(self.queue.iloc[self.position])

    def _repr_mimebundle_(self, **kwargs):
        return self.view._repr_mimebundle_(**kwargs)


def pair_renderer(matches, prepared, con):
    """A function that renders one queued pair as HTML (uses the duplicate report's layout)."""
    from workbench.report import pair_html, pair_records

    data = pair_records(matches.pairs, prepared.std, con)

    def render(item: pd.Series) -> str:
        return pair_html(item, data)

    return render


def summary_html(counts: dict) -> str:
    """Counts per status and action as a small HTML table."""
    cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                    for k, v in counts.items())
    return f"<table>{cells}</table>"
