"""Matching in parts: the answer (EM's fit included) does not depend on how many rows a part holds."""
from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.context import open_run
from workbench.match.blocking import BlockingRule
from workbench.match.compare import org_comparisons
from workbench.match.engine import match_rows
from workbench.match.entity import MatchLimits
from workbench.match.score import _agree_coded, crm_random_levels, rule_masks
from workbench.pipeline import choose_definition, prepare, read_input


def test_scores_do_not_depend_on_the_part_size(demo_dir, tmp_path):
    with open_run(demo_dir / "crm.duckdb", state_path=tmp_path / "s.duckdb") as ctx:
        raw = read_input(demo_dir / "incoming.xlsx")
        ctx = ctx.with_definition(choose_definition(raw, None, {}))
        valid = prepare(ctx, raw).valid
        assert len(valid) > 10 * 7  # many parts of 7 rows
        whole = match_rows(valid, ctx.con, ctx.definition, {}, MatchLimits())
        parts = match_rows(valid, ctx.con, ctx.definition, {}, MatchLimits(chunk_rows=7))
    # "right" is a record's place among its part's CRM records; the record is "right_key"
    a, b = (r.pairs.drop(columns="right") for r in (whole, parts))
    assert (a["kind"] == "crm_organisation").sum() > 20
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(whole.rows, parts.rows)


def test_kept_pairs_hold_each_band_rule_and_crm_id_once(demo_dir, tmp_path):
    # millions of kept pairs: a string object per pair for these columns cost GBs at 10M records
    with open_run(demo_dir / "crm.duckdb", state_path=tmp_path / "s.duckdb") as ctx:
        raw = read_input(demo_dir / "incoming.xlsx")
        ctx = ctx.with_definition(choose_definition(raw, None, {}))
        pairs = match_rows(prepare(ctx, raw).valid, ctx.con, ctx.definition, {},
                           MatchLimits()).pairs  # one part: a part shares its values
    crm = pairs[pairs["kind"] == "crm_organisation"]
    assert len(crm) > 20 and crm["right_key"].duplicated().any()
    for column in ("band", "match_key", "right_key"):
        values = crm[column].dropna()
        assert len({id(v) for v in values}) == values.nunique(), column


def test_random_pairs_with_the_crm_are_seeded_and_drawn_once():
    left = pd.DataFrame({"name_key": ["a b", "c d", "e f", None]}, index=[10, 11, 12, 13])
    records = pd.DataFrame({"name_key": ["a b", "x y", "c d"]})
    comps = [c for c in org_comparisons() if c.label == "name"]
    first = crm_random_levels(left, records, comps, n=50)
    assert len(first) == 12 and set(first["name"]) <= {-1, 0, 1, 2, 3, 4}  # 4 x 3 at most
    pd.testing.assert_frame_equal(first, crm_random_levels(left, records, comps, n=50))


def test_rule_masks_agree_with_the_rules():
    left = pd.DataFrame({"pc": ["1234AB", "1234AB", None, "9999ZZ"], "nr": ["1", 2, "3", "4"]},
                        index=[5, 6, 7, 8])
    right = pd.DataFrame({"pc": ["1234AB", None, "9999ZZ"], "nr": [1, "2", "4"]})
    pairs = pd.MultiIndex.from_product([left.index, right.index])
    rules = (BlockingRule("pc", ("pc",)), BlockingRule("pc_nr", ("pc", "nr")))
    masks = rule_masks(pairs, left, right, rules, org_comparisons())
    a = left.loc[pairs.get_level_values(0)].reset_index(drop=True)
    b = right.loc[pairs.get_level_values(1)].reset_index(drop=True)
    for rule in rules:
        assert np.array_equal(masks[rule.name][0], rule.holds(a, b))
    # 1 and "1" agree as text; a missing postcode agrees with nothing
    assert masks["pc_nr"][0].sum() == 2 and masks["pc"][0].sum() == 3


def test_a_fit_on_a_sample_of_the_pairs_gives_the_same_bands(demo_dir, tmp_path):
    with open_run(demo_dir / "crm.duckdb", state_path=tmp_path / "s.duckdb") as ctx:
        raw = read_input(demo_dir / "incoming.xlsx")
        ctx = ctx.with_definition(choose_definition(raw, None, {}))
        valid = prepare(ctx, raw).valid
        whole = match_rows(valid, ctx.con, ctx.definition, {}, MatchLimits())
        crm = (whole.pairs["kind"] == "crm_organisation").sum() + \
            whole.below_floor["crm_organisation"]
        # fitted on a third of the candidate pairs, scored in parts of 50 rows
        limits = MatchLimits(chunk_rows=50, fit_pairs=int(crm // 3))
        sampled = match_rows(valid, ctx.con, ctx.definition, {}, limits)
    assert crm > 40
    # every pair is still scored once, and the rows get the same records in the same bands
    assert sampled.counts["pairs_scored"] == whole.counts["pairs_scored"]
    for col in ("crm_org_id", "org_band", "crm_person_id", "person_band", "org_entity"):
        pd.testing.assert_series_equal(sampled.rows[col], whole.rows[col])
    # the weights moved a little (another sample), not the verdicts
    a, b = (r.rows["org_score"].to_numpy(float) for r in (whole, sampled))
    assert np.nanmax(np.abs(a - b)) < 0.2


def _compare_every_pair(run, pairs, part, crm, keys, size, in_sample, known):
    """The old second pass: every pair of the part compared again, the sample's too."""
    from workbench.match.score import compare_part

    for i in range(0, len(pairs), size):
        yield compare_part(pairs[i:i + size], part, crm, run.comparisons, crm[run.spec.crm_id],
                           run.spec.score_rules, False, 0, match_key=keys[i:i + size])


def test_the_fit_samples_levels_taken_equal_levels_compared_again(demo_dir, tmp_path,
                                                                 monkeypatch):
    import workbench.match.entity as entity

    with open_run(demo_dir / "crm.duckdb", state_path=tmp_path / "s.duckdb") as ctx:
        raw = read_input(demo_dir / "incoming.xlsx")
        ctx = ctx.with_definition(choose_definition(raw, None, {}))
        valid = prepare(ctx, raw).valid
        limits = MatchLimits(chunk_rows=40, fit_pairs=30)
        calls, real = [], entity._complete_part
        monkeypatch.setattr(entity, "_complete_part", lambda *a: calls.append(1) or real(*a))
        taken = match_rows(valid, ctx.con, ctx.definition, {}, limits)
        assert len(calls) > 1  # the sample's levels were taken in more than one part
        monkeypatch.setattr(entity, "_complete_part", _compare_every_pair)
        again = match_rows(valid, ctx.con, ctx.definition, {}, limits)
    assert (taken.pairs["kind"] == "crm_organisation").sum() > 20
    pd.testing.assert_frame_equal(taken.pairs, again.pairs)
    pd.testing.assert_frame_equal(taken.rows, again.rows)
    assert taken.counts == again.counts and taken.below_floor == again.below_floor


def test_rule_masks_from_the_compared_codes_equal_those_coded_again():
    from workbench.match.classify import compare_coded
    from workbench.match.compare import person_comparisons
    from workbench.match.engine import PERSON_CRM_RULES

    rng = np.random.default_rng(5)
    names, firsts = ["jansen", "de vries", "bakker", None, "jan"], ["jan", "piet", None, "anna"]

    def frame(n: int, start: int) -> pd.DataFrame:
        return pd.DataFrame({
            "last_name_key": rng.choice(np.array(names, dtype=object), n),
            "first_name": rng.choice(np.array(firsts, dtype=object), n),
            "first_initial": rng.choice(np.array(["j", "p", None], dtype=object), n),
            "birth_year": rng.choice(np.array(["1970", "1980", None], dtype=object), n),
            "birth_date": rng.choice(np.array(["1970-01-02", None], dtype=object), n),
            "email": rng.choice(np.array(["a@b.nl", "", None], dtype=object), n),
            "mobile": rng.choice(np.array(["+316", 316, None], dtype=object), n),  # not all text
            "initials": rng.choice(np.array(["J", "P", None], dtype=object), n),
            "gender": rng.choice(np.array(["M", "V", None], dtype=object), n),
            "phone": rng.choice(np.array(["+3120", None], dtype=object), n),
            "org_entity": rng.choice(np.array(["ORG-1", "ORG-2", None], dtype=object), n),
            "p_postcode": rng.choice(np.array(["1234AB", "1234AC", None], dtype=object), n),
            "p_house_number": rng.choice(np.array(["1", "2", None], dtype=object), n),
            "p_addition": rng.choice(np.array(["A", None], dtype=object), n),
            "p_street_key": rng.choice(np.array(["dorpsstraat", None], dtype=object), n),
            "p_city_key": rng.choice(np.array(["utrecht", None], dtype=object), n),
            "p_po_box": rng.choice(np.array([True, False]), n),
            "name_k3": rng.choice(np.array(["jan|jan", None], dtype=object), n),
        }, index=range(start, start + n))

    comps = person_comparisons()
    for right in (frame(40, 0), None):
        left = frame(30, 100)
        other = left if right is None else right
        pairs = pd.MultiIndex.from_product([left.index, other.index])
        _, coded = compare_coded(pairs, left, right, comps)
        taken = rule_masks(pairs, left, right, PERSON_CRM_RULES, comps, coded)
        again = rule_masks(pairs, left, right, PERSON_CRM_RULES, comps)
        assert taken.keys() == again.keys() and len(taken) >= 5
        for name, (mask, blocked) in again.items():
            assert np.array_equal(taken[name][0], mask) and taken[name][1] == blocked, name
        assert any(m.any() for m, _ in taken.values())
        lpos, rpos = left.index.get_indexer(pairs.get_level_values(0)), \
            other.index.get_indexer(pairs.get_level_values(1))
        # the codes were taken for text columns, not for the mobile (1 and "1" agree as text)
        assert _agree_coded(coded, "last_name_key", "first_name", lpos, rpos) is not None
        assert _agree_coded(coded, "mobile", "mobile", lpos, rpos) is None


def test_stacked_pairs_are_the_concatenated_parts_and_the_parts_are_let_go():
    from workbench.match.score import stack_pairs

    a = pd.DataFrame({"kind": ["crm", None], "score": [0.5, 0.2], "decided": [True, False],
                      "left": [1, 2]}, index=[3, 5])  # a part filtered: index with gaps
    b = pd.DataFrame({"kind": ["file"], "score": [0.1], "decided": [False], "left": [7]})
    parts = [a, pd.DataFrame(), b]
    stacked = stack_pairs(parts)
    assert parts == []  # emptied: the caller holds no part while the whole is filled
    pd.testing.assert_frame_equal(stacked, pd.concat([a, b], ignore_index=True))
    # parts of other types are left to pandas
    c = b.astype({"left": float})
    pd.testing.assert_frame_equal(stack_pairs([a, c]), pd.concat([a, c], ignore_index=True))
    pd.testing.assert_frame_equal(stack_pairs([a]), a.reset_index(drop=True))
    assert stack_pairs([pd.DataFrame()]).empty
