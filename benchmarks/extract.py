"""Extraction speed and memory: one ~1,000-word article, after the model is loaded.

    python -m benchmarks.extract [--runs 10]

The article is the test articles (tests/articles) followed by the seed op-ed,
whose footer ends the body: about 1,000 words of body text. Prints the model's
load time, the median, fastest and slowest extraction of the whole article,
and the process's memory: RSS and USS (private pages, what the process would
give back on exit) from /proc.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from api.ingest import Known, extract, load_model

ROOT = Path(__file__).resolve().parents[1]
SEED = "pakistan-russia-relations-a-new-beginning"
EXTRA = ("nairobi-rail", "central-asia-energy", "hanoi-archive", "baku-gas")


def article() -> tuple[str, dict]:
    parts = [(ROOT / "tests" / "articles" / f"{n}.txt").read_text("utf-8") for n in EXTRA]
    parts.append((ROOT / "seeds" / f"{SEED}.txt").read_text("utf-8"))
    document = json.loads((ROOT / "seeds" / f"{SEED}.json").read_text("utf-8"))
    document["id"] = SEED
    return "\n\n".join(parts), document


def memory() -> dict[str, float]:
    """RSS and USS of this process in MiB."""
    fields = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    uss = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return {"rss_mib": round(fields["Rss"] / 1024, 1), "uss_mib": round(uss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    text, document = article()
    body = text[: text.index("Published in")]
    before = memory()
    start = time.perf_counter()
    nlp = load_model()
    loaded = time.perf_counter() - start
    extract(text, document, Known(), nlp)  # first call warms lazy tables
    times, count = [], 0
    for _ in range(args.runs):
        start = time.perf_counter()
        count = len(extract(text, document, Known(), nlp))
        times.append(time.perf_counter() - start)
    result = {
        "words": len(text.split()),
        "body_words": len(body.split()),
        "drafts": count,
        "model_load_s": round(loaded, 2),
        "extract_median_s": round(statistics.median(times), 3),
        "extract_min_s": round(min(times), 3),
        "extract_max_s": round(max(times), 3),
        "runs": args.runs,
        "memory_before_model": before,
        "memory_after": memory(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
