"""Draw a benchmark result (benchmarks/results/*.json) as a PNG: run in benchmarks/.venv.

benchmarks/.venv/bin/python benchmarks/chart.py RESULTS.json docs/benchmarks.png
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(source: str, target: str) -> None:
    results = json.load(open(source))
    cases = {k: v for k, v in results["cases"].items() if "ceiling" in v["median_rps"]}
    names = list(cases)
    series = [("ceiling", "#999999"), ("app", "#1f77b4"), ("datasette", "#d62728")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8), width_ratios=[3, 2])
    width = 0.27
    for k, (target_name, colour) in enumerate(series):
        values = [cases[n]["median_rps"].get(target_name, 0) for n in names]
        bars = left.bar(
            [i + (k - 1) * width for i in range(len(names))], values, width,
            label=target_name, color=colour,
        )  # fmt: skip
        left.bar_label(bars, labels=[f"{v:.0f}" if v else "" for v in values], fontsize=7)
    left.set_xticks(range(len(names)), names, rotation=20, ha="right")
    left.set_ylabel("requests/s (median of runs)")
    left.set_title("Throughput, 1M-record corpus, same gunicorn settings")
    left.legend()
    ratios = [cases[n]["ratios"].get("ceiling", 0) for n in names]
    bars = right.barh(names, ratios, color="#1f77b4")
    right.bar_label(bars, labels=[f"{r:.2f}×" for r in ratios], fontsize=8)
    for name, goal in (("record", 0.5), ("page_first", 0.4), ("search_common", 0.1)):
        if name in names:
            y = names.index(name)
            right.plot([goal, goal], [y - 0.4, y + 0.4], color="black", linewidth=2)
    right.invert_yaxis()
    right.set_xlim(0, 1.05)
    right.set_xlabel("app ÷ ceiling (black tick: the goal)")
    right.set_title("Share of the bare-WSGI ceiling")
    fig.tight_layout()
    fig.savefig(target, dpi=110)


if __name__ == "__main__":
    main(*sys.argv[1:3])
