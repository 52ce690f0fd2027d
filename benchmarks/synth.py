"""A deterministic synthetic corpus with valid citations: ``python -m benchmarks.synth``.

The corpus has the layout of a real build (``layout.create`` and the rows
``entries.rows`` gives each record) and the meta keys ``api.build`` writes, so
the API serves it unchanged. Every citation holds: ``text[start:end] == quote``,
prefix and suffix the 32 characters around it (``api.citations``).

Texts are pseudo-words drawn with a Zipf law (the word of rank r has
probability ~1/r): a few words occur in most records, words of rank ~100-300
in about 1% of them, the tail in a handful. ``word(rank, seed)`` names them
for the search benchmark.

Speed (a million records in under a minute on two cores; measured in
docs/BENCHMARKS.md):

* the records of the five large resources are built in their output form
  and their rows computed without ``entries.rows``; every ``SAMPLE``-th record
  of every resource is checked against the real thing: loaded and dumped by
  its marshmallow schema (the stored JSON must come out byte for byte), its
  citations verified by ``api.citations.verify``, its rows compared with
  ``entries.rows``. Any difference aborts the run (``DriftError``);
* the corpus is built with the garbage collector off and then frozen
  (``gc.freeze``): its millions of objects are never scanned again, here or
  in the forked workers, which run with the collector off (they make no
  cycles). A child process makes half the document texts meanwhile;
* two worker processes generate the rows, chunk by chunk, and write each
  chunk into a SQLite file of its own; this process copies them in with
  ``INSERT … SELECT`` (no pickling, no Python per row), in chunk order:
  indexes are dropped meanwhile and recreated from their own SQL afterwards;
* a child process builds the full-text index (``api.fulltext``) from the
  chunk files as this process hands them on, in chunk order (so in the
  ``search`` table's rowid order), and deletes each once read;
* the link tables' rows go into a file of each worker's own; once every chunk
  is in, a child process per link table copies its rows from there in
  primary-key order and indexes them while this process makes the other
  indexes; the finished tables are then copied into empty tables with the
  same indexes, page by page (SQLite's transfer optimisation: no sorting
  twice);
* SQLite sorts (index builds, ``ORDER BY``) in runs the size of a small page
  cache that it then merges, temporary files allowed (``_sort_in_runs``):
  about half the CPU time of one in-memory sort;
* the files that live only during the run (chunks, link rows and tables) are
  in memory (``/dev/shm``) when there is room, else beside the database;
* the file is written with journaling off under a temporary name and renamed
  into place as ``briefs build`` does (``Writer.replace_with``).

The dataset version is a digest of every stored record's JSON, resource by
resource in name order, records in id order (with the pycountry version),
hashed in fixed chunks: the same seed and size give the same version.
"""

from __future__ import annotations

import bisect
import calendar
import contextlib
import gc
import hashlib
import itertools
import multiprocessing
import os
import pickle
import random
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click
import orjson
import sqlite_utils

from api.domain import catalog, citations, countries
from api.domain.catalog import Resource
from api.store import entries, fulltext, layout
from api.store.connections import sqlite3
from api.store.layout import SCHEMA_VERSION
from api.store.writer import Writer
from schemas import dates
from schemas.agreements import AGREEMENT_KINDS, AGREEMENT_STATUSES
from schemas.commentary import COMMENTARY_KINDS
from schemas.events import EVENT_KINDS
from schemas.meetings import MEETING_KINDS

VOCABULARY = 50_000  # distinct words
POOL = 1 << 20  # Zipf draws that every text is a slice of
SAMPLE = 1000  # every SAMPLE-th record of each resource is checked through the schemas
BATCH = 5000  # records per executemany
SENTENCES = 24  # sentences per document
SPLIT_TEXTS = 64  # documents from which a child process makes half the texts
CONTEXT = 32
SYLLABLES = (
    "ka lo mer ta vi sun dor pe ri gan to mu sel bra ne os qui fa len zor ha ti wen yu cap "
    "dre mi sa ron bel tu ga vo nik ar es il um"
).split()
# Countries in order of how many records involve them (weight 1/rank).
LEADING = ("PK", "RU", "CN", "US", "IN", "AF", "IR", "TR", "SA", "GB", "FR", "DE", "JP")
PUBLISHERS = ("The Express Tribune", "Dawn", "The Diplomat", "Foreign Affairs", "Kommersant")
SECTORS = ("defence", "energy", "trade", "transport", "education", None)
ROLE_TITLES = ("President", "Prime Minister", "Foreign Minister", "Ambassador", "Envoy")
MEMBERSHIPS = ("member", "observer", "applicant", "dialogue_partner")
INDICATOR_KINDS = ("trade_turnover", "investment", "aid", "arms_imports")
# Share of the records beyond the generated countries; commentary takes the rest.
SHARES = {
    "documents": 0.04,
    "people": 0.02,
    "organizations": 0.0005,
    "agreements": 0.30,
    "meetings": 0.15,
    "events": 0.06,
    "indicators": 0.02,
}
FAST = (
    catalog.AGREEMENTS,
    catalog.MEETINGS,
    catalog.EVENTS,
    catalog.INDICATORS,
    catalog.COMMENTARY,
)
CITING = (catalog.PEOPLE, catalog.ORGANIZATIONS, *FAST)
BY_NAME_ORDER = tuple(sorted(catalog.ALL, key=lambda r: r.name))  # dataset_version's order
MAIN_COLUMNS = (
    "id",
    "title",
    "kind",
    "status",
    "date_start",
    "date_end",
    "cited_from",
    "json",
    "etag",
)
DERIVED = ("date_start", "date_end", "outcomes", "length")  # dump-only fields


def counts_for(records: int, n_countries: int) -> dict[str, int]:
    """Records per resource for a corpus of ``records`` (at least one of each)."""
    rest = max(records - n_countries, 0)
    counts = {"countries": n_countries}
    for name, share in SHARES.items():
        counts[name] = max(1, int(rest * share))
    counts["commentary"] = max(1, rest - sum(counts[n] for n in SHARES))
    return {r.name: counts[r.name] for r in catalog.ALL}


def _vocabulary(seed: int) -> tuple[list[str], random.Random]:
    rng = random.Random(f"briefs-synth-{seed}")
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words, rng


def word(rank: int, seed: int = 0) -> str:
    """The word of Zipf rank ``rank`` (1 = most frequent) in the corpus of ``seed``."""
    return _vocabulary(seed)[0][rank - 1]


def _in_child(function, *args):
    """Run ``function(*args)`` in a forked child; return a callable that waits for its result."""
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    child = fork.Process(target=_child, args=(_send_result, send, function, args), daemon=True)
    child.start()
    send.close()

    def result():
        try:
            data = receive.recv_bytes()
        except EOFError:
            raise RuntimeError(f"the {function.__name__} process failed") from None
        finally:
            receive.close()
            child.join()
        return pickle.loads(data)

    return result


def _send_result(send, function, args) -> None:
    send.send_bytes(pickle.dumps(function(*args), pickle.HIGHEST_PROTOCOL))


def _leave_interrupts() -> None:
    """In a child process: leave Ctrl-C to the parent, which stops its children itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _child(function, *args) -> None:
    """A forked child's life: ``function(*args)``, then exit 0, or 1 with the traceback.

    ``os._exit``: the parent's exit handlers (copied by the fork) are not the child's.
    """
    _leave_interrupts()
    code = 0
    try:
        function(*args)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    os._exit(code)


def _pool_worker() -> None:
    _leave_interrupts()
    gc.disable()  # the workers make no reference cycles: reference counting frees all


def _first(date: str) -> str:
    return date if len(date) == 10 else f"{date}-01" if len(date) == 7 else f"{date}-01-01"


_LAST_DAY = {(y, m): calendar.monthrange(y, m)[1] for y in range(1900, 2101) for m in range(1, 13)}


def _last(date: str) -> str:
    if len(date) == 10:
        return date
    if len(date) == 7:
        return f"{date}-{_LAST_DAY[int(date[:4]), int(date[5:])]:02d}"
    return f"{date}-12-31"


class Corpus:
    """Every record, generated from its index alone, the same on every run."""

    def __init__(self, records: int, seed: int = 0) -> None:
        self.seed = seed
        self.words, rng = _vocabulary(seed)
        weights = list(itertools.accumulate(1.0 / (r + 1) for r in range(VOCABULARY)))
        self.pool = rng.choices(self.words, cum_weights=weights, k=POOL + 64)
        self.capitals = [w.capitalize() for w in self.pool]
        self.noise = [rng.getrandbits(32) for _ in range(1 << 16)]
        current = countries.current()
        self.country_records = [current[c] for c in sorted(current)]
        order = [c for c in LEADING if c in current] + sorted(set(current) - set(LEADING))
        self.country_order = order
        self.country_weights = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(order))))
        self.counts = counts_for(records, len(current))
        n = self.counts["documents"]
        half = n // 2 if n >= SPLIT_TEXTS else n  # the rest made by a child meanwhile
        rest = _in_child(self._texts, half, n) if half < n else None
        self.ids: dict[str, list[str]] = {}
        self.order: dict[str, list[int]] = {}
        for resource in catalog.ALL:
            if resource is not catalog.COUNTRIES:
                ids = self._ids(resource)
                self.ids[resource.name] = ids
                self.order[resource.name] = sorted(range(len(ids)), key=ids.__getitem__)
        self.base: dict[str, int] = {}
        total = 0
        for resource in CITING:  # citing records are numbered across resources
            self.base[resource.name] = total
            total += self.counts[resource.name]
        self.texts, self.sentences, self.published = self._texts(0, half)
        if rest is not None:
            for mine, theirs in zip(
                (self.texts, self.sentences, self.published), rest(), strict=True
            ):
                mine += theirs
        self.published_by_id = dict(zip(self.ids["documents"], self.published, strict=True))
        self.text_by_id = dict(zip(self.ids["documents"], self.texts, strict=True))

    # --- deterministic noise -----------------------------------------------------

    def r(self, key: int, salt: int) -> int:
        """A 32-bit pseudo-random number for (key, salt)."""
        return self.noise[(key * 40503 + salt * 7919) & 0xFFFF] ^ (
            (key + salt * 131) * 2654435761 >> 3 & 0xFFFFFFFF
        )

    def span(self, key: int, length: int) -> list[str]:
        start = (key * 2654435761 + self.seed * 97) % POOL
        return self.pool[start : start + length]

    def phrase(self, key: int, length: int) -> str:
        return " ".join(self.span(key, length))

    def title(self, key: int, length: int) -> str:
        start = (key * 2654435761 + self.seed * 97) % POOL
        return " ".join(self.capitals[start : start + length])

    def date(self, key: int) -> str | None:
        """A date at day (70%), month (20%) or year (8%) precision, or null (2%)."""
        x = self.r(key, 11)
        year, month, day, kind = (
            1960 + x % 66,
            1 + (x >> 8) % 12,
            1 + (x >> 12) % 28,
            (x >> 20) % 100,
        )
        if kind < 70:
            return f"{year:04d}-{month:02d}-{day:02d}"
        if kind < 90:
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}" if kind < 98 else None

    def countries_for(self, key: int) -> list[str]:
        """One to three countries, the leading ones most often."""
        total = self.country_weights[-1]
        found: list[str] = []
        for k in range(1 + self.r(key, 5) % 3):
            point = self.r(key, 17 + k) / 4294967296.0 * total
            code = self.country_order[bisect.bisect(self.country_weights, point)]
            if code not in found:
                found.append(code)
        return found

    def _ids(self, resource: Resource) -> list[str]:
        """The ids of ``resource`` by number: two words, its name's first letters, the number.

        Record ``i``'s words are ``self.span(i * 29 + len(resource.name) * 7 + 3, 2)``,
        the calls inlined.
        """
        pool, tag, salt = self.pool, resource.name[:3], self.seed * 97
        first = (len(resource.name) * 7 + 3) * 2654435761 + salt
        step = 29 * 2654435761
        return [
            f"{pool[start]}-{pool[start + 1]}-{tag}{i}"
            for i, start in enumerate(
                (first + i * step) % POOL for i in range(self.counts[resource.name])
            )
        ]

    # --- documents and citations -------------------------------------------------

    def _texts(self, first: int, last: int) -> tuple[list, list, list]:
        """Documents ``first`` to ``last``: texts, sentence offsets, publication dates.

        The texts have curly quotes and dashes: offsets count code points.
        """
        texts: list[str] = []
        sentences: list[list[tuple[int, int]]] = []
        published: list[str] = []
        for d in range(first, last):
            key = d * (SENTENCES + 1) * 3 + 1
            head = self.title(key, 5)
            parts, offsets, at = [head, "\n\n"], [], len(head) + 2
            for s in range(SENTENCES):
                k = key + s + 1
                length = 9 + self.r(k, 1) % 12
                words = self.span(k, length)
                cut = 3 + self.r(k, 2) % (length - 4)
                sentence = (
                    f"{words[0].capitalize()} {' '.join(words[1:cut])} — "
                    f"{words[cut]}’s {' '.join(words[cut + 1 :])}."
                )
                if s:
                    gap = "\n\n" if s % 6 == 0 else " "
                    parts.append(gap)
                    at += len(gap)
                parts.append(sentence)
                offsets.append((at, at + len(sentence)))
                at += len(sentence)
            texts.append("".join(parts))
            sentences.append(offsets)
            x = self.r(d, 23)
            published.append(
                f"{1990 + x % 36:04d}-{1 + (x >> 8) % 12:02d}-{1 + (x >> 12) % 28:02d}"
            )
        return texts, sentences, published

    def source(self, g: int, extra: int = 0) -> dict:
        """A citation for citing record ``g``: a whole sentence of a document."""
        n = self.counts["documents"]
        k = g + extra * 7
        d, s = k % n, (k // n + extra) % SENTENCES
        start, end = self.sentences[d][s]
        text = self.texts[d]
        return {
            "document": self.ids["documents"][d],
            "quote": text[start:end],
            "start": start,
            "end": end,
            "prefix": text[max(0, start - CONTEXT) : start],
            "suffix": text[end : end + CONTEXT],
        }

    def sources(self, g: int) -> list[dict]:
        return [self.source(g), self.source(g, 1)] if self.r(g, 29) % 4 == 0 else [self.source(g)]

    # --- records -----------------------------------------------------------------

    def records(self, resource: Resource) -> Iterator[dict]:
        """A resource's output records, in id order."""
        if resource is catalog.COUNTRIES:
            yield from self.country_records
            return
        make = getattr(self, f"make_{resource.name}")
        for i in self.order[resource.name]:
            yield make(i)

    def person_ref(self, key: int) -> dict | None:
        x = self.r(key, 31)
        if x % 10 == 0:
            return None
        p = x % self.counts["people"]
        return {"name": self.person_name(p), "person": self.ids["people"][p]}

    def person_name(self, p: int) -> str:
        return self.title(p * 5 + 2, 2)

    def make_documents(self, d: int) -> dict:
        text = self.texts[d]
        author = self.person_ref(d * 3 + 1)
        return {
            "id": self.ids["documents"][d],
            "title": text[: text.index("\n")],
            "authors": [author] if author else [],
            "publisher": PUBLISHERS[self.r(d, 3) % len(PUBLISHERS)],
            "published": self.published[d],
            "dated": None,
            "retrieved": None,
            "url": f"https://example.org/articles/{self.ids['documents'][d]}",
            "rights": "Synthetic text generated for benchmarks.",
            "language": "en",
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "length": len(text),
            "comments_displayed": None,
            "comments_captured": None,
            "notes": [],
            "inferred": [],
        }

    def make_people(self, p: int) -> dict:
        g = self.base["people"] + p
        name = self.person_name(p)
        aliases = (
            [{"name": name.split()[-1], "kind": "common", "sources": []}] if p % 5 == 0 else []
        )
        return {
            "id": self.ids["people"][p],
            "name": name,
            "aliases": aliases,
            "roles": [
                {
                    "title": ROLE_TITLES[self.r(g, 7) % len(ROLE_TITLES)],
                    "country": self.countries_for(g)[0],
                    "from": None,
                    "to": None,
                    "sources": [self.source(g)],
                }
            ],
            "external_ids": {"wikidata": None},
            "notes": [],
            "inferred": [],
        }

    def make_organizations(self, o: int) -> dict:
        g = self.base["organizations"] + o
        name = self.title(g * 11 + 5, 3)
        return {
            "id": self.ids["organizations"][o],
            "name": f"{name} Organisation",
            "acronym": "".join(w[0] for w in name.split()).upper() + "O",
            "aliases": [],
            "memberships": [
                {
                    "country": c,
                    "status": MEMBERSHIPS[(self.r(g, 9) + k) % len(MEMBERSHIPS)],
                    "from": None,
                    "to": None,
                    "sources": [self.source(g, k)],
                }
                for k, c in enumerate(self.countries_for(g))
            ],
            "external_ids": {"wikidata": None},
            "notes": [],
            "inferred": [],
        }

    def make_agreements(self, i: int) -> dict:
        g = self.base["agreements"] + i
        x = self.r(g, 41)
        date = self.date(g)
        status = AGREEMENT_STATUSES[x % len(AGREEMENT_STATUSES)]
        sources = self.sources(g)
        meeting = (
            self.ids["meetings"][i // 3]
            if i % 3 == 0 and i // 3 < self.counts["meetings"]
            else None
        )
        amount = (x >> 8) % 5000 * 1_000_000
        return {
            "id": self.ids["agreements"][i],
            "title": self.title(g * 11 + 5, 2 + x % 4),
            "kind": AGREEMENT_KINDS[(x >> 4) % len(AGREEMENT_KINDS)],
            "status": status,
            "status_history": [{"status": status, "date": date, "sources": sources[:1]}],
            "countries": self.countries_for(g),
            "date": date,
            "sector": SECTORS[(x >> 12) % len(SECTORS)],
            "value": {"amount": amount, "currency": "USD"} if amount else None,
            "summary": self.phrase(g * 11 + 7, 8 + (x >> 16) % 10),
            "meeting": meeting,
            "sources": sources,
            "date_start": date and _first(date),
            "date_end": date and _last(date),
            "notes": [],
            "inferred": [],
        }

    def make_meetings(self, i: int) -> dict:
        g = self.base["meetings"] + i
        x = self.r(g, 43)
        date = self.date(g)
        involved = self.countries_for(g)
        host = self.person_ref(g * 3 + 2)
        participants = [
            {
                "person": host["person"] if host else None,
                "role": ROLE_TITLES[x % len(ROLE_TITLES)],
                "country": involved[0],
            }
        ]
        if len(involved) > 1 and x % 2:
            guest = self.person_ref(g * 3 + 3)
            participants.append(
                {
                    "person": guest["person"] if guest else None,
                    "role": ROLE_TITLES[(x >> 3) % len(ROLE_TITLES)],
                    "country": involved[1],
                }
            )
        occasion = None
        if x % 7 == 0:
            o = (x >> 5) % self.counts["organizations"]
            occasion = {"organization": self.ids["organizations"][o], "name": "Annual summit"}
        outcome = 3 * i
        return {
            "id": self.ids["meetings"][i],
            "title": self.title(g * 11 + 5, 3 + x % 3),
            "kind": MEETING_KINDS[(x >> 4) % len(MEETING_KINDS)],
            "date": date,
            "location": {"city": self.title(g * 11 + 9, 1), "country": involved[0]},
            "participants": participants,
            "countries": involved,
            "occasion": occasion,
            "summary": self.phrase(g * 11 + 7, 8 + (x >> 16) % 10),
            "sources": self.sources(g),
            "outcomes": (
                [self.ids["agreements"][outcome]] if outcome < self.counts["agreements"] else []
            ),
            "date_start": date and _first(date),
            "date_end": date and _last(date),
            "notes": [],
            "inferred": [],
        }

    def make_events(self, i: int) -> dict:
        g = self.base["events"] + i
        x = self.r(g, 47)
        date = self.date(g)
        kind = EVENT_KINDS[x % len(EVENT_KINDS)]
        until = None
        if kind == "period" and date is not None:
            until = f"{min(int(date[:4]) + 1 + (x >> 4) % 10, 2030):04d}"
        return {
            "id": self.ids["events"][i],
            "title": self.title(g * 11 + 5, 2 + x % 4),
            "kind": kind,
            "date": date,
            "until": until,
            "countries": self.countries_for(g),
            "summary": self.phrase(g * 11 + 7, 8 + (x >> 16) % 10),
            "sources": self.sources(g),
            "date_start": date and _first(date),
            "date_end": date and _last(until or date),
            "notes": [],
            "inferred": [],
        }

    def make_indicators(self, i: int) -> dict:
        g = self.base["indicators"] + i
        x = self.r(g, 53)
        period = str(1990 + x % 36) if x % 50 else None
        return {
            "id": self.ids["indicators"][i],
            "title": self.title(g * 11 + 5, 3),
            "kind": INDICATOR_KINDS[(x >> 6) % len(INDICATOR_KINDS)],
            "countries": self.countries_for(g),
            "value": (x >> 8) % 100_000 * 10_000,
            "unit": None,
            "currency": "USD",
            "period": period,
            "summary": self.phrase(g * 11 + 7, 8 + (x >> 16) % 10),
            "sources": self.sources(g),
            "date_start": period and _first(period),
            "date_end": period and _last(period),
            "notes": [],
            "inferred": [],
        }

    def make_commentary(self, i: int) -> dict:
        g = self.base["commentary"] + i
        x = self.r(g, 59)
        kind = COMMENTARY_KINDS[x % len(COMMENTARY_KINDS)]
        source = self.source(g)
        published = self.published_by_id[source["document"]]
        if x % 3 == 1:
            published = published[:7]
        subjects = []
        if x % 4 == 0:
            a = g % self.counts["agreements"]
            subjects = [{"type": "agreement", "id": self.ids["agreements"][a]}]
        return {
            "id": self.ids["commentary"][i],
            "kind": kind,
            "author": None if kind == "reader_comment" else self.person_ref(g * 3 + 4),
            "speech": ("direct", "reported")[(x >> 4) % 2] if kind == "quote" else None,
            "text": source["quote"],
            "document": source["document"],
            "published": published,
            "published_text": None,
            "countries": self.countries_for(g),
            "subjects": subjects,
            "in_reply_to": None,
            "sources": [source],
            "date_start": _first(published),
            "date_end": _last(published),
            "notes": [],
            "inferred": [],
        }


# --- rows ----------------------------------------------------------------------------


def _columns(resource: Resource) -> tuple[str, ...]:
    return MAIN_COLUMNS + tuple(entries.EXTRA_COLUMNS.get(resource.name, {}))


def _quotes(record: dict) -> list[str]:
    found = [s["quote"] for h in record.get("status_history", ()) for s in h["sources"]]
    return found + [s["quote"] for s in record["sources"]]


def fast_search(resource: Resource, record: dict) -> tuple:
    """``entries.rows(...).search`` of a record of the five large resources, as a tuple."""
    text = record["text"] if resource is catalog.COMMENTARY else record["summary"]
    parts = [text, *_quotes(record)]
    author = record.get("author")
    if author:
        parts.append(author["name"])
    title = record[resource.title]
    return (resource.singular, record["id"], title, "\n".join(dict.fromkeys(parts)))


def fast_rows(resource: Resource, record: dict, published: dict[str, str]):
    """``entries.rows`` of a record of the five large resources, as tuples for executemany."""
    body = orjson.dumps(record)
    sources = record["sources"]
    first = min(published[s["document"]] for s in sources)  # full dates: their own start
    rid = record["id"]
    name = resource.name
    main = [
        rid,
        record[resource.title],
        record["kind"],
        record.get("status"),
        record["date_start"],
        record["date_end"],
        first,
        body,
        hashlib.sha256(body).hexdigest()[:20],
    ]
    if name == "agreements":
        main.append(record["meeting"])
    elif name == "commentary":
        main.append(record["document"])
    involved = sorted(set(record["countries"]))
    people = {p["person"] for p in record.get("participants", ())}
    author = record.get("author")
    if author:
        people.add(author["person"])
    people.discard(None)
    if resource is catalog.COMMENTARY:
        speaker = author["name"] if author else "Unattributed"
        title = f"{speaker}: {record['text']}"
        if len(title) > entries.TITLE_LENGTH:
            title = title[: entries.TITLE_LENGTH - 1] + "…"
    else:
        title = record[resource.title]
    entry = {
        "type": resource.singular,
        "id": rid,
        "date": record[resource.date],
        "date_start": record["date_start"],
        "date_end": record["date_end"],
        "title": title,
        "kind": record["kind"],
        "countries": involved,
        "sources": sources,
    }
    timeline = (name, rid, record["date_start"], record["date_end"], first, orjson.dumps(entry))
    refs = {("countries", c) for c in involved}
    refs.update(("documents", s["document"]) for s in sources)
    if name == "agreements":
        if record["meeting"]:
            refs.add(("meetings", record["meeting"]))
    elif name == "meetings":
        refs.add(("countries", record["location"]["country"]))
        for p in record["participants"]:
            refs.add(("countries", p["country"]))
        refs.update(("people", p) for p in people)
        if record["occasion"]:
            refs.add(("organizations", record["occasion"]["organization"]))
    elif name == "commentary":
        refs.add(("documents", record["document"]))
        refs.update(("people", p) for p in people)
        refs.update((SUBJECTS[s["type"]], s["id"]) for s in record["subjects"])
    return (
        tuple(main),
        [(name, rid, c) for c in involved],
        [(name, rid, p) for p in sorted(people)],
        timeline,
        None,
        [(name, rid, t, v) for t, v in sorted(refs)],
    )


SUBJECTS = {r.singular: r.name for r in catalog.ALL}


class DriftError(AssertionError):
    """A generated record or row differs from what the schemas and entries.rows give."""


def check_record(corpus: Corpus, resource: Resource, record: dict, published: dict) -> None:
    """Load and dump a record through its schema, verify its citations, compare its rows."""
    schema = resource.schema()
    given = {k: v for k, v in record.items() if k not in DERIVED}
    try:
        loaded = schema.load(given)
    except Exception as exc:  # a ValidationError names the field
        raise DriftError(f"{resource.name} {record['id']}: {exc}") from exc
    if resource.date:
        loaded["date_start"], loaded["date_end"] = dates.interval(
            loaded[resource.date], loaded.get(resource.until) if resource.until else None
        )
    for field in ("outcomes", "length"):
        if field in record:
            loaded[field] = record[field]
    if orjson.dumps(schema.dump(loaded)) != orjson.dumps(record):
        raise DriftError(f"{resource.name} {record['id']}: dumps differently through its schema")
    for path, source in citations.walk(record):
        problems = citations.verify(source, corpus.text_by_id[source["document"]])
        if problems:
            raise DriftError(f"{resource.name} {record['id']} {path}: {problems}")
    if resource in FAST:
        real = entries.rows(resource, record, published)
        main, linked, people, timeline, _, links = fast_rows(resource, record, published)
        expected = (
            tuple(real.main[c] for c in _columns(resource)),
            [tuple(r.values()) for r in real.countries],
            [tuple(r.values()) for r in real.people],
            tuple(real.timeline.values()),
            tuple(real.search.values()),
            [tuple(r.values()) for r in real.links],
            [],
        )
        got = (main, linked, people, timeline, fast_search(resource, record), links, real.names)
        if got != expected:
            raise DriftError(f"{resource.name} {record['id']}: rows differ from entries.rows")


# --- writing ---------------------------------------------------------------------------

LINKS = {  # link tables: staged unindexed, then copied in primary-key order
    "record_countries": (("resource", "record_id", "country"), "resource, country, record_id"),
    "record_people": (("resource", "record_id", "person"), "resource, person, record_id"),
    "record_links": (
        ("resource", "record_id", "target", "target_id"),
        "target, target_id, resource, record_id",
    ),
}
TIMELINE_COLUMNS = ("resource", "id", "date_start", "date_end", "cited_from", "json")
NAMES_COLUMNS = ("resource", "key", "record_id", "name", "rank")
SEARCH_COLUMNS = fulltext.COLUMNS

CACHE = -262144  # KiB of page cache
SORT_CACHE = -2048  # KiB of page cache while sorting: the sorter's run size (_sort_in_runs)

_corpus: Corpus | None = None  # set before the worker pool forks


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    for pragma in (
        "journal_mode = OFF",
        "synchronous = OFF",
        f"cache_size = {CACHE}",
        "temp_store = MEMORY",
        "threads = 2",
        "locking_mode = EXCLUSIVE",
    ):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _sort_in_runs(conn: sqlite3.Connection) -> None:
    """Let SQLite sort (``CREATE INDEX``, ``ORDER BY``) in cache-sized runs, then merge them.

    With temp_store = MEMORY its sorter never spills: it sorts one linked list of every
    record, each allocated on its own, and the merge passes miss the CPU cache; allowed
    temporary files, it sorts runs the size of the page cache (a small one, so they stay
    in the CPU cache) and merges them: about half the CPU time.
    """
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute(f"PRAGMA cache_size = {SORT_CACHE}")
    conn.execute("PRAGMA threads = 0")  # both cores are busy: helper threads only add work


def _insert(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows) -> None:
    marks = ", ".join("?" * len(columns))
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _chunks(corpus: Corpus) -> list[tuple[str, int, int, int]]:
    """Work units: (resource, first, last position in id order, first search rowid)."""
    chunks = []
    rowid = 1
    for resource in catalog.ALL:  # the build's order: search rowids follow it
        n = corpus.counts[resource.name]
        chunks += [(resource.name, a, min(a + BATCH, n), rowid + a) for a in range(0, n, BATCH)]
        rowid += n
    return chunks


def _rows_of_chunk(chunk: tuple[str, int, int, int]) -> dict:
    """Every row of a chunk of records (in a pool worker); every SAMPLE-th record checked."""
    name, first, last, rowid = chunk[:4]
    corpus = _corpus
    resource = catalog.BY_NAME[name]
    published = corpus.published_by_id
    if resource is catalog.COUNTRIES:
        records = corpus.country_records[first:last]
    else:
        make = getattr(corpus, f"make_{name}")
        records = [make(i) for i in corpus.order[name][first:last]]
    fast = resource in FAST
    out: dict = {"main": [], "timeline": [], "names": [], "search": []}
    out.update({table: [] for table in LINKS})
    digest = hashlib.sha256()
    prefix = name.encode() + b"\t"
    for n, record in enumerate(records, start=first):
        if n % SAMPLE == 0:
            check_record(corpus, resource, record, published)
        if fast:
            main, linked, people, timeline, names_, links = fast_rows(resource, record, published)
            search = fast_search(resource, record)
        else:
            rows = entries.rows(resource, record, published)
            main = tuple(rows.main[c] for c in _columns(resource))
            linked = [tuple(r.values()) for r in rows.countries]
            people = [tuple(r.values()) for r in rows.people]
            timeline = tuple(rows.timeline.values()) if rows.timeline else None
            names_ = [tuple(r.values()) for r in rows.names]
            links = [tuple(r.values()) for r in rows.links]
            search = tuple(rows.search.values())
        out["main"].append(main)
        out["record_countries"] += linked
        out["record_people"] += people
        out["record_links"] += links
        if timeline:
            out["timeline"].append(timeline)
        if names_:
            out["names"] += names_
        out["search"].append((rowid + n - first, *search))
        digest.update(prefix + main[7] + b"\n")
    out["resource"] = name
    out["count"] = len(records)
    out["digest"] = digest.digest()
    return out


CHUNK_TABLES = ("main", "timeline", "names", "search")
STAGE = "links-*.db"  # a worker's link rows, in the chunk directory

_stage: sqlite3.Connection | None = None  # the link rows' file of this pool worker


def _write_chunk(chunk: tuple[str, int, int, int, str]) -> dict:
    """Write a chunk's rows into a file of its own (in a pool worker) for the parent to copy.

    The tables have no types, keys or indexes: the values go in as given and come out
    the same for ``INSERT … SELECT``, which applies the real columns' affinities. The
    link rows go into this worker's own file (``STAGE``), which the link tables'
    processes read once every chunk is done.
    """
    global _stage
    out = _rows_of_chunk(chunk)
    path = chunk[4]
    if _stage is None:
        stage = Path(path).with_name(STAGE.replace("*", str(os.getpid())))
        _stage = _connect_chunk(stage)
        for table, (columns, _) in LINKS.items():
            _stage.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
    _stage.execute("BEGIN")
    for table, (columns, _) in LINKS.items():
        marks = ", ".join("?" * len(columns))
        _stage.executemany(f"INSERT INTO {table} VALUES ({marks})", out.pop(table))
    _stage.execute("COMMIT")
    conn = _connect_chunk(path)
    conn.execute("BEGIN")
    for table in CHUNK_TABLES:
        rows = out.pop(table)
        if not rows:
            continue
        width = len(rows[0])
        conn.execute(f"CREATE TABLE {table} ({', '.join(f'c{i}' for i in range(width))})")
        conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", rows)
        out[table] = True
    conn.execute("COMMIT")
    conn.close()
    out["path"] = path
    return out


def _connect_chunk(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _build_links(path: Path, table: str, sql: list[str], stages: list[Path]) -> None:
    """Copy a link table's rows from the workers' files in primary-key order, and index it.

    This runs in a child process (``_child``). ``sql`` is the main file's own for the table and its
    indexes: the parent copies the finished table in with its indexes, page by page
    (SQLite's transfer optimisation).
    """
    conn = _connect(path)
    _sort_in_runs(conn)
    columns, order = LINKS[table]
    listed = ", ".join(columns)
    parts = []
    for n, stage in enumerate(stages):
        conn.execute(f"ATTACH DATABASE ? AS s{n}", (str(stage),))
        parts.append(f"SELECT {listed} FROM s{n}.{table}")
    conn.execute("BEGIN")
    conn.execute(sql[0])
    conn.execute(
        f"INSERT INTO main.{table} ({listed}) SELECT * FROM "
        f"({' UNION ALL '.join(parts)}) ORDER BY {order}"
    )
    for statement in sql[1:]:
        conn.execute(statement)
    conn.execute("COMMIT")
    conn.close()


def _build_fulltext(chunks, directory: Path) -> None:
    """Build the full-text index from the chunk files as they come (a child process).

    ``chunks`` receives the path of each chunk file once this process's parent has
    copied it in, in chunk order (so in search rowid order), then an empty message;
    each file is deleted once read.
    """
    fulltext.build(directory, _search_rows(chunks), threads=1)


def _search_rows(chunks) -> Iterator[tuple]:
    """The search rows of every chunk file named on ``chunks``, in rowid order."""
    while path := chunks.recv_bytes().decode():
        conn = sqlite3.connect(path, isolation_level=None)
        yield from conn.execute("SELECT * FROM search ORDER BY rowid")
        conn.close()
        os.unlink(path)


def synthesize(records: int, db_path: Path, *, seed: int = 0, progress: bool = True) -> dict:
    """Write a synthetic corpus of ``records`` records at ``db_path``; return its meta.

    The result also has ``seconds`` and cumulative ``timings`` (not stored).
    """
    global _corpus
    started = time.monotonic()
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    transient_dir = _transient_dir(db_path.parent, records)
    if transient_dir == SHARED_MEMORY:
        _remove_stale(transient_dir, db_path.name)
    transient = transient_dir / f".{db_path.name}.{os.getpid()}"
    tmp_links = {t: transient.with_name(f"{transient.name}.{t}.tmp") for t in LINKS}
    tmp_chunks = transient.with_name(f"{transient.name}.chunks.tmp")
    writer = Writer(db_path)
    tmp_index = writer.fulltext_tmp()
    for path in (tmp, *tmp_links.values()):
        path.unlink(missing_ok=True)
    for directory in (tmp_index, tmp_chunks):
        shutil.rmtree(directory, ignore_errors=True)
    tmp_chunks.mkdir()
    timings: dict[str, float] = {}
    collecting = gc.isenabled()
    gc.disable()  # the corpus is millions of objects and no cycles
    try:
        _corpus = corpus = Corpus(records, seed)
    finally:
        if collecting:
            gc.enable()
    gc.freeze()  # and out of the collector's sight from now on, in this process and the workers
    timings["corpus"] = time.monotonic() - started
    fork = multiprocessing.get_context("fork")
    children: list[multiprocessing.process.BaseProcess] = []
    try:
        conn = _open(tmp)
        conn.execute("COMMIT")
        deferred = conn.execute(_DEFERRED_SQL).fetchall()
        for kind, name, _ in deferred:  # recreated once the rows are in
            conn.execute(f'DROP {kind.upper()} "{name}"')
        chunks, to_index = fork.Pipe(duplex=False)
        indexer = fork.Process(
            target=_child, args=(_build_fulltext, chunks, tmp_index), daemon=True
        )
        indexer.start()
        children.append(indexer)
        chunks.close()
        meta = _fill(corpus, conn, tmp_chunks, progress, writer, to_index)
        to_index.send_bytes(b"")
        to_index.close()
        timings["rows"] = time.monotonic() - started
        stages = sorted(tmp_chunks.glob(STAGE))
        tables = dict(
            conn.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                f"AND name IN ({', '.join('?' * len(LINKS))})",
                tuple(LINKS),
            ).fetchall()
        )
        linking = [
            fork.Process(
                target=_child,
                args=(
                    _build_links,
                    tmp_links[table],
                    table,
                    [tables[table]] + [sql for _, _, sql in deferred if _table_of(sql) == table],
                    stages,
                ),
                daemon=True,
            )
            for table in LINKS
        ]
        for process in linking:
            process.start()
            children.append(process)
        _sort_in_runs(conn)
        conn.execute("BEGIN")
        for _, _, sql in deferred:  # those of the link tables are filled by the copy below
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute(f"PRAGMA cache_size = {CACHE}")
        for table, process in zip(LINKS, linking, strict=True):
            process.join()
            if process.exitcode != 0:
                raise RuntimeError(f"the {table} process failed (exit {process.exitcode})")
            conn.execute(f"ATTACH DATABASE ? AS {table}", (str(tmp_links[table]),))
            conn.execute("BEGIN")  # into an empty table with the same indexes: page by page
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM {table}.{table}")
            conn.execute("COMMIT")
            conn.execute(f"DETACH DATABASE {table}")
        timings["indexes"] = time.monotonic() - started
        if records <= 100_000:
            violations = conn.execute("PRAGMA foreign_key_check").fetchall()
            if violations:
                raise RuntimeError(f"foreign keys violated: {violations[:5]}")
        conn.close()
        indexer.join()
        if indexer.exitcode != 0:
            raise RuntimeError(f"the full-text index process failed (exit {indexer.exitcode})")
        timings["fulltext"] = time.monotonic() - started
        writer.replace_with(tmp, tmp_index, meta["fulltext"])
    finally:
        _corpus = None
        gc.unfreeze()
        for process in children:
            if process.is_alive():
                process.kill()
                process.join()
        for path in (tmp, *tmp_links.values()):
            path.unlink(missing_ok=True)
        for directory in (tmp_index, tmp_chunks):
            shutil.rmtree(directory, ignore_errors=True)
    meta["seconds"] = round(time.monotonic() - started, 1)
    meta["timings"] = {k: round(v, 1) for k, v in timings.items()}
    return meta


TRANSIENT_BYTES = 2048  # per record, above the most the transient files hold (~1.4 KB)
SHARED_MEMORY = Path("/dev/shm")


def _transient_dir(beside: Path, records: int) -> Path:
    """Where the files that live only during a run go: in memory if there is room."""
    try:
        room = os.statvfs(SHARED_MEMORY)
        with open("/proc/meminfo") as meminfo:
            available = next(
                int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemAvailable:")
            )
    except (OSError, StopIteration, ValueError):
        return beside
    needed = records * TRANSIENT_BYTES
    if (
        room.f_bavail * room.f_frsize > needed
        and available > 2 * needed
        and os.access(SHARED_MEMORY, os.W_OK)
    ):
        return SHARED_MEMORY
    return beside


def _remove_stale(directory: Path, name: str) -> None:
    """Delete the transient files of runs for a database ``name`` whose process is gone."""
    for path in directory.glob(f".{name}.*.tmp"):
        pid = path.name[len(name) + 2 :].split(".", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except PermissionError:  # alive, another user's
            pass


def _table_of(sql: str) -> str:
    """The table a ``CREATE INDEX`` statement indexes."""
    return sql.split(" ON ", 1)[1].split("(", 1)[0].strip().strip('"')


_DEFERRED_SQL = (
    "SELECT type, name, sql FROM sqlite_master WHERE type = 'index' "
    "AND sql IS NOT NULL ORDER BY rowid"
)


def _open(path: Path) -> sqlite3.Connection:
    """A new file holding every table ``layout.create`` makes, in an open transaction."""
    conn = _connect(path)
    conn.execute("BEGIN")
    layout.create(sqlite_utils.Database(conn))
    return conn


def _fill(corpus: Corpus, conn, chunks: Path, progress: bool, writer: Writer, to_index) -> dict:
    """Generate every row (in a pool of workers) and copy it in; return the meta.

    Each chunk file, once copied, is handed on to the full-text index process
    (``to_index``).
    """
    digests: dict[str, list[bytes]] = {r.name: [] for r in catalog.ALL}
    total = sum(corpus.counts.values())
    sink = contextlib.nullcontext(sys.stderr) if progress else open(os.devnull, "w")
    workers = max(1, min(2, os.cpu_count() or 1))
    # Not multiprocessing.Pool: its terminate() can hang while a worker is mid-result
    # (CPython issues 78178, 96995), as it must on a DriftError.
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_pool_worker
    )
    work = [(*c, str(chunks / f"{n:06d}.db")) for n, c in enumerate(_chunks(corpus))]
    copies = {
        "main": "main.{name} ({columns}) SELECT * FROM c.main",
        "timeline": f"main.timeline ({', '.join(TIMELINE_COLUMNS)}) SELECT * FROM c.timeline",
        "names": f"main.names ({', '.join(NAMES_COLUMNS)}) SELECT * FROM c.names",
        "search": f"main.search ({', '.join(SEARCH_COLUMNS)}) SELECT * FROM c.search",
    }
    try:
        with sink as stream, click.progressbar(length=total, label="synth", file=stream) as bar:
            for out in pool.map(_write_chunk, work):
                name = out["resource"]
                columns = ", ".join(_columns(catalog.BY_NAME[name]))
                conn.execute("ATTACH DATABASE ? AS c", (out["path"],))
                conn.execute("BEGIN")
                for table in CHUNK_TABLES:
                    if table in out:
                        sql = copies[table].format(name=name, columns=columns)
                        conn.execute(f"INSERT INTO {sql}")
                conn.execute("COMMIT")
                conn.execute("DETACH DATABASE c")
                to_index.send_bytes(out["path"].encode())
                digests[name].append(out["digest"])
                bar.update(out["count"])
    finally:
        pool.shutdown(cancel_futures=True)  # on an error, waits for the chunks under way only
    conn.execute("BEGIN")
    _insert(
        conn,
        "document_texts",
        ("id", "text"),
        sorted(zip(corpus.ids["documents"], corpus.texts, strict=True)),
    )
    digest = hashlib.sha256(f"pycountry {countries.PYCOUNTRY_VERSION}\n".encode())
    for resource in BY_NAME_ORDER:
        for part in digests[resource.name]:
            digest.update(part)
    version = digest.hexdigest()[:16]
    meta = {
        "dataset_version": version,
        "data_version": version,
        "built_at": time.strftime(
            "%Y-%m-%dT%H:%M:%SZ",
            time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))),
        ),
        "pycountry": countries.PYCOUNTRY_VERSION,
        "schema_version": SCHEMA_VERSION,
        "drafts_version": "0",
        "counts": orjson.dumps(corpus.counts).decode(),
        "fulltext": writer.fulltext_name(version),
    }
    _insert(conn, "meta", ("key", "value"), sorted(meta.items()))
    conn.execute("COMMIT")
    return dict(meta)


@click.command()
@click.option(
    "--records",
    type=click.IntRange(1, 10_000_000),
    default=1000,
    show_default=True,
    help="How many records to generate",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the database",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed")
def main(records: int, db: Path, seed: int) -> None:
    """Generate a deterministic synthetic corpus with valid citations (for benchmarks)."""
    meta = synthesize(records, db, seed=seed)
    click.echo(f"built {db} (dataset {meta['dataset_version']}): {meta['counts']}")


if __name__ == "__main__":
    main()
