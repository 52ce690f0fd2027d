"""A deterministic synthetic corpus with valid citations, for benchmarks: ``briefs synth``.

The corpus has the layout of a real build (``index.create`` and the rows
``index.rows`` gives each record), the same meta keys and a dataset version
computed the way ``api.build.dataset_version`` computes it, so the API serves
it unchanged. Every citation holds: ``text[start:end] == quote``, prefix and
suffix are the 32 characters around it, as ``api.citations`` computes them.

Texts are drawn from a pseudo-word vocabulary with a Zipf-like law (the word
of rank r is drawn with probability ~1/r), so a few words occur in most
records, a few hundred in ~1% of them, and the tail in a handful: the search
benchmark picks its common and rare terms with ``word(rank)``.

Speed (a million records in well under a minute on two cores):

* records of the five large resources are built directly in their output
  form and their rows computed without ``index.rows``; every ``SAMPLE``-th
  record is checked against the real thing: loaded and dumped by its
  marshmallow schema (its stored JSON must come out byte for byte), its
  citations verified, and its rows compared with ``index.rows``;
* indexes and the full-text triggers are dropped while rows are written and
  recreated from their own SQL afterwards;
* a second process writes the ``search`` table and its FTS5 index into a
  file of its own, which is then copied in (the FTS5 shadow tables are
  ordinary tables);
* the file is written with journaling off into a temporary name and renamed
  into place, as ``briefs build`` does.
"""

from __future__ import annotations

import bisect
import calendar
import hashlib
import itertools
import random
from collections.abc import Iterator

from api import catalog, countries
from api.catalog import Resource

VOCABULARY = 50_000  # distinct words
POOL = 1 << 20  # Zipf draws that texts are sliced from
SAMPLE = 1000  # every SAMPLE-th record of a resource is checked against the real schema
BATCH = 5000  # records per executemany
SENTENCES = 24  # sentences per document
SYLLABLES = (
    "ka lo mer ta vi sun dor pe ri gan to mu sel bra ne os qui fa len zor ha ti wen yu cap "
    "dre mi sa ron bel tu ga vo nik ar es il um"
).split()
# The countries most records involve come first (their weight falls off as 1/rank).
LEADING = ("PK", "RU", "CN", "US", "IN", "AF", "IR", "TR", "SA", "GB", "FR", "DE", "JP")
PAIR = ("PK", "RU")  # the pair whose brief the benchmark composes
PUBLISHERS = ("The Express Tribune", "Dawn", "The Diplomat", "Foreign Affairs", "Kommersant")
SECTORS = ("defence", "energy", "trade", "transport", "education", None)
ROLE_TITLES = ("President", "Prime Minister", "Foreign Minister", "Ambassador", "Envoy")
ORG_KINDS = ("member", "observer", "applicant", "dialogue_partner")
INDICATOR_KINDS = ("trade_turnover", "investment", "aid", "arms_imports")

# Share of the records (beyond the generated countries) each resource gets.
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


def counts_for(records: int, n_countries: int) -> dict[str, int]:
    """How many records of each resource a corpus of ``records`` has (at least one each)."""
    rest = max(records - n_countries, 0)
    counts = {"countries": n_countries}
    for name, share in SHARES.items():
        counts[name] = max(1, int(rest * share))
    counts["commentary"] = max(1, rest - sum(counts[n] for n in SHARES))
    return {r.name: counts[r.name] for r in catalog.ALL}


class Corpus:
    """Everything needed to generate any record from its index, deterministically."""

    def __init__(self, records: int, seed: int = 0) -> None:
        self.seed = seed
        rng = random.Random(f"briefs-synth-{seed}")
        words: list[str] = []
        seen: set[str] = set()
        while len(words) < VOCABULARY:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        weights = list(itertools.accumulate(1.0 / (r + 1) for r in range(VOCABULARY)))
        self.pool = rng.choices(words, cum_weights=weights, k=POOL + 64)
        self.noise = [rng.getrandbits(32) for _ in range(1 << 16)]
        current = countries.current()
        self.countries = {code: current[code] for code in sorted(current)}
        order = [c for c in LEADING if c in current] + sorted(set(current) - set(LEADING))
        self.country_order = order
        self.country_weights = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(order))))
        self.counts = counts_for(records, len(self.countries))
        self.ids: dict[str, list[str]] = {}
        self.order: dict[str, list[int]] = {}
        for resource in catalog.ALL:
            if resource is catalog.COUNTRIES:
                continue
            ids = [self._id(resource, i) for i in range(self.counts[resource.name])]
            self.ids[resource.name] = ids
            self.order[resource.name] = sorted(range(len(ids)), key=ids.__getitem__)
        self._documents()
        # Citing records are numbered across resources so each cites its own sentence.
        base = 0
        self.base = {}
        for resource in (catalog.PEOPLE, catalog.ORGANIZATIONS, *FAST):
            self.base[resource.name] = base
            base += self.counts[resource.name]

    # --- randomness, by index ----------------------------------------------------

    def r(self, key: int, salt: int) -> int:
        """A 32-bit pseudo-random number for (key, salt), the same every run."""
        noise = self.noise
        return (
            noise[(key * 40503 + salt * 7919 + self.seed) & 0xFFFF]
            ^ noise[(key >> 16) + salt & 0xFFFF]
            ^ (key * 2654435761 & 0xFFFFFFFF)
        )

    def span(self, key: int, length: int) -> list[str]:
        start = (key * 2654435761 + self.seed * 97) % POOL
        return self.pool[start : start + length]

    def phrase(self, key: int, length: int) -> str:
        return " ".join(self.span(key, length))

    def title(self, key: int, length: int) -> str:
        return " ".join(w.capitalize() for w in self.span(key, length))

    def date(self, key: int, precision: bool = True) -> str | None:
        """A date at day, month or year precision (or null, ~2%), 1960-2025."""
        x = self.r(key, 11)
        year = 1960 + x % 66
        month = 1 + (x >> 8) % 12
        day = 1 + (x >> 12) % 28
        kind = (x >> 20) % 100 if precision else 0
        if kind < 70:
            return f"{year:04d}-{month:02d}-{day:02d}"
        if kind < 90:
            return f"{year:04d}-{month:02d}"
        if kind < 98:
            return f"{year:04d}"
        return None

    def countries_for(self, key: int) -> list[str]:
        x = self.r(key, 5)
        total = self.country_weights[-1]
        found = []
        for k in range(1 + x % 3):
            point = (self.r(key, 17 + k) / 4294967296.0) * total
            code = self.country_order[bisect.bisect(self.country_weights, point)]
            if code not in found:
                found.append(code)
        return found

    # --- documents ---------------------------------------------------------------

    def _id(self, resource: Resource, i: int) -> str:
        key = i * 13 + len(resource.name)
        return f"{'-'.join(self.span(key * 7 + 3, 2))}-{resource.name[:3]}{i}"

    def _documents(self) -> None:
        """Every document's text, with the offsets of its sentences."""
        n = self.counts["documents"]
        self.texts: list[str] = []
        self.sentences: list[list[tuple[int, int]]] = []
        self.published: list[str] = []
        for d in range(n):
            key = d * SENTENCES * 3 + 1
            parts = [self.title(key, 5), "\n\n"]
            offsets = []
            at = len(parts[0]) + 2
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
            self.texts.append("".join(parts))
            self.sentences.append(offsets)
            x = self.r(d, 23)
            self.published.append(
                f"{1990 + x % 36:04d}-{1 + (x >> 8) % 12:02d}-{1 + (x >> 12) % 28:02d}"
            )

    def source(self, g: int, extra: int = 0) -> dict:
        """The citation of citing record ``g``: one sentence of one document."""
        n = self.counts["documents"]
        d = (g + extra * 7) % n
        s = ((g + extra * 7) // n + extra) % SENTENCES
        start, end = self.sentences[d][s]
        text = self.texts[d]
        return {
            "document": self.ids["documents"][d],
            "quote": text[start:end],
            "start": start,
            "end": end,
            "prefix": text[max(0, start - 32) : start],
            "suffix": text[end : end + 32],
        }

    def sources(self, g: int) -> list[dict]:
        if self.r(g, 29) % 4 == 0:
            return [self.source(g), self.source(g, 1)]
        return [self.source(g)]

    def cited_from(self, sources: list[dict]) -> str:
        documents = self.ids["documents"]
        return (
            min(self.published[self._doc_index[s["document"]]] for s in sources)
            if len(sources) > 1
            else self.published[self._doc_index[sources[0]["document"]]]
        )

    @property
    def _doc_index(self) -> dict[str, int]:
        if not hasattr(self, "_doc_index_cache"):
            self._doc_index_cache = {d: i for i, d in enumerate(self.ids["documents"])}
        return self._doc_index_cache

    # --- records -----------------------------------------------------------------

    def records(self, resource: Resource) -> Iterator[dict]:
        """The output records of a resource, in id order."""
        if resource is catalog.COUNTRIES:
            yield from self.countries.values()
            return
        make = getattr(self, f"_{resource.name}")
        for i in self.order[resource.name]:
            yield make(i)

    def _person_ref(self, key: int) -> dict | None:
        x = self.r(key, 31)
        if x % 10 == 0:
            return None
        p = x % self.counts["people"]
        return {"name": self.person_name(p), "person": self.ids["people"][p]}

    def person_name(self, p: int) -> str:
        return self.title(p * 5 + 2, 2)

    def _documents_record(self, d: int) -> dict:
        text = self.texts[d]
        author = self._person_ref(d * 3 + 1)
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

    _documents_ = _documents_record

    def _people(self, p: int) -> dict:
        g = self.base["people"] + p
        name = self.person_name(p)
        aliases = []
        if p % 5 == 0:
            aliases.append({"name": name.split()[-1], "kind": "common", "sources": []})
        country = self.countries_for(g)[0]
        return {
            "id": self.ids["people"][p],
            "name": name,
            "aliases": aliases,
            "roles": [
                {
                    "title": ROLE_TITLES[self.r(g, 7) % len(ROLE_TITLES)],
                    "country": country,
                    "from": None,
                    "to": None,
                    "sources": [self.source(g)],
                }
            ],
            "external_ids": {"wikidata": None},
            "notes": [],
            "inferred": [],
        }

    def _organizations(self, o: int) -> dict:
        g = self.base["organizations"] + o
        name = self.title(g * 11 + 5, 3)
        members = self.countries_for(g)
        return {
            "id": self.ids["organizations"][o],
            "name": f"{name} Organisation",
            "acronym": "".join(w[0] for w in name.split()).upper() + "O",
            "aliases": [],
            "memberships": [
                {
                    "country": c,
                    "status": ORG_KINDS[(self.r(g, 9) + k) % len(ORG_KINDS)],
                    "from": None,
                    "to": None,
                    "sources": [self.source(g, k)],
                }
                for k, c in enumerate(members)
            ],
            "external_ids": {"wikidata": None},
            "notes": [],
            "inferred": [],
        }

    def _dated(self, g: int, date: str | None, until: str | None = None):
        if date is None:
            return None, None
        first = _first(date)
        last = _last(until or date)
        return first, last

    def _agreements(self, i: int) -> dict:
        g = self.base["agreements"] + i
        x = self.r(g, 41)
        date = self.date(g)
        status = AGREEMENT_STATUSES[x % len(AGREEMENT_STATUSES)]
        sources = self.sources(g)
        meetings = self.counts["meetings"]
        meeting = self.ids["meetings"][i // 3] if i % 3 == 0 and i // 3 < meetings else None
        start, end = self._dated(g, date)
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
            "date_start": start,
            "date_end": end,
            "notes": [],
            "inferred": [],
        }

    def _meetings(self, i: int) -> dict:
        g = self.base["meetings"] + i
        x = self.r(g, 43)
        date = self.date(g)
        involved = self.countries_for(g)
        start, end = self._dated(g, date)
        host = self._person_ref(g * 3 + 2)
        participants = [
            {
                "person": host["person"] if host else None,
                "role": ROLE_TITLES[x % len(ROLE_TITLES)],
                "country": involved[0],
            }
        ]
        if len(involved) > 1 and x % 2:
            guest = self._person_ref(g * 3 + 3)
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
            "outcomes": [self.ids["agreements"][outcome]]
            if outcome < self.counts["agreements"]
            else [],
            "date_start": start,
            "date_end": end,
            "notes": [],
            "inferred": [],
        }

    def _events(self, i: int) -> dict:
        g = self.base["events"] + i
        x = self.r(g, 47)
        date = self.date(g)
        kind = EVENT_KINDS[x % len(EVENT_KINDS)]
        until = None
        if kind == "period" and date is not None:
            until = f"{min(int(date[:4]) + 1 + (x >> 4) % 10, 2030):04d}"
        start, end = self._dated(g, date, until)
        return {
            "id": self.ids["events"][i],
            "title": self.title(g * 11 + 5, 2 + x % 4),
            "kind": kind,
            "date": date,
            "until": until,
            "countries": self.countries_for(g),
            "summary": self.phrase(g * 11 + 7, 8 + (x >> 16) % 10),
            "sources": self.sources(g),
            "date_start": start,
            "date_end": end,
            "notes": [],
            "inferred": [],
        }

    def _indicators(self, i: int) -> dict:
        g = self.base["indicators"] + i
        x = self.r(g, 53)
        period = str(1990 + x % 36) if x % 50 else None
        start, end = self._dated(g, period)
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
            "date_start": start,
            "date_end": end,
            "notes": [],
            "inferred": [],
        }

    def _commentary(self, i: int) -> dict:
        g = self.base["commentary"] + i
        x = self.r(g, 59)
        kind = COMMENTARY_KINDS[x % len(COMMENTARY_KINDS)]
        sources = [self.source(g)]
        document = sources[0]["document"]
        published = self.published[self._doc_index[document]]
        if x % 3 == 1:
            published = published[:7]
        start, end = self._dated(g, published)
        subjects = []
        if x % 4 == 0:
            subjects = [
                {"type": "agreement", "id": self.ids["agreements"][g % self.counts["agreements"]]}
            ]
        return {
            "id": self.ids["commentary"][i],
            "kind": kind,
            "author": None if kind == "reader_comment" else self._person_ref(g * 3 + 4),
            "speech": ("direct", "reported")[(x >> 4) % 2] if kind == "quote" else None,
            "text": sources[0]["quote"],
            "document": document,
            "published": published,
            "published_text": None,
            "countries": self.countries_for(g),
            "subjects": subjects,
            "in_reply_to": None,
            "sources": sources,
            "date_start": start,
            "date_end": end,
            "notes": [],
            "inferred": [],
        }


# Generators for the resources whose method name is taken by a data attribute.
Corpus._documents_gen = Corpus._documents_record  # type: ignore[attr-defined]


def _first(date: str) -> str:
    if len(date) == 10:
        return date
    if len(date) == 7:
        return f"{date}-01"
    return f"{date}-01-01"


_LAST_DAY = {(y, m): calendar.monthrange(y, m)[1] for y in range(1900, 2101) for m in range(1, 13)}


def _last(date: str) -> str:
    if len(date) == 10:
        return date
    if len(date) == 7:
        return f"{date}-{_LAST_DAY[int(date[:4]), int(date[5:])]:02d}"
    return f"{date}-12-31"


from schemas.agreements import AGREEMENT_KINDS, AGREEMENT_STATUSES  # noqa: E402
from schemas.commentary import COMMENTARY_KINDS  # noqa: E402
from schemas.events import EVENT_KINDS  # noqa: E402
from schemas.meetings import MEETING_KINDS  # noqa: E402
