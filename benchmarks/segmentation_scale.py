"""Grading and concentration at scale: crmlab against a plain pandas reference, same data, same run.

Usage: .venv/bin/python benchmarks/segmentation_scale.py [--sizes 100000 1000000 10000000] [--repeat 3]

For each size: heavy-tailed customer values (lognormal σ = 1.5); times (median of --repeat runs) and peak memory
(tracemalloc, a separate run) of Gini, the Lorenz curve and 李先国 grading, each next to a straightforward pandas
version, and a check that both give the same answer.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd

from crmlab.segmentation import gini, grade_customers, lorenz_curve


def gini_pandas(x: np.ndarray) -> float:
    s = pd.Series(x).sort_values(ignore_index=True)
    n = len(s)
    return float((2 * (s * (s.index + 1)).sum()) / (n * s.sum()) - (n + 1) / n)


def lorenz_pandas(x: np.ndarray) -> pd.Series:
    s = pd.Series(x).sort_values(ignore_index=True)
    return s.cumsum() / s.sum()


def grade_pandas(x: np.ndarray) -> pd.Series:
    s = pd.Series(x)
    position = (s.rank(ascending=False, method="first") - 0.5) / len(s)
    return pd.cut(position, [0, 0.05, 0.20, 1.0], labels=["头顶客户", "潜力客户", "常规客户"])


def measure(func, x, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(x)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    func(x)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pairs = {
        "gini": (gini, gini_pandas),
        "lorenz": (lambda x: lorenz_curve(x, points=None), lorenz_pandas),
        "grade 李先国": (lambda x: grade_customers(x, "李先国"), grade_pandas),
    }
    print(f"{'n':>11s} {'task':12s} {'crmlab s':>9s} {'pandas s':>9s} {'ratio':>6s} {'crmlab MiB':>11s} "
          f"{'pandas MiB':>11s} same")
    for n in args.sizes:
        x = np.random.default_rng(n).lognormal(5.0, 1.5, n)
        for name, (ours, ref) in pairs.items():
            t1, m1, r1 = measure(ours, x, args.repeat)
            t2, m2, r2 = measure(ref, x, args.repeat)
            if name == "gini":
                same = abs(r1 - r2) < 1e-9
            elif name == "lorenz":
                same = np.allclose(r1["value_share"].to_numpy()[1:], r2.to_numpy())
            else:
                same = bool((r1.astype(str).to_numpy() == r2.astype(str).to_numpy()).all())
            print(f"{n:11,d} {name:12s} {t1:9.3f} {t2:9.3f} {t2 / t1:5.1f}× {m1:11.0f} {m2:11.0f} {same}")


if __name__ == "__main__":
    main()
