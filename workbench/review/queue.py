"""The review queue: doubtful pairs in asking order, the analyst's decisions and where they are."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench.definition import Thresholds
from workbench.labels import label
from workbench.match.classify import REVIEW
from workbench.state import save_decision

LEVEL_OF_KIND = {"crm_organisation": "organisation", "file_organisation": "organisation",
                 "crm_person": "person", "file_person": "person"}

SAME, DIFFERENT, SAME_ORG, SKIP, BACK = "same", "different", "same_org_other_person", "skip", "back"
# the answers' words live in workbench/labels.py ("review.<action>"); English here for messages
ACTIONS: dict[str, str] = {a: label(f"review.{a}", "en")
                           for a in (SAME, DIFFERENT, SAME_ORG, SKIP, BACK)}
KEYS: dict[str, str] = {"s": SAME, "d": DIFFERENT, "o": SAME_ORG, "k": SKIP, "b": BACK}
KEY_OF = {action: key for key, action in KEYS.items()}
FILE_KINDS = ("file_organisation", "file_person")
# "Same organisation, other person" means something only when two persons are compared.
ACTIONS_OF_LEVEL: dict[str, tuple[str, ...]] = {
    "person": (SAME, DIFFERENT, SAME_ORG, SKIP, BACK),
    "organisation": (SAME, DIFFERENT, SKIP, BACK)}


def pair_keys(pairs: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Every pair's level, row fingerprint and candidate: the key its decision is stored under
    (``rows``: the match rows indexed by source_row)."""
    level = pairs["kind"].map(LEVEL_OF_KIND)
    fp_col = level.map({"organisation": "org_fp", "person": "person_fp"})
    return pd.DataFrame({
        "level": level,
        "fingerprint": [rows.at[r, c] for r, c in zip(pairs["left_row"], fp_col, strict=True)],
        "candidate": [str(k) if kind.startswith("crm") else rows.at[k, c]
                      for kind, k, c in zip(pairs["kind"], pairs["right_key"], fp_col,
                                            strict=True)]}, index=pairs.index)


def review_queue(matches, prepared, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """Undecided pairs in the review band, most doubtful first, with their decision keys."""
    pairs = matches.pairs
    if pairs.empty:
        return pairs
    decided = pairs["decided"].fillna(False).astype(bool) if "decided" in pairs else False
    queue = pairs[(pairs["band"] == REVIEW) & ~decided].copy()
    keys = pair_keys(queue, matches.rows.set_index("source_row"))
    queue[["level", "fingerprint", "candidate"]] = keys[["level", "fingerprint", "candidate"]]
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
    if decision == SAME_ORG:  # the organisations agree, the persons do not
        if level != "person":
            raise ValueError("'same organisation, other person' is an answer for person pairs "
                             f"only, not for an {level} pair")
        return DIFFERENT
    if decision == SKIP:
        return None
    raise ValueError(f"unknown decision {decision!r} (use {', '.join(ACTIONS)})")


def decide(state_path: str | Path, item: pd.Series, decision: str,
           run_id: str | None = None) -> str | None:
    """Store the analyst's decision on one queued pair at once; returns what was stored."""
    stored = stored_decision(item["level"], decision)
    if stored is not None:
        names = item.get("names")
        save_decision(state_path, item["level"], item["fingerprint"], item["candidate"], stored,
                      run_id=run_id, source_row=int(item["left_row"]), score=float(item["score"]),
                      names=None if names is None or pd.isna(names) else str(names))
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


def action_label(action: str, lang: str | None = None) -> str:
    """An answer's words on the screen, in ``lang`` ("Same", "Dezelfde")."""
    return label(f"review.{action}", lang)


def score_bands(queue: pd.DataFrame, width: float = 0.1,
                lang: str | None = None) -> list[tuple[str, tuple[float, float] | None]]:
    """Dropdown options: every score, then each band of ``width`` that holds pairs (high first)."""
    options: list[tuple[str, tuple[float, float] | None]] = [
        (label("review.all_scores", lang, n=len(queue)), None)]
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
    language: str | None = None  # of the progress line (workbench/labels.py)

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
        if action not in self.actions():
            raise ValueError(f"{ACTIONS.get(action, action)!r} is not an answer for this pair")
        for member in self.members(position):  # a cluster: the same decision for every pair
            decide(self.state_path, self.queue.iloc[member], action, self.run_id)
            if action != SKIP:
                self.decisions[member] = action
        self.cursor += 1

    def actions(self) -> tuple[str, ...]:
        """The answers that mean something for the pair on screen."""
        position = self.current
        if position is None:
            return (BACK,)
        return ACTIONS_OF_LEVEL[str(self.queue.iloc[position]["level"])]

    def key(self, key: str) -> bool:
        """Apply a keyboard shortcut; False for keys that mean nothing (here)."""
        action = KEYS.get(key.lower())
        if action is None or action not in self.actions():
            return False
        self.act(action)
        return True

    def set_filter(self, band: tuple[float, float] | None) -> None:
        """Show only one score band; start at its first undecided pair."""
        self.order = question_order(filter_queue(self.queue, band), self.clusters or {})
        undecided = [i for i, p in enumerate(self.order) if p not in self.decisions]
        self.cursor = undecided[0] if undecided else len(self.order)

    def progress(self) -> str:
        """'3 of 12 pairs decided · question 4 of 10' (a cluster is one question)."""
        shown = min(self.cursor + 1, len(self.order))
        return label("review.progress", self.language, decided=len(self.decisions),
                     total=len(self.queue), shown=shown, asked=len(self.order))

