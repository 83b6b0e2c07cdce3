"""Profile an incoming table: per column fill rate, patterns, detected meaning and invalid values.

One module per job: ``checks`` (does a value look meant as a meaning; is it valid, by the
standardisers' rules), ``meanings`` (what a column holds), ``stats`` (patterns, lengths,
duplicates), ``frame`` (the profile of a table and its warnings), ``html`` (the report) and
``progress`` (a progress bar for large tables).
"""
from __future__ import annotations

from .checks import VALID, phone_kind
from .frame import profile_column, profile_frame, profile_table, profile_warnings
from .html import column_html, fill_rate_figure, render_html, warnings_html, write_profile
from .meanings import MEANINGS, detect_meaning
from .progress import progress_bar
from .stats import value_pattern

__all__ = ["profile_frame", "profile_warnings", "column_html", "fill_rate_figure",
           "progress_bar", "write_profile", "profile_table", "profile_column", "detect_meaning",
           "value_pattern", "phone_kind", "render_html", "warnings_html", "MEANINGS", "VALID"]
