"""Diagnostic: candidate pairs and time per organisation blocking rule of a file against a snapshot.

Runs the pipeline up to the match step's candidate table, then counts each rule's pairs alone
(with its capped values) and the union, prints one JSON line per rule and skips fuzzy matching.
DIAG_SCALE (full file rows / sample rows) caps key values as a run of the full file would;
DIAG_MOD=10 keeps only every tenth CRM record (a CRM a tenth the size); DIAG_OUT: a JSON file.

    DIAG_SCALE=49.6 DIAG_OUT=/tmp/x.json python bench/rule_pairs.py run SAMPLE.csv --crm ... \
        --out ... --state ... --quiet
"""
from __future__ import annotations

import json
import os
import sys
import time

import numpy as np

from workbench.match import entity
from workbench.match.blocking import Registered, _cap_sql, _cap_tables, _table_rules, _union_sql

SCALE = float(os.environ.get("DIAG_SCALE", "1"))


def _caps(con, rule, left: str, view: str, max_rows: int):
    """The rule's capped values, as a file SCALE times the sample's size would have them."""
    sql = _cap_sql(rule, left, view, max_rows, False)
    return con.execute(sql.replace("lc.n * rc.m", f"lc.n * {SCALE} * rc.m")).df()


def _count(run, rules, caps: dict, view: str) -> tuple[dict, float, float]:
    names, frames = _cap_tables(caps)
    with Registered(run.con, frames):
        sql = _union_sql(tuple(rules), "__L", view, "__pos", run.spec.crm_id, False, names)
        wall, cpu = time.time(), time.process_time()
        found = run.con.execute(f"SELECT match_key, count(*) n FROM ({sql}) GROUP BY 1").fetchall()
        return dict(found), time.time() - wall, time.process_time() - cpu


def counted(run, view: str, blocks) -> bool:
    """Stands in for entity._candidate_table: counts, prints and makes no candidates."""
    if os.environ.get("DIAG_MOD"):
        view = f'(SELECT * FROM {view} v WHERE hash(v."{run.spec.crm_id}") % ' \
            f'{int(os.environ["DIAG_MOD"])} = 0)'
    todo = run.todo.assign(__pos=np.arange(len(run.todo)))
    results = []
    for number, (search, block) in enumerate(zip(run.spec.searches, blocks, strict=True)):
        left = search.rows(todo)
        rules = _table_rules(run.con, left, view, block.rules)
        if left.empty or not rules:
            continue
        run.con.register("__L", left)
        every = {}
        for rule in rules:
            found = _caps(run.con, rule, "__L", view, run.limits.max_block_rows)
            caps = {rule.name: found} if not found.empty else {}
            every.update(caps)
            pairs, wall, cpu = _count(run, [rule], caps, view)
            results.append(dict(level=run.spec.level, search=number, rule=rule.name,
                                rows=len(left), pairs=sum(pairs.values()),
                                per_row=sum(pairs.values()) / len(left), wall=wall, cpu=cpu,
                                capped_values=len(found)))
            print(json.dumps(results[-1]), flush=True)
        pairs, wall, cpu = _count(run, rules, every, view)
        results.append(dict(level=run.spec.level, search=number, rule="UNION", rows=len(left),
                            pairs=sum(pairs.values()), per_row=sum(pairs.values()) / len(left),
                            wall=wall, cpu=cpu, first_rule=pairs))
        print(json.dumps(results[-1]), flush=True)
        run.con.unregister("__L")
    if os.environ.get("DIAG_OUT"):
        with open(os.environ["DIAG_OUT"], "w") as out:
            json.dump(results, out, indent=1)
    return False


if __name__ == "__main__":
    entity._candidate_table = counted
    from workbench.cli import main
    sys.exit(main(sys.argv[1:]))
