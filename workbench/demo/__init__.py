"""Synthetic but realistic demo data: a Dutch CRM export, a purchased lead list and its truth.

Not part of a run: the pipeline and the command line import this package only for
``workbench demo-data``, and Faker is imported only here (``names.build_pools``).
``names`` draws the Faker pools, ``records`` the records in bulk, ``crm`` the CRM export,
``render`` and ``incoming`` the purchased list, ``hard`` and ``foreign`` the hard variant's
doubtful rows, ``truth`` the right answers, ``write`` the files.
"""
from __future__ import annotations

from workbench.demo.generate import DemoData, DemoSummary, build_demo, generate_demo
from workbench.demo.hard import HARD_CASES, HARD_HEADER
from workbench.demo.incoming import CASES, REJECT_REASONS, incoming_table
from workbench.demo.render import INCOMING_HEADER
from workbench.demo.truth import TRUTH_COLUMNS, read_truth

__all__ = ["CASES", "HARD_CASES", "HARD_HEADER", "INCOMING_HEADER", "REJECT_REASONS",
           "TRUTH_COLUMNS", "DemoData", "DemoSummary", "build_demo", "generate_demo", "incoming_table", "read_truth"]
