"""RFM at scale: the pandas path and the SQL (SQLite) path of crmlab.rfm side by side, same data, same run.

Usage: .venv/bin/python benchmarks/rfm_sql_vs_pandas.py [--sizes 100000 1000000 10000000] [--repeat 3]

For each size n: ``crmlab.crm_data.simulate_transactions(n, seed=n)`` (n/10 customers with integer ids) is
written once to a temporary folder — as NumPy arrays for pandas and as an SQLite table
``transactions(customer_id INTEGER, date TEXT 'YYYY-MM-DD', amount REAL)`` with a covering index on
(customer_id, date, amount) for SQL; the build times are reported. Then every measurement runs in a fresh
subprocess (clean memory): it loads its input, resets the peak-RSS counter (``/proc/self/clear_refs``),
runs the task ``--repeat`` times and reports the median time and the peak resident memory during the runs
(VmHWM; for pandas the table already in memory counts, for SQLite the data stays on disk). Tasks:

* ``RFM table`` — ``rfm_table(tx, as_of)`` against ``rfm_table_sql(conn, as_of)``;
* ``RFM + scores`` — ``rfm_scores(rfm_table(...))`` against ``rfm_scores_sql(conn, as_of)`` (quintiles, ties
  "min").

Finally the two results are compared customer by customer (they must be identical) and a Markdown table is
printed, with the ratio SQL time / pandas time.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

AS_OF = "2024-12-31"


def _peak_reset() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _rss(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def build(n: int, folder: Path) -> dict:
    """Simulate n transactions; save them as arrays and as an indexed SQLite table. Returns the build times."""
    from crmlab.crm_data import simulate_transactions

    t0 = time.perf_counter()
    tx = simulate_transactions(n, seed=n)
    t_gen = time.perf_counter() - t0
    days = tx["date"].to_numpy().astype("datetime64[D]")
    np.savez(folder / f"tx_{n}.npz", customer_id=tx["customer_id"].to_numpy(), day=days.view("int64"),
             amount=tx["amount"].to_numpy())
    db = folder / f"tx_{n}.db"
    t0 = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("CREATE TABLE transactions (customer_id INTEGER NOT NULL, date TEXT NOT NULL, amount REAL NOT NULL)")
    rows = zip(tx["customer_id"].tolist(), days.astype(str).tolist(), tx["amount"].tolist(), strict=True)
    conn.executemany("INSERT INTO transactions VALUES (?, ?, ?)", rows)
    conn.commit()
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    conn.execute("CREATE INDEX tx_customer ON transactions (customer_id, date, amount)")
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    t_index = time.perf_counter() - t0
    return {"generate_s": t_gen, "sqlite_load_s": t_load, "sqlite_index_s": t_index,
            "db_mib": db.stat().st_size / 2**20}


def worker(path: str, n: int, folder: Path, task: str, repeat: int) -> dict:
    """One measurement in this (fresh) process: returns median time, peak RSS and where the result is."""
    import pandas as pd

    from crmlab.rfm import rfm_scores, rfm_scores_sql, rfm_table, rfm_table_sql

    if path == "pandas":
        arrays = np.load(folder / f"tx_{n}.npz")
        data = pd.DataFrame({"customer_id": arrays["customer_id"],
                             "date": arrays["day"].astype("datetime64[D]").astype("datetime64[s]"),
                             "amount": arrays["amount"]})
        run = (lambda: rfm_table(data, AS_OF)) if task == "table" else (lambda: rfm_scores(rfm_table(data, AS_OF)))
    else:
        conn = sqlite3.connect(folder / f"tx_{n}.db")
        run = (lambda: rfm_table_sql(conn, AS_OF)) if task == "table" else (lambda: rfm_scores_sql(conn, AS_OF))
    base = _rss("VmRSS")
    _peak_reset()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    peak = _rss("VmHWM")
    out = folder / f"result_{path}_{task}_{n}.pkl"
    result.to_pickle(out)
    return {"median_s": statistics.median(times), "peak_mib": peak, "base_mib": base, "result": str(out)}


def measure(path: str, n: int, folder: Path, task: str, repeat: int) -> dict:
    cmd = [sys.executable, __file__, "--worker", path, "--n", str(n), "--dir", str(folder), "--task", task,
           "--repeat", str(repeat)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", choices=["pandas", "sql"])
    parser.add_argument("--n", type=int)
    parser.add_argument("--dir")
    parser.add_argument("--task", choices=["table", "scores"], default="scores")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.n, Path(args.dir), args.task, args.repeat)))
        return

    import pandas as pd

    rows, builds = [], []
    with tempfile.TemporaryDirectory(prefix="rfm_bench_") as tmp:
        folder = Path(tmp)
        for n in args.sizes:
            info = build(n, folder)
            builds.append((n, info))
            print(f"n={n:,}: generated in {info['generate_s']:.1f} s; SQLite load {info['sqlite_load_s']:.1f} s, "
                  f"index {info['sqlite_index_s']:.1f} s, file {info['db_mib']:.0f} MiB", file=sys.stderr)
            for task, label in (("table", "RFM table"), ("scores", "RFM + scores")):
                p = measure("pandas", n, folder, task, args.repeat)
                s = measure("sql", n, folder, task, args.repeat)
                a, b = pd.read_pickle(p["result"]), pd.read_pickle(s["result"])
                same = a.index.equals(b.index) and a.equals(b.astype(a.dtypes.to_dict()))
                rows.append((n, label, len(a), p, s, same))
                print(f"  {label}: pandas {p['median_s']:.3f} s, SQL {s['median_s']:.3f} s, same={same}",
                      file=sys.stderr)
                for f in (p["result"], s["result"]):
                    os.remove(f)
            for f in folder.iterdir():
                f.unlink()
    print("\n| transactions | customers | task | pandas s | SQLite s | SQLite / pandas | pandas peak MiB | "
          "SQLite peak MiB | same answer |")
    # peak = highest resident memory during the runs; in brackets the resident memory just before them
    print("|---|---|---|---|---|---|---|---|---|")
    for n, label, k, p, s, same in rows:
        print(f"| {n:,} | {k:,} | {label} | {p['median_s']:.3f} | {s['median_s']:.3f} | "
              f"{s['median_s'] / p['median_s']:.1f}× | {p['peak_mib']:.0f} ({p['base_mib']:.0f}) | "
              f"{s['peak_mib']:.0f} ({s['base_mib']:.0f}) | "
              f"{'yes' if same else 'NO'} |")
    print("\n| transactions | generate s | SQLite insert s | SQLite index s | SQLite file MiB |")
    print("|---|---|---|---|---|")
    for n, info in builds:
        print(f"| {n:,} | {info['generate_s']:.1f} | {info['sqlite_load_s']:.1f} | {info['sqlite_index_s']:.1f} | "
              f"{info['db_mib']:.0f} |")


if __name__ == "__main__":
    main()
