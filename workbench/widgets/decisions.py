"""The decisions view: every stored decision (this list and earlier runs), searchable, reopenable
and changeable; a change is stored at once and the change-set preview follows (ipywidgets)."""
from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.labels import label, language_of
from workbench.review.decisions import (
    answers_for,
    change_decision,
    decision_label,
    decision_log,
    decisions_view,
    search_decisions,
)
from workbench.review.queue import action_label

SHOWN = 200  # entries listed at once; the search narrows the rest down

class DecisionsView:
    """A list of decisions with a search box; the one picked can be given another answer."""

    def __init__(self, state_path: str | Path, pairs: pd.DataFrame, rows: pd.DataFrame,
                 names: pd.Series | None = None, run_id: str | None = None,
                 on_change: Callable[[], None] | None = None,
                 pair_html: Callable[[int], str | None] | None = None,
                 language: str | None = None) -> None:
        self.language = language_of(language)
        self.state_path, self.pairs, self.rows, self.names = state_path, pairs, rows, names
        self.run_id, self.on_change, self.pair_html = run_id, on_change, pair_html
        self.entries = pd.DataFrame()
        self._build()
        self.reload()

    def word(self, key: str, **values: object) -> str:
        """A screen text in the analyst's language (``decisions.*`` of workbench/labels.py)."""
        return label(f"decisions.{key}", self.language, **values)

    def _build(self, search: str = "") -> None:
        """Make the view's widgets (again, after the browser lost them)."""
        import ipywidgets as w

        self.search = w.Text(value=search, description=self.word("search"),
                             placeholder=self.word("search_hint"),
                             continuous_update=True)
        self.search.add_class("wb-decisions-search")
        self.search.observe(lambda _ch: self.refresh_list(), "value")
        self.count = w.HTML()
        self.count.add_class("wb-decisions-count")
        self.list = w.Select(options=[], rows=8, layout=w.Layout(width="100%"))
        self.list.add_class("wb-decisions-list")
        self.list.observe(lambda ch: self.show(ch["new"]), "value")
        self.detail = w.HTML(self.word("pick"))
        self.detail.add_class("wb-decisions-detail")
        self.answer_box = w.HBox([])
        self.view = w.VBox([w.HBox([self.search, self.count]), self.list, self.detail,
                            self.answer_box])
        self.view.add_class("wb-decisions")

    def rebuild(self) -> None:
        """Fresh widgets with the same search and the same decision open."""
        picked = self.list.value
        self._build(self.search.value)
        self.refresh_list()
        if picked is not None and picked in {v for _, v in self.list.options}:
            self.list.value = picked

    def reload(self) -> None:
        """Read the decisions from the state file again and list them."""
        self.entries = decisions_view(decision_log(self.state_path), self.pairs, self.rows,
                                      self.names, self.language)
        self.refresh_list()

    def applying(self) -> int:
        """How many stored decisions are about pairs of this list."""
        return int(self.entries["this_list"].sum()) if len(self.entries) else 0

    def refresh_list(self) -> None:
        """List the decisions the search finds (this list's first)."""
        found = search_decisions(self.entries, self.search.value)
        found = found.sort_values("this_list", ascending=False, kind="stable")
        options = [(decision_label(e, self.language), int(i)) for i, e in found.head(SHOWN).iterrows()]
        keep = self.list.value
        self.list.options = options
        if keep in {v for _, v in options}:
            self.list.value = keep
        self.count.value = (self.word("count", shown=len(options), total=len(self.entries),
                                       here=self.applying())
                            if len(self.entries) else self.word("none"))

    def show(self, index: int | None) -> None:
        """Reopen one decision: its pair (when this list has it) and the answers it can take."""
        import ipywidgets as w

        if index is None or index not in self.entries.index:
            self.detail.value, self.answer_box.children = self.word("pick"), ()
            return
        entry = self.entries.loc[index]
        shown = self.pair_html(index) if self.pair_html else None
        self.detail.value = (f"<p class='wb-decisions-current'>{html.escape(decision_label(entry, self.language))}"
                             f"</p>{shown or ''}")
        buttons = [w.Label(self.word("change_to"))]
        for answer in answers_for(str(entry["level"])):
            b = w.Button(description=action_label(answer, self.language), layout=w.Layout(width="auto"))
            b.add_class(f"wb-decisions-{answer.replace('_', '-')}")
            b.on_click(lambda _b, a=answer, i=index: self.change(i, a))
            buttons.append(b)
        self.answer_box.children = tuple(buttons)

    def change(self, index: int, answer: str) -> None:
        """Store another answer for one decision; list it again and let the preview follow."""
        entry = self.entries.loc[index]
        stored = change_decision(self.state_path, entry, answer, self.run_id)
        key = tuple(entry[["level", "fingerprint", "candidate"]])
        self.reload()
        again = self.entries.index[
            (self.entries["level"] == key[0]) & (self.entries["fingerprint"] == key[1])
            & (self.entries["candidate"] == key[2])]
        if len(again):
            self.list.value = int(again[0])
            self.show(int(again[0]))
        self.detail.value += (f"<p class='wb-decisions-changed'>"
                              f"{self.word('changed', answer=html.escape(action_label(stored, self.language)))}</p>")
        if self.on_change is not None:
            self.on_change()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return self.view._repr_mimebundle_(**kwargs)
