"""Big data on one machine: DuckDB out of core against pandas in memory, same Parquet files, same queries, same run.

Usage: .venv/bin/python benchmarks/bigdata_duckdb.py [--rows 10000000 100000000] [--pandas-max-rows 10000000]
                                                    [--memory-limit 1GB] [--threads 2] [--repeat 3] [--dir /tmp]

For each size n: ``crmlab.bigdata.generate_transactions_parquet`` writes n simulated sales (seed 2024, n/20
customers, row groups of 10^6 rows, one file per 10^7 rows, zstd) into a temporary folder, which is deleted at the
end. Every measurement runs in a fresh subprocess, and its peak resident memory is that child's own ``ru_maxrss``
as returned by ``os.wait4`` for that child alone (the per-child form of ``getrusage(RUSAGE_CHILDREN)``, which
would report the maximum over all children so far):

* generation — time, files' size on disk, peak RSS (bounded by the chunk size, not by n);
* baseline — a process that only imports duckdb, pandas, pyarrow and crmlab: the floor under every peak below;
* DuckDB — ``query_parquet`` with ``memory_limit`` and ``threads``: median time over ``--repeat`` runs, peak RSS;
* pandas — only up to ``--pandas-max-rows`` (where it fits): ``read_parquet_pandas`` of the query's columns (load
  time), then ``pandas_query`` (median time over ``--repeat`` runs), peak RSS.

The four queries are ``crmlab.bigdata.PARQUET_QUERIES``: monthly roll-up, category × channel, a 2024 slice by
product, and the top customers (a group-by with one group per customer). The DuckDB and pandas answers are
compared (same rows; sums equal to 1e-9 relative). A Markdown table is printed with the ratios
pandas (load + query) / DuckDB and pandas query only / DuckDB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def worker(args: argparse.Namespace) -> dict:
    """One measurement in this (fresh) process."""
    import duckdb  # noqa: F401
    import pandas as pd
    import pyarrow  # noqa: F401

    from crmlab.bigdata import (
        PARQUET_QUERIES,
        generate_transactions_parquet,
        pandas_query,
        query_parquet,
        read_parquet_pandas,
    )

    folder = Path(args.folder)
    if args.worker == "baseline":
        return {}
    if args.worker == "generate":
        t0 = time.perf_counter()
        info = generate_transactions_parquet(folder, args.n, seed=2024, row_group_size=args.row_group_size)
        return {"seconds": time.perf_counter() - t0, "bytes": info.bytes, "files": len(info.files),
                "row_groups": info.row_groups}
    _what, sql, columns = PARQUET_QUERIES[args.query]
    times, load = [], 0.0
    if args.worker == "duckdb":
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = query_parquet(folder, sql, memory_limit=args.memory_limit, threads=args.threads)
            times.append(time.perf_counter() - t0)
    else:
        t0 = time.perf_counter()
        frame = read_parquet_pandas(folder, list(columns))
        load = time.perf_counter() - t0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = pandas_query(frame, args.query)
            times.append(time.perf_counter() - t0)
    out = Path(args.out)
    pd.DataFrame(result).to_pickle(out)
    return {"seconds": statistics.median(times), "load_seconds": load, "result": str(out)}


def run(argv: list[str]) -> dict:
    """Run one worker subprocess; return its JSON report plus its own peak RSS (MiB) from os.wait4."""
    proc = subprocess.Popen([sys.executable, __file__, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    out, err = proc.stdout.read(), proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"worker {argv} failed:\n{err}")
    report = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
    report["peak_mib"] = usage.ru_maxrss / 1024.0          # Linux: KiB
    return report


def disk_report(paths: list[str]) -> str:
    lines = []
    for p in paths:
        if os.path.exists(p):
            u = shutil.disk_usage(p)
            lines.append(f"{p}: {u.free / 2**30:.1f} GiB free of {u.total / 2**30:.1f} GiB")
    return "; ".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000_000])
    parser.add_argument("--pandas-max-rows", type=int, default=10_000_000)
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--row-group-size", type=int, default=1_000_000)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument("--worker", choices=["generate", "baseline", "duckdb", "pandas"])
    parser.add_argument("--folder")
    parser.add_argument("--n", type=int)
    parser.add_argument("--query")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args), ensure_ascii=False))
        return

    import pandas as pd

    from crmlab.bigdata import PARQUET_QUERIES, estimate_parquet_bytes, same_result

    print(f"disk: {disk_report(sorted({args.dir, '/tmp', '/work'}))}", file=sys.stderr)
    need = estimate_parquet_bytes(max(args.rows))
    if shutil.disk_usage(args.dir).free < 2 * need:
        sys.exit(f"not enough free disk in {args.dir}: need about {2 * need / 2**30:.1f} GiB")
    common = ["--memory-limit", args.memory_limit, "--threads", str(args.threads), "--repeat", str(args.repeat),
              "--row-group-size", str(args.row_group_size)]
    gens, rows = [], []
    for n in args.rows:
        work = Path(tempfile.mkdtemp(prefix="bigdata_bench_", dir=args.dir))
        folder = work / "sales"
        try:
            g = run(["--worker", "generate", "--folder", str(folder), "--n", str(n), *common])
            base = run(["--worker", "baseline", "--folder", str(folder), *common])
            gens.append((n, g, base))
            print(f"n={n:,}: generated in {g['seconds']:.1f} s, {g['bytes'] / 2**20:.0f} MiB, "
                  f"{g['files']} files, {g['row_groups']} row groups, peak {g['peak_mib']:.0f} MiB "
                  f"(baseline {base['peak_mib']:.0f} MiB)", file=sys.stderr)
            for name in PARQUET_QUERIES:
                d = run(["--worker", "duckdb", "--folder", str(folder), "--query", name,
                         "--out", str(work / "duckdb.pkl"), *common])
                p = None
                if n <= args.pandas_max_rows:
                    p = run(["--worker", "pandas", "--folder", str(folder), "--query", name,
                             "--out", str(work / "pandas.pkl"), *common])
                    p["same"] = same_result(pd.read_pickle(d["result"]), pd.read_pickle(p["result"]))
                rows.append((n, name, d, p))
                print(f"  {name}: DuckDB {d['seconds']:.2f} s / {d['peak_mib']:.0f} MiB"
                      + (f"; pandas load {p['load_seconds']:.2f} s + query {p['seconds']:.2f} s / "
                         f"{p['peak_mib']:.0f} MiB; same={p['same']}" if p else "; pandas skipped"),
                      file=sys.stderr)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\nDuckDB: memory_limit {args.memory_limit}, threads {args.threads}; pandas single-threaded; "
          f"times are medians of {args.repeat} runs; peak = the worker process's maximum resident memory.\n")
    print("| rows | generate s | Parquet MiB | bytes/row | generate peak MiB | import baseline MiB |")
    print("|---|---|---|---|---|---|")
    for n, g, base in gens:
        print(f"| {n:,} | {g['seconds']:.1f} | {g['bytes'] / 2**20:.0f} | {g['bytes'] / n:.1f} | "
              f"{g['peak_mib']:.0f} | {base['peak_mib']:.0f} |")
    print("\n| rows | query | DuckDB s | DuckDB peak MiB | pandas load s | pandas query s | pandas peak MiB | "
          "pandas (load+query) / DuckDB | pandas query / DuckDB | same answer |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, name, d, p in rows:
        if p is None:
            print(f"| {n:,} | {name} | {d['seconds']:.2f} | {d['peak_mib']:.0f} | — | — | — | — | — | — |")
            continue
        total = p["load_seconds"] + p["seconds"]
        print(f"| {n:,} | {name} | {d['seconds']:.2f} | {d['peak_mib']:.0f} | {p['load_seconds']:.2f} | "
              f"{p['seconds']:.2f} | {p['peak_mib']:.0f} | {total / d['seconds']:.1f}× | "
              f"{p['seconds'] / d['seconds']:.1f}× | {'yes' if p['same'] else 'NO'} |")


if __name__ == "__main__":
    main()
