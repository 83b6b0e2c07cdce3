"""Clusters and best candidates: which record a row settles on, inside the CRM or the file."""
from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.match.classify import MATCH, NON_MATCH, REVIEW
from workbench.messages import say


def best_candidates(pairs: pd.DataFrame) -> pd.DataFrame:
    """The best-scoring candidate per left record."""
    if pairs.empty:
        return pairs
    # equal scores (a record the CRM holds twice): the lowest id, so every run picks the same;
    # ranked on three arrays, so millions of pairs are not copied to sort them
    key_rank = pd.factorize(pairs["right_key"].astype(str).to_numpy(), sort=True)[0]
    left = pairs["left"].to_numpy()
    order = np.lexsort((key_rank, -pairs["score"].to_numpy(), left))
    first = order[np.r_[True, left[order][1:] != left[order][:-1]]]
    return pairs.iloc[first]


def star_clusters(pairs: pd.DataFrame, members: pd.Index,
                   partial: pd.Series | None = None) -> pd.Series:
    """Cluster roots: a record joins the earliest root it matches directly (no chaining).

    ``partial`` marks records that cannot stand alone (a person without a last name): they never
    become a root, and join the cluster of the complete record they match best.
    """
    root = pd.Series(members, index=members)
    if pairs.empty:
        return root
    matched = pairs[pairs["band"] == MATCH]
    weak = (partial.reindex(members, fill_value=False) if partial is not None
            else pd.Series(False, index=members))
    weak_l = weak.reindex(matched["left"]).to_numpy()
    weak_r = weak.reindex(matched["right"]).to_numpy()
    full = matched[~weak_l & ~weak_r].sort_values(["right", "left"])
    for left, right in zip(full["left"], full["right"], strict=True):
        if root[right] == right and root[left] == left and left < right:
            root[right] = left
    _join_through_members(full, pairs, root)
    one = matched[weak_l ^ weak_r]
    if len(one):
        flip = weak.reindex(one["left"]).to_numpy()
        joins = pd.DataFrame({"member": np.where(flip, one["left"], one["right"]),
                              "other": np.where(flip, one["right"], one["left"]),
                              "score": one["score"].to_numpy()})
        joins = joins.sort_values(["member", "score", "other"], ascending=[True, False, True])
        for member, other in zip(joins["member"], joins["other"], strict=True):
            if root[member] == member:
                root[member] = root[other]
    return root


def _join_through_members(full: pd.DataFrame, pairs: pd.DataFrame, root: pd.Series) -> None:
    """A record left on its own joins the cluster of a member it matches (a cluster an earlier
    row began), when no member of that cluster was compared with it and found otherwise: a typo
    in a cluster's first row no longer splits its copies. Clusters are never merged, so one
    record cannot chain two clusters together."""
    alone = root.index[(root == root.index).to_numpy()
                       & ~root.index.isin(root[root != root.index].to_numpy())]
    left, right = full["left"].to_numpy(), full["right"].to_numpy()
    in_l, in_r = np.isin(left, alone), np.isin(right, alone)
    cand = full[in_l ^ in_r]
    if cand.empty:
        return
    flip = np.isin(cand["right"].to_numpy(), alone)
    joins = pd.DataFrame({"single": np.where(flip, cand["right"], cand["left"]),
                          "member": np.where(flip, cand["left"], cand["right"]),
                          "score": cand["score"].to_numpy()})
    joins = joins.sort_values(["single", "score", "member"], ascending=[True, False, True])
    singles = set(joins["single"].tolist())
    near = pairs[pairs["left"].isin(singles) | pairs["right"].isin(singles)]
    unalike = {(a, b) for a, b, band in zip(near["left"], near["right"], near["band"],
                                            strict=True) if band != MATCH}
    members = {r: list(g) for r, g in root.groupby(root.to_numpy()).groups.items()}
    for single, member in zip(joins["single"], joins["member"], strict=True):
        target = root[member]
        if root[single] != single or target == member or not target < single:
            continue
        if any((single, m) in unalike or (m, single) in unalike for m in members[target]):
            continue
        root[single] = target
        members[target].append(single)


def flag_loose_clusters(pairs: pd.DataFrame, roots: pd.Series) -> None:
    """Two members of one cluster compared and found unalike: their pair goes to review.

    A row joins a cluster only through a direct match with its first row (no chaining), yet two
    members may still differ from each other; the analyst should see that pair.
    """
    if pairs.empty:
        return
    a = roots.reindex(pairs["left"]).to_numpy()
    b = roots.reindex(pairs["right"]).to_numpy()
    loose = (pd.notna(a) & (a == b) & (pairs["band"] == NON_MATCH).to_numpy()
             & ~pairs["decided"].to_numpy(dtype=bool))
    if loose.any():
        idx = pairs.index[loose]
        pairs.loc[idx, "band"] = REVIEW
        pairs.loc[idx, "explanation"] = [say("match.not_alike", why=why)
                                         for why in pairs.loc[idx, "explanation"].astype(str)]


def file_review(pairs: pd.DataFrame, roots: pd.Series) -> pd.DataFrame:
    """Rows that may repeat an earlier row of the file: the best pair of their cluster's root
    with an earlier row (outside its cluster) is in the review band.

    One row per such row (its cluster's members included), with the earlier row's index
    (``other``), its source row, the score and the explanation: in batch such rows wait for an
    analyst, as a row whose best CRM candidate is in the review band does.
    """
    columns = ["other", "other_row", "score", "explanation"]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    a, b = pairs["left"].to_numpy(), pairs["right"].to_numpy()
    flip = a > b  # the source row of each side: left_row is the left's, right_key the right's
    rows = pd.DataFrame({
        "later": np.where(flip, a, b), "other": np.where(flip, b, a),
        "other_row": np.where(flip, pairs["right_key"].to_numpy(), pairs["left_row"].to_numpy()),
        "score": pairs["score"].to_numpy(), "band": pairs["band"].to_numpy(),
        "explanation": pairs["explanation"].to_numpy()})
    root_of = roots.reindex(rows["later"]).to_numpy()
    # only a cluster's root speaks for it, and never about a member of its own cluster
    rows = rows[(root_of == rows["later"].to_numpy())
                & (roots.reindex(rows["other"]).to_numpy() != root_of)]
    best = rows.sort_values(["later", "score", "other"], ascending=[True, False, True],
                            kind="mergesort").drop_duplicates("later")
    best = best[best["band"] == REVIEW].set_index("later")
    members = roots[roots.isin(best.index)]
    return best.loc[members.to_numpy(), columns].set_index(members.index)
