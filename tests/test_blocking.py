"""Blocking rules: the SQL join and the pandas check agree, pairs come in one order, each once."""
from __future__ import annotations

import duckdb
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.match.blocking import (
    ORG_RULES,
    PERSON_RULES,
    BlockingRule,
    SqlBlock,
    link_with_table,
)
from workbench.match.engine import PERSON_FILE_RULES

VALUES = st.sampled_from(["x", "y", "Y", "", " x", None])  # near misses, empty and missing


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["a", "b"], dtype=object)


FRAMES = st.lists(st.tuples(VALUES, VALUES), min_size=0, max_size=8).map(_frame)
ALL_RULES = [
    BlockingRule("a", ("a",)),
    BlockingRule("a_b", ("a", "b")),
    BlockingRule("swapped", ("a", "b"), ("b", "a")),  # a against b: swapped names
    BlockingRule("a_to_b", ("a",), ("b",)),
]
RULES = st.sampled_from(ALL_RULES)

# In-file deduplication keeps one orientation of each pair (left row < right row), which finds
# every pair only when a rule pairs (i, j) exactly when it pairs (j, i). "a_to_b" does not: SqlBlock
# would lose the pairs found only the other way round, so deduplication rules must be symmetric
# (test_deduplication_rules_are_symmetric).
SYMMETRIC_RULES = st.sampled_from([r for r in ALL_RULES if r.name != "a_to_b"])


def _symmetric(rule: BlockingRule) -> bool:
    pairs = set(zip(rule.columns, rule.right, strict=True))
    return pairs == {(b, a) for a, b in pairs}


def _sql_pairs(rule: BlockingRule, left: pd.DataFrame, right: pd.DataFrame) -> set:
    with duckdb.connect() as con:
        con.register("L", left.reset_index(names="__row"))
        con.register("R", right.reset_index(names="__row"))
        rows = con.execute(f'SELECT l.__row, r.__row FROM L l JOIN R r ON {rule.condition()}'
                           ).fetchall()
    return set(rows)


def _pandas_pairs(rule: BlockingRule, left: pd.DataFrame, right: pd.DataFrame) -> set:
    """Every (left, right) row pair the rule holds for, by brute force."""
    if left.empty or right.empty:
        return set()
    lx = left.loc[left.index.repeat(len(right))].reset_index()
    rx = pd.concat([right] * len(left)).reset_index()
    keep = rule.holds(lx.drop(columns="index"), rx.drop(columns="index"))
    return set(zip(lx["index"][keep], rx["index"][keep], strict=True))


@settings(max_examples=80, deadline=None)
@given(rule=RULES, left=FRAMES, right=FRAMES)
def test_sql_condition_and_pandas_check_pair_the_same_rows(rule, left, right):
    assert _sql_pairs(rule, left, right) == _pandas_pairs(rule, left, right)


@settings(max_examples=60, deadline=None)
@given(left=FRAMES, right=FRAMES, rules=st.lists(RULES, min_size=1, max_size=3, unique=True))
def test_linking_gives_the_union_of_the_rules_sorted_and_each_pair_once(left, right, rules):
    pairs = SqlBlock(tuple(rules)).index(left, right)
    expected = set().union(*(_pandas_pairs(r, left, right) for r in rules))
    assert list(pairs) == sorted(expected)
    assert list(SqlBlock(tuple(rules)).index(left, right)) == list(pairs)  # stable


@settings(max_examples=60, deadline=None)
@given(frame=FRAMES, rules=st.lists(SYMMETRIC_RULES, min_size=1, max_size=3, unique=True))
def test_deduplication_gives_each_pair_once_with_left_before_right(frame, rules):
    pairs = list(SqlBlock(tuple(rules)).index(frame))
    both_ways = set().union(*(_pandas_pairs(r, frame, frame) for r in rules))
    # the swapped rule finds (i, j) one way round and (j, i) the other: one pair
    expected = {(min(i, j), max(i, j)) for i, j in both_ways if i != j}
    assert pairs == sorted(expected)
    assert all(i < j for i, j in pairs)


def test_rows_with_missing_values_are_never_paired():
    frame = _frame([(None, "p"), (None, "p"), ("", None), ("", None)])
    assert list(SqlBlock((BlockingRule("a", ("a",)),)).index(frame)) == [(2, 3)]
    assert list(SqlBlock((BlockingRule("a_b", ("a", "b")),)).index(frame)) == []


def test_empty_input_gives_no_pairs():
    empty, some = _frame([]), _frame([("x", "y")])
    rules = (BlockingRule("a", ("a",)),)
    assert len(SqlBlock(rules).index(empty)) == 0
    assert len(SqlBlock(rules).index(empty, some)) == 0
    assert len(SqlBlock(rules).index(some, empty)) == 0
    with duckdb.connect() as con:
        con.register("crm", some.assign(id=["C1"]))
        found = link_with_table(con, empty, "crm", rules, "id")
    assert found.empty and list(found.columns) == ["left_id", "right_id", "match_key"]


def test_rules_on_columns_a_side_lacks_are_left_out():
    frame = _frame([("x", "y"), ("x", "z")])
    usable, lacking = BlockingRule("a", ("a",)), BlockingRule("kvk", ("kvk",))
    swapped_lacking = BlockingRule("a_to_kvk", ("a",), ("kvk",))
    assert list(SqlBlock((usable, lacking, swapped_lacking)).index(frame)) == [(0, 1)]
    assert len(SqlBlock((lacking,)).index(frame)) == 0
    with duckdb.connect() as con:
        con.register("crm", pd.DataFrame({"id": ["C1", "C2"], "a": ["x", "q"]}))
        found = link_with_table(con, frame, "crm", (usable, lacking, swapped_lacking), "id")
    assert found.values.tolist() == [[0, "C1", "a"], [1, "C1", "a"]]


def test_pairs_against_a_table_come_sorted_whatever_the_rules_order():
    left = _frame([("x", "y"), ("y", "x"), ("x", "x")])
    crm = pd.DataFrame({"id": ["C2", "C1"], "a": ["x", "y"], "b": ["x", "y"]})
    rules = (BlockingRule("a", ("a",)), BlockingRule("b", ("b",)))
    with duckdb.connect() as con:
        con.register("crm", crm)
        one = link_with_table(con, left, "crm", rules, "id")
        other = link_with_table(con, left, "crm", rules[::-1], "id")
    pairs = ["left_id", "right_id"]
    assert one[pairs].values.tolist() == other[pairs].values.tolist() == [
        [0, "C1"], [0, "C2"], [1, "C1"], [1, "C2"], [2, "C2"]]
    assert one["match_key"].tolist() == ["b", "a", "a", "b", "a"]  # the first rule that holds


def test_deduplication_rules_are_symmetric():
    assert not _symmetric(BlockingRule("a_to_b", ("a",), ("b",)))
    assert _symmetric(BlockingRule("swapped", ("a", "b"), ("b", "a")))
    for rule in (*ORG_RULES, *PERSON_RULES, *PERSON_FILE_RULES):
        assert _symmetric(rule), f"{rule.name}: in-file deduplication would lose pairs"


@settings(max_examples=40, deadline=None)
@given(left=FRAMES, right=FRAMES)
def test_linking_a_table_and_a_frame_give_the_same_pairs_and_rules(left, right):
    """The CRM linkage (a snapshot table) and recordlinkage's Index (two frames) are one
    algorithm: the same pairs, each with the first rule that found it."""
    import recordlinkage as rl

    block = SqlBlock(tuple(ALL_RULES))
    index = rl.Index()
    index.add(block)
    pairs = index.index(left, right)
    with duckdb.connect() as con:
        con.register("crm", right.reset_index(names="id"))
        found = block.link_table(con, left, "crm", "id")
    assert list(zip(found["left_id"], found["right_id"], strict=True)) == list(pairs)
    assert found["match_key"].tolist() == block.match_keys.reindex(pairs).tolist()
    for (i, j), key in zip(pairs, found["match_key"], strict=True):
        a, b = left.loc[[i]].reset_index(drop=True), right.loc[[j]].reset_index(drop=True)
        first = next(r.name for r in ALL_RULES if r.holds(a, b)[0])
        assert key == first


def test_a_crowded_value_makes_no_crm_pairs_but_still_pairs_inside_the_file():
    crowded = BlockingRule("a", ("a",), max_link_pairs=5)
    left = pd.DataFrame({"a": ["park", "park", "own"]})
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t AS SELECT 'c' || i AS id, CASE WHEN i < 3 THEN 'park' "
                    "ELSE 'own' END AS a FROM range(4) r(i)")
        block = SqlBlock((crowded,))
        pairs = block.link_table(con, left, "t", "id")
        plain = SqlBlock((BlockingRule("a", ("a",)),)).link_table(con, left, "t", "id")
    # 2 rows x 3 records of the park make 6 pairs > 5: none; the firm's own value pairs
    assert pairs["right_id"].tolist() == ["c3"]
    assert [(c.rule, c.where, c.rows, c.other_rows, c.pairs) for c in block.capped] == \
        [("a", "crm", 2, 3, 6)]
    assert len(plain) == 7
    # inside the file the rows cap as any rule's do (more than max_block_rows rows)
    assert list(SqlBlock((crowded,)).index(left)) == [(0, 1)]


def test_a_crowded_address_pairs_only_names_that_begin_alike():
    park = BlockingRule("pc", ("pc",), max_link_pairs=3, salt="name")
    left = pd.DataFrame({"pc": ["park", "park", "own"], "name": ["adivesbureau", "bakker", "x"]})
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('c0', 'park', 'adviesbureau'), "
                    "('c1', 'park', 'bakkerij'), ('c2', 'park', 'zeil'), ('c3', 'own', 'y'), "
                    "('c4', 'park', NULL)) v(id, pc, name)")
        block = SqlBlock((park,))
        pairs = block.link_table(con, left, "t", "id")
        unsalted = SqlBlock((BlockingRule("pc", ("pc",), max_link_pairs=3),)).link_table(
            con, left, "t", "id")
    # 2 rows x 4 records of the park: crowded; the typo in the name still finds its record
    assert sorted(zip(pairs["left_id"], pairs["right_id"], strict=True)) == \
        [(0, "c0"), (1, "c1"), (2, "c3")]
    assert set(pairs["match_key"]) == {"pc"}
    assert unsalted["right_id"].tolist() == ["c3"]
    assert [(c.rule, c.rows, c.other_rows) for c in block.capped] == [("pc", 2, 4)]


def test_a_value_many_crm_records_share_is_crowded_however_few_rows_of_the_file_hold_it():
    word = BlockingRule("w", ("pc4", "word"), max_crm_rows=3)
    park = BlockingRule("pc", ("pc4",), max_link_pairs=1_000, max_crm_rows=3, salt="name")
    left = pd.DataFrame({"pc4": ["1011", "1011", "2000"], "word": ["bakker", "bakker", "zeil"],
                         "name": ["bakkerij", "zeilmakerij", "zeil"]})
    with duckdb.connect() as con:
        # four CRM records hold 1011 / bakker (one file row pairs only 4 of them: 1 x 4 < 1,000)
        con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('c0', '1011', 'bakker', 'bakkerij'),"
                    " ('c1', '1011', 'bakker', 'bakker'), ('c2', '1011', 'bakker', 'zeilmaker'),"
                    " ('c3', '1011', 'bakker', 'molen'), ('c4', '2000', 'zeil', 'zeil'))"
                    " v(id, pc4, word, name)")
        words = SqlBlock((word,))
        word_pairs = words.link_table(con, left, "t", "id")
        parks = SqlBlock((park,))
        park_pairs = parks.link_table(con, left, "t", "id")
        loose = SqlBlock((BlockingRule("w", ("pc4", "word")),)).link_table(con, left, "t", "id")
    # crowded by the CRM alone: the word makes no pairs; the uncrowded value still pairs
    assert sorted(zip(word_pairs["left_id"], word_pairs["right_id"], strict=True)) == [(2, "c4")]
    assert [(c.rule, c.where, c.rows, c.other_rows) for c in words.capped] == \
        [("w", "crm", 2, 4)]
    assert len(loose) == 9
    # a salted rule pairs the crowd's records whose names begin alike
    assert sorted(zip(park_pairs["left_id"], park_pairs["right_id"], strict=True)) == \
        [(0, "c0"), (0, "c1"), (1, "c2"), (2, "c4")]
