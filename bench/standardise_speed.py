"""Speed of the standardise step: ``standardise_frame`` on 10k / 100k / 1M demo-like rows.

    python bench/standardise_speed.py                 # 10k, 100k and 1M rows, median of 3
    python bench/standardise_speed.py --rows 100000 --repeat 1

The rows come from the demo generator (a purchased list with Dutch headers), mapped with the
definition suggested from those headers, as the batch run does. A pool of generated rows is
recombined to the wanted size the way a real list repeats itself: cities, streets, postcodes,
legal forms, first names, salutations and job titles repeat; organisation names, KvK numbers,
phones and e-mail addresses are mostly distinct. Prints rows, seconds, rows/s and peak RSS.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time

import numpy as np
import pandas as pd

from workbench import demo
from workbench.definition import suggest_definition
from workbench.mapping import apply_definition
from workbench.standardise import standardise_frame

ORG_COLUMNS = ("Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Telefoon", "E-mail",
               "Website")
PERSON_COLUMNS = ("Aanhef", "Voorletters", "Voornaam", "Tussenvoegsel", "Achternaam", "Functie",
                  "E-mail contactpersoon", "Mobiel")


def demo_pool(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` incoming rows as the demo generator writes them (every cell text, '' when empty)."""
    return demo.incoming_table(demo.build_demo(organisations=n, incoming=n, seed=seed).rows)


def _new_digits(s: pd.Series, rng: np.random.Generator, width: int) -> pd.Series:
    """Replace the last ``width`` digits of each value with random ones (format kept)."""
    tail = s.str[-width:]
    ok = tail.str.fullmatch(rf"\d{{{width}}}").fillna(False).to_numpy(dtype=bool)
    fresh = pd.Series(rng.integers(0, 10 ** width, len(s)), index=s.index).astype(str).str.zfill(
        width)
    return s.where(~ok, s.str[:-width] + fresh)


def scale(pool: pd.DataFrame, n: int, seed: int = 11) -> pd.DataFrame:
    """``n`` rows recombined from ``pool``: organisation and person halves drawn independently."""
    rng = np.random.default_rng(seed)
    org = pool.loc[rng.integers(0, len(pool), n), list(ORG_COLUMNS)].reset_index(drop=True)
    per = pool.loc[rng.integers(0, len(pool), n), list(PERSON_COLUMNS)].reset_index(drop=True)
    out = pd.concat([org, per], axis=1)
    # a bigger list has more organisations: recombine name words so names stay mostly distinct
    first, _, rest = (out["Bedrijfsnaam"].str.partition(" ")[i] for i in range(3))
    donor = first.to_numpy()[rng.integers(0, n, n)]
    new_name = pd.Series(donor, index=out.index) + " " + rest
    out["Bedrijfsnaam"] = out["Bedrijfsnaam"].where(rest == "", new_name)
    copy = pd.Series(rng.integers(0, 1000, n), index=out.index).astype(str)
    for column in ("E-mail", "Website"):
        s = out[column]
        head, dot, tld = (s.str.rpartition(".")[i] for i in range(3))
        out[column] = s.where(dot == "", head + copy + dot + tld)
    local = out["E-mail contactpersoon"].str.partition("@")[0]
    domain = out["Website"].str.replace(r"^(?:https?://)?(?:www\.)?", "", regex=True).str.rstrip(
        "/")
    out["E-mail contactpersoon"] = (local + "@" + domain).where(
        (local != "") & (domain != ""), out["E-mail contactpersoon"])
    out["Telefoon"] = _new_digits(out["Telefoon"], rng, 3)
    out["Mobiel"] = _new_digits(out["Mobiel"], rng, 3)
    kvk = pd.Series(rng.integers(10_000_000, 99_999_999, n), index=out.index).astype(str)
    out["KvK-nummer"] = out["KvK-nummer"].where(out["KvK-nummer"] == "", kvk)
    out = out[list(demo.INCOMING_HEADER)]
    # the reader gives None for an empty cell, never ""
    out = out.astype(object).where(out != "", None)
    out.insert(0, "source_row", np.arange(1, n + 1))
    return out


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    """Time ``standardise_frame`` at each size; print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (median reported)")
    parser.add_argument("--pool", type=int, default=100_000, help="generated rows to recombine")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    pool = demo_pool(args.pool)
    headers = list(demo.INCOMING_HEADER)
    definition = suggest_definition(headers)
    print(f"pool of {len(pool):,} generated rows in {time.perf_counter() - started:.1f} s; "
          f"mapped fields: {', '.join(definition.columns)}", flush=True)
    # CPU seconds next to wall seconds: on a shared machine the wall clock also counts waiting
    print(f"{'rows':>10} {'seconds':>8} {'cpu s':>8} {'rows/s':>10} {'runs':>24} "
          f"{'peak RSS MiB':>13}")
    for n in args.rows:
        mapped = apply_definition(scale(pool, n), definition)
        runs, cpu = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            standardise_frame(mapped)
            runs.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        median = statistics.median(runs)
        shown = " ".join(f"{r:.2f}" for r in runs)
        print(f"{n:>10,} {median:>8.2f} {statistics.median(cpu):>8.2f} {n / median:>10,.0f} "
              f"{shown:>24} {peak_rss_mib():>13,.0f}", flush=True)
        del mapped
    return 0


if __name__ == "__main__":
    sys.exit(main())
