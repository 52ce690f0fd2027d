"""The corpus's constants, its vocabulary (Zipf-distributed words) and date bounds."""

from __future__ import annotations

import calendar
import random

from api.domain import catalog

VOCABULARY = 50_000  # distinct words
POOL = 1 << 20  # Zipf draws that every text is a slice of
SAMPLE = 1000  # every SAMPLE-th record of each resource is checked through the schemas
BATCH = 5000  # records per executemany
SENTENCES = 24  # sentences per document
SPLIT_TEXTS = 64  # documents from which a child process makes some of the texts
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


def vocabulary(seed: int) -> tuple[list[str], random.Random]:
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
    return vocabulary(seed)[0][rank - 1]


def first_day(date: str) -> str:
    return date if len(date) == 10 else f"{date}-01" if len(date) == 7 else f"{date}-01-01"


_LAST_DAY = {(y, m): calendar.monthrange(y, m)[1] for y in range(1900, 2101) for m in range(1, 13)}


def last_day(date: str) -> str:
    if len(date) == 10:
        return date
    if len(date) == 7:
        return f"{date}-{_LAST_DAY[int(date[:4]), int(date[5:])]:02d}"
    return f"{date}-12-31"
