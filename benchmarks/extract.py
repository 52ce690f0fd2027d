"""Extraction speed and memory at 1,000, 10,000 and 30,000 words, after the model is loaded.

    python -m benchmarks.extract [--words 1000 10000 30000] [--runs 3]

Each text is the news-style test articles (tests/articles/news) without a site's footer,
joined one after another
until it holds the number of words asked for, read as one document. Each size runs in a
fresh process, so that its memory is its own: the model's load time, the median, fastest
and slowest extraction, seconds per 1,000 words, the CPU time, and the process's peak RSS
and its RSS and USS (private pages, what the process would give back on exit) after
extraction.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT / "tests" / "articles" / "news"


def _whole(name: str) -> bool:
    """An article whose body runs to its end (a reprint's footer would end the joined text's
    body there, leaving the rest unread)."""
    from api.ingest.read.text import layout

    text = (NEWS / f"{name}.txt").read_text("utf-8")
    document = json.loads((NEWS / f"{name}.json").read_text("utf-8"))
    return layout(text, document).body[1] >= len(text.rstrip())


def article(words: int) -> tuple[str, dict]:
    """News articles joined until the text holds ``words`` words (cut at a paragraph)."""
    names = [n for n in sorted(json.loads((NEWS / "gold.json").read_text("utf-8")))
             if _whole(n)]
    document = json.loads((NEWS / f"{names[0]}.json").read_text("utf-8"))
    document.setdefault("id", names[0])
    paragraphs: list[str] = []
    count = 0
    while count < words:
        for name in names:
            for paragraph in (NEWS / f"{name}.txt").read_text("utf-8").split("\n\n"):
                paragraphs.append(paragraph)
                count += len(paragraph.split())
                if count >= words:
                    return "\n\n".join(paragraphs), document
    return "\n\n".join(paragraphs), document


def memory() -> dict[str, float]:
    """RSS and USS of this process in MiB, and its peak RSS."""
    fields = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    uss = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rss_mib": round(fields["Rss"] / 1024, 1), "uss_mib": round(uss / 1024, 1),
            "peak_rss_mib": round(peak / 1024, 1)}


def one(words: int, runs: int) -> dict:
    from api.ingest import Known, extract, load_model

    text, document = article(words)
    start = time.perf_counter()
    nlp = load_model()
    loaded = time.perf_counter() - start
    extract(*article(200), Known(), nlp)  # the first call fills lazy tables
    times, cpu, count = [], [], 0
    for _ in range(runs):
        start, used = time.perf_counter(), time.process_time()
        count = len(extract(text, document, Known(), nlp))
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    median = statistics.median(times)
    return {
        "words": len(text.split()),
        "characters": len(text),
        "drafts": count,
        "model_load_s": round(loaded, 2),
        "extract_median_s": round(median, 2),
        "extract_min_s": round(min(times), 2),
        "extract_max_s": round(max(times), 2),
        "s_per_1000_words": round(median * 1000 / len(text.split()), 3),
        "cpu_median_s": round(statistics.median(cpu), 2),
        "runs": runs,
        "memory_after": memory(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, nargs="+", default=[1000, 10000, 30000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.words[0], args.runs)))
        return
    results = []
    for words in args.words:
        out = subprocess.run([sys.executable, "-m", "benchmarks.extract", "--one", "--words",
                              str(words), "--runs", str(args.runs)], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
