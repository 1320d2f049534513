"""How long a widget's callback takes after a slider moves (compute + draw), against a bare chart.

Usage: .venv/bin/python benchmarks/widget_callbacks.py [--repeat N]
A callback under ~0.3 s feels immediate; the reference shows how much of that is matplotlib alone.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from crmlab.datasets import load_green_food
from crmlab.lifecycle import BOOK_STATES, GREEN_FOOD_APP
from crmlab.plotting import new_figure
from crmlab.widgets.lifecycle import render_state_flows
from crmlab.widgets.value import render_clv


def bare_chart() -> None:
    _fig, ax = new_figure("参考 reference", "x", "y")
    ax.plot(range(40), range(40))


def timed(func, *args, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            func(*args)
            for num in plt.get_fignums():
                plt.figure(num).canvas.draw()
        out.append(time.perf_counter() - start)
        plt.close("all")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    data = load_green_food()
    cases = {
        "reference: bare chart": (bare_chart,),
        "clv_explorer": (render_clv, 100.0, 0.8, 0.1, 10),
        "state_flow_explorer (图1-1)": (render_state_flows, data.customers, data.transactions,
                                         "2023-06-30", "2024-06-30", BOOK_STATES),
        "state_flow_explorer (绿色食品)": (render_state_flows, data.customers, data.transactions,
                                         "2023-06-30", "2024-06-30", GREEN_FOOD_APP),
    }
    timed(bare_chart, repeat=2)  # warm up fonts and caches
    ref = None
    print(f"{'callback':34s} {'median ms':>10s} {'min ms':>8s} {'× reference':>12s}")
    for name, (func, *fargs) in cases.items():
        times = timed(func, *fargs, repeat=args.repeat)
        med = statistics.median(times)
        ref = ref or med
        print(f"{name:34s} {med * 1000:10.0f} {min(times) * 1000:8.0f} {med / ref:12.1f}")


if __name__ == "__main__":
    main()
