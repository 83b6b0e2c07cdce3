"""One summary of a run: every count defined once, built once from the run's results, and the
same object behind the notebooks, the command line, the manifest and the reports."""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from workbench.labels import label, language_of
from workbench.match.classify import MATCH, NON_MATCH, REVIEW
from workbench.screen_sentences import COUNTS_NL

if TYPE_CHECKING:
    from workbench.changeset import ChangeSet
    from workbench.match.engine import MatchResult
    from workbench.pipeline import Prepared

__all__ = ["COUNTS", "RunSummary", "SummaryShown", "count_words", "list_decisions", "run_summary"]

# Every count of a run: (field, section, label, what it counts). The one place a count is named
# and explained; the notebooks, `workbench run`, the manifest and the reports show these.
COUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("rows_read", "rows", "rows read",
     "data rows of the file, blank rows included; the five lines below add up to this"),
    ("rows_accepted", "rows", "accepted",
     "rows that go into the change set"),
    ("rows_merged", "rows", "merged into an earlier row",
     "in-file duplicates: the same organisation and person as an earlier row, whose values may "
     "still fill that record's empty fields"),
    ("rows_awaiting_review", "rows", "skipped: awaiting review",
     "rows with a pair in the review band that no analyst has decided yet"),
    ("rows_skipped", "rows", "skipped: blank or by rule",
     "blank rows, and rows the definition's actions leave out (such as 'create new' off)"),
    ("rows_rejected", "rows", "rejected",
     "rows refused with a reason: they are in rejects.xlsx"),
    ("org_found", "organisations", "found in the CRM",
     "rows whose organisation is a CRM organisation: by an exact key, by score or by the "
     "analyst's decision"),
    ("org_new", "organisations", "new organisations",
     "organisations to create (organisations_insert)"),
    ("org_updated", "organisations", "updated organisations",
     "CRM organisations that get a changed field (organisations_update)"),
    ("org_unchanged", "organisations", "unchanged organisations",
     "CRM organisations named by accepted rows that keep every field as it is"),
    ("org_not_created", "organisations", "not created: create_new is off",
     "rows whose organisation is not in the CRM and is not created, as the definition's "
     "create_new says (the reason is in row_outcomes.csv)"),
    ("org_not_updated", "organisations", "not changed: update_existing is off",
     "rows whose organisation exists in the CRM and is left as it is, as the definition's "
     "update_existing says (the reason is in row_outcomes.csv)"),
    ("person_found", "persons", "found in the CRM",
     "rows whose person is a CRM person: by an exact key, by score or by the analyst's decision"),
    ("person_new", "persons", "new persons", "persons to create (persons_insert)"),
    ("person_updated", "persons", "updated persons",
     "CRM persons that get a changed field (persons_update)"),
    ("person_unchanged", "persons", "unchanged persons",
     "CRM persons named by accepted rows that keep every field as it is"),
    ("person_not_created", "persons", "not created: create_new is off",
     "rows whose person is not in the CRM and is not created, as the definition's create_new "
     "says (the reason is in row_outcomes.csv)"),
    ("person_not_updated", "persons", "not changed: update_existing is off",
     "rows whose person exists in the CRM and is left as it is, as the definition's "
     "update_existing says (the reason is in row_outcomes.csv)"),
    ("contact_new", "contacts", "new contacts",
     "links of a person to an organisation to create (contacts_insert)"),
    ("contact_updated", "contacts", "updated contacts",
     "existing links that get a changed field (contacts_update)"),
    ("pairs_scored", "pairs", "candidate pairs scored",
     "pairs of records compared, against the CRM and inside the file; the three lines below "
     "add up to this"),
    ("pairs_accepted", "pairs", "accepted pairs",
     "pairs judged the same record: scored at or above the match threshold, or decided 'same' "
     "by the analyst"),
    ("pairs_review", "pairs", "pairs in the review band",
     "pairs neither clearly the same nor clearly different, not decided yet"),
    ("pairs_non_match", "pairs", "non-matches",
     "pairs judged different records: scored below the review threshold, or decided "
     "'different' by the analyst"),
    ("decisions_same", "decisions", "decided: same",
     "pairs of this list the analyst decided are the same record (stored in the state file)"),
    ("decisions_different", "decisions", "decided: non-match",
     "pairs of this list the analyst decided are different records (stored in the state file)"),
    ("problems", "values", "values with a problem",
     "values the standardisation could not use or changed with a warning (problems.csv)"),
)


def count_words(name: str, section: str, what: str, means: str,
                lang: str | None = None) -> tuple[str, str, str]:
    """A ``COUNTS`` entry's section, label and explanation in ``lang`` (Dutch: ``COUNTS_NL``)."""
    if language_of(lang) != "nl":
        return section, what, means
    return (label(f"summary.section.{section}", lang), *COUNTS_NL[name])


def _counts(lang: str | None) -> list[tuple[str, str, str, str]]:
    """``COUNTS`` as (field, section, label, what it counts) in ``lang``."""
    return [(name, *count_words(name, *words, lang=lang)) for name, *words in COUNTS]


@dataclass(frozen=True)
class RunSummary:
    """The counts of one run, each defined once in ``COUNTS``."""

    rows_read: int
    rows_accepted: int
    rows_merged: int
    rows_awaiting_review: int
    rows_skipped: int
    rows_rejected: int
    org_found: int
    org_new: int
    org_updated: int
    org_unchanged: int
    org_not_created: int
    org_not_updated: int
    person_found: int
    person_new: int
    person_updated: int
    person_unchanged: int
    person_not_created: int
    person_not_updated: int
    contact_new: int
    contact_updated: int
    pairs_scored: int
    pairs_accepted: int
    pairs_review: int
    pairs_non_match: int
    decisions_same: int
    decisions_different: int
    problems: int

    def frame(self, lang: str | None = None) -> pd.DataFrame:
        """The counts as a table: section, what, count (an integer), what it counts."""
        return pd.DataFrame(
            [(section, what, int(getattr(self, name)), meaning)
             for name, section, what, meaning in _counts(lang)],
            columns=["section", "what", "count", "what it counts"]).astype({"count": "int64"})

    def to_dict(self) -> dict[str, dict[str, int]]:
        """The counts by section and field name, for the manifest."""
        out: dict[str, dict[str, int]] = {}
        for name, section, _label, _meaning in COUNTS:
            out.setdefault(section, {})[name] = int(getattr(self, name))
        return out

    def lines(self, lang: str | None = None) -> list[str]:
        """The counts as short lines for a terminal, one per section."""
        out = []
        counts = _counts(lang)
        for section in dict.fromkeys(s for _, s, _, _ in counts):
            parts = [f"{what} {getattr(self, name)}" for name, s, what, _ in counts
                     if s == section]
            out.append(f"  {section + ':':<15}" + ", ".join(parts))
        return out

    def to_html(self, lang: str | None = None) -> str:
        """The counts as an HTML table, explanations in full (wrapped, never cut)."""
        rows = "".join(
            f"<tr class='wb-count' data-count='{name}'><td>{html.escape(section)}</td>"
            f"<td>{html.escape(what)}</td><td style='text-align:right'>{getattr(self, name)}</td>"
            f"<td style='white-space:normal;max-width:40em'>{html.escape(meaning)}</td></tr>"
            for name, section, what, meaning in _counts(lang))
        head = "".join(f"<th>{label(f'summary.{k}', lang)}</th>"
                       for k in ("section", "what", "count", "what_it_counts"))
        return (f"<table class='wb-summary'><thead><tr>{head}</tr></thead>"
                f"<tbody>{rows}</tbody></table>")

    def in_language(self, lang: str | None) -> SummaryShown:
        """This summary as a notebook shows it in ``lang`` (None: English)."""
        return SummaryShown(self, lang)

    def _repr_html_(self) -> str:
        return self.to_html()


@dataclass(frozen=True)
class SummaryShown:
    """A run's summary shown in the analyst's language (``RunSummary.in_language``)."""

    summary: RunSummary
    lang: str | None = None

    def frame(self) -> pd.DataFrame:
        """The counts as a table, in this language."""
        return self.summary.frame(self.lang)

    def lines(self) -> list[str]:
        """The counts as short lines for a terminal, in this language."""
        return self.summary.lines(self.lang)

    def _repr_html_(self) -> str:
        return self.summary.to_html(self.lang)


def _records(changeset: ChangeSet, table: str) -> int:
    frame = changeset.tables.get(table)
    return 0 if frame is None else len(frame)


def _unchanged(changeset: ChangeSet, entity: str, id_col: str) -> int:
    """CRM records named by accepted rows that this run neither creates nor changes."""
    out = changeset.outcomes
    named = set(out.loc[out["status"] == "accepted", id_col].dropna())
    for action in ("insert", "update"):
        frame = changeset.tables.get(f"{entity}_{action}")
        if frame is not None and id_col in frame:
            named -= set(frame[id_col].dropna())
    return len(named)


def _found(rows: pd.DataFrame, prefix: str, id_col: str) -> int:
    if id_col not in rows:
        return 0
    return int((rows[id_col].notna() & (rows[f"{prefix}_band"] == MATCH)).sum())


def _awaiting_review(changeset: ChangeSet, rows: pd.DataFrame) -> int:
    """Skipped rows that wait for a pair in the review band."""
    out = changeset.outcomes
    skipped = out["status"].to_numpy() == "skipped"
    rows = rows.set_index("source_row") if "source_row" in rows else rows
    bands = [rows[c].reindex(out["source_row"]).to_numpy() == REVIEW
             for c in ("org_band", "person_band") if c in rows]
    waiting = bands[0] | bands[1] if len(bands) == 2 else (bands[0] if bands else skipped & False)
    return int((skipped & waiting).sum())


def _pairs(matches: MatchResult) -> dict[str, int]:
    pairs, below = matches.pairs, sum((matches.below_floor or {}).values())
    band = pairs["band"] if len(pairs) else pd.Series([], dtype=object)
    return {"pairs_scored": len(pairs) + below, "pairs_accepted": int((band == MATCH).sum()),
            "pairs_review": int((band == REVIEW).sum()),
            "pairs_non_match": int((band == NON_MATCH).sum()) + below}


def run_summary(prepared: Prepared, matches: MatchResult, changeset: ChangeSet,
                decisions: pd.DataFrame | None = None) -> RunSummary:
    """The summary of a run from its prepared rows, matches, change set and the analyst's
    decisions that concern this list (``list_decisions``)."""
    status = changeset.outcomes["status"].value_counts()
    awaiting = _awaiting_review(changeset, matches.rows)
    answers = (decisions["decision"].value_counts() if decisions is not None and len(decisions)
               else pd.Series(dtype=int))
    held = changeset.counts.get("held_back", {})  # what the definition's actions left alone
    return RunSummary(
        rows_read=len(changeset.outcomes),
        rows_accepted=int(status.get("accepted", 0)),
        rows_merged=int(status.get("in_file_duplicate", 0)),
        rows_awaiting_review=awaiting,
        rows_skipped=int(status.get("skipped", 0)) - awaiting,
        rows_rejected=int(status.get("rejected", 0)),
        org_found=_found(matches.rows, "org", "crm_org_id"),
        org_new=_records(changeset, "organisations_insert"),
        org_updated=_records(changeset, "organisations_update"),
        org_unchanged=_unchanged(changeset, "organisations", "org_id"),
        org_not_created=held.get("organisations_not_created", 0),
        org_not_updated=held.get("organisations_not_updated", 0),
        person_found=_found(matches.rows, "person", "crm_person_id"),
        person_new=_records(changeset, "persons_insert"),
        person_updated=_records(changeset, "persons_update"),
        person_unchanged=_unchanged(changeset, "persons", "person_id"),
        person_not_created=held.get("persons_not_created", 0),
        person_not_updated=held.get("persons_not_updated", 0),
        contact_new=_records(changeset, "contacts_insert"),
        contact_updated=_records(changeset, "contacts_update"),
        **_pairs(matches),
        decisions_same=int(answers.get("same", 0)),
        decisions_different=int(answers.get("different", 0)),
        problems=len(prepared.problems),
    )


DECISION_COLUMNS = ["level", "source_rows", "candidate", "decision", "decided_at", "run_id",
                    "fingerprint", "candidate_key"]


def list_decisions(state_path: str | Path, matches: MatchResult) -> pd.DataFrame:
    """The analyst's stored decisions about the records of this list, oldest first: level, the
    list's rows, the candidate (a CRM id or a row of the list), the answer, when and in which run."""
    from workbench.review.decisions import decision_log  # the one reader of stored decisions

    stored = decision_log(state_path).sort_values(
        ["decided_at", "level", "fingerprint", "candidate"], ignore_index=True)  # oldest first
    empty = pd.DataFrame(columns=DECISION_COLUMNS)
    if stored.empty:
        return empty
    parts = []
    rows = matches.rows
    for level, prefix in (("organisation", "org"), ("person", "person")):
        if f"{prefix}_fp" not in rows:
            continue
        by_fp = rows.groupby(f"{prefix}_fp")["source_row"].agg(
            lambda s: ", ".join(str(int(v)) for v in sorted(s)))
        mine = stored[(stored["level"] == level) & stored["fingerprint"].isin(by_fp.index)].copy()
        mine["source_rows"] = mine["fingerprint"].map(by_fp)
        other = mine["candidate"].map(by_fp)  # a row of the list, or else a CRM id
        mine["candidate_key"] = mine["candidate"]
        mine["candidate"] = ("row " + other.astype(str)).where(other.notna(),
                                                              "CRM " + mine["candidate"])
        parts.append(mine)
    found = [p for p in parts if len(p)]
    if not found:
        return empty
    out = pd.concat(found, ignore_index=True).sort_values(["decided_at", "level", "source_rows"],
                                                          kind="mergesort", ignore_index=True)
    return out[DECISION_COLUMNS]

