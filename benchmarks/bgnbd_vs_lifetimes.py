"""BG/NBD fitting speed: crmlab against the `lifetimes` package, same data, same run.

Usage: .venv/bin/python benchmarks/bgnbd_vs_lifetimes.py [--sizes 100000 1000000] [--repeat 3]

Data: the CDNOW sample (2,357 customers, from ../shared/data or the lifetimes package) and
customers simulated from BG/NBD with parameters near the CDNOW estimates, with first purchases
spread over a year so that (frequency, recency, T) are mostly distinct. Reports the median wall
time of each fit, the ratio lifetimes / crmlab, and the largest relative difference between the
two sets of parameters.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np

from crmlab.btyd import BetaGeo
from crmlab.btyd.data import load_cdnow_summary
from crmlab.btyd.simulate import simulate_bgnbd

TRUE = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}


def timed(fit, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fit()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lifetimes-repeat", type=int, default=None, help="runs of lifetimes (default: --repeat)")
    args = parser.parse_args()
    from lifetimes import BetaGeoFitter

    warnings.filterwarnings("ignore")
    datasets = {}
    cdnow = load_cdnow_summary()
    datasets["CDNOW (2,357)"] = (cdnow["frequency"].to_numpy(), cdnow["recency"].to_numpy(), cdnow["T"].to_numpy())
    rng = np.random.default_rng(2024)
    for n in args.sizes:
        T = rng.uniform(13.0, 65.0, n)  # first purchases spread over a year, observed 13–65 weeks
        sim = simulate_bgnbd(**TRUE, n_customers=n, T=T, seed=int(rng.integers(1 << 31)))
        datasets[f"simulated {n:,}"] = (sim["frequency"].to_numpy(), sim["recency"].to_numpy(), sim["T"].to_numpy())

    print(f"{'data':22s} {'distinct rows':>13s} {'crmlab s':>9s} {'lifetimes s':>12s} {'ratio':>7s} "
          f"{'max rel. diff':>14s}")
    for name, (x, tx, T) in datasets.items():
        distinct = len(np.unique(np.column_stack([x, tx, T]), axis=0))
        t_ours, ours = timed(lambda x=x, tx=tx, T=T: BetaGeo().fit(x, tx, T), args.repeat)
        t_ref, ref = timed(lambda x=x, tx=tx, T=T: BetaGeoFitter().fit(x, tx, T),
                           args.lifetimes_repeat or args.repeat)
        diff = max(abs(ours.params_[k] - float(ref.params_[k])) / abs(float(ref.params_[k])) for k in ours.params_)
        print(f"{name:22s} {distinct:13,d} {t_ours:9.3f} {t_ref:12.3f} {t_ref / t_ours:6.1f}× {diff:14.1e}")


if __name__ == "__main__":
    main()
