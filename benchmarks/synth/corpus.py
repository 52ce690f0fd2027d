"""Every record of the corpus, generated from its index alone."""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Iterator

from api.domain import catalog, countries
from api.domain.catalog import Resource
from benchmarks.synth.children import in_child
from benchmarks.synth.words import (
    CITING,
    CONTEXT,
    INDICATOR_KINDS,
    LEADING,
    MEMBERSHIPS,
    POOL,
    PUBLISHERS,
    ROLE_TITLES,
    SECTORS,
    SENTENCES,
    SPLIT_TEXTS,
    VOCABULARY,
    counts_for,
    first_day,
    last_day,
    vocabulary,
)
from schemas.agreements import AGREEMENT_KINDS, AGREEMENT_STATUSES
from schemas.commentary import COMMENTARY_KINDS
from schemas.events import EVENT_KINDS
from schemas.meetings import MEETING_KINDS


class Corpus:
    """Every record, generated from its index alone, the same on every run."""

    def __init__(self, records: int, seed: int = 0) -> None:
        self.seed = seed
        self.words, rng = vocabulary(seed)
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
        # A child makes the last three fifths of the texts meanwhile; this process makes
        # the ids first, then the rest (about as long).
        half = n * 2 // 5 if n >= SPLIT_TEXTS else n
        rest = in_child(self._texts, half, n) if half < n else None
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
            "date_start": date and first_day(date),
            "date_end": date and last_day(date),
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
            "date_start": date and first_day(date),
            "date_end": date and last_day(date),
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
            "date_start": date and first_day(date),
            "date_end": date and last_day(until or date),
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
            "date_start": period and first_day(period),
            "date_end": period and last_day(period),
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
            "date_start": first_day(published),
            "date_end": last_day(published),
            "notes": [],
            "inferred": [],
        }
