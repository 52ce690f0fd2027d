"""Countries a sentence speaks of: by name, demonym, capital, or a historical state by date.

Names and demonyms are looked up with ``countrynames`` ("Kazakh", "Burma",
"USSR"), capitals with ``countryinfo`` (plus the capitals it has stale), and
ids follow the project: alpha-2, alpha-4 for a former state. A capital used
as a metonym ("Tokyo should…") stands for its country; "in Dushanbe" is a
venue, kept apart so a meeting's location does not become a party. Dates
decide historical states: Moscow in 1969 is the Soviet Union (``SUHH``),
Hanoi in 1973 North Vietnam (``VDVN``), and a "Soviet leader" in 2007 can
only be Russia's, the state that continues the Soviet Union.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

import countrynames
import pycountry
from countryinfo import all_countries

from api.domain.names import key


@dataclass(frozen=True)
class Former:
    """A former state: when it ended, which current state it maps to and back."""

    id: str
    until: str  # last day it existed
    successor: str  # the current state its capital and name now belong to
    continues: bool  # the successor continues its legal personality (Russia, the USSR)
    capitals: tuple[str, ...]
    since: str = "0001"  # when it came into being


FORMER = (
    Former("SUHH", "1991-12-25", "RU", True, ("Moscow",), "1922-12-30"),
    Former("VDVN", "1976-07-01", "VN", True, ("Hanoi",), "1945-09-02"),
    Former("CSHH", "1992-12-31", "CZ", False, ("Prague",), "1918-10-28"),
    Former("YUCS", "2003-02-03", "RS", False, ("Belgrade",), "1918-12-01"),
    Former("DDDE", "1990-10-02", "DE", False, ("East Berlin",), "1949-10-07"),
)
_FORMER_BY_ID = {f.id: f for f in FORMER}
_FORMER_NAMES = {
    "soviet": "SUHH", "soviets": "SUHH", "soviet union": "SUHH", "ussr": "SUHH",
    "north vietnam": "VDVN", "north vietnamese": "VDVN", "czechoslovakia": "CSHH",
    "czechoslovak": "CSHH", "yugoslavia": "YUCS", "yugoslav": "YUCS",
    "east germany": "DDDE", "east german": "DDDE", "west germany": "DE", "west german": "DE",
}
# Prefixes of compound adjectives ("Indo-Soviet", "Sino-Russian").
_PREFIXES = {"indo": "IN", "sino": "CN", "russo": "RU", "anglo": "GB", "franco": "FR",
             "afro": None, "euro": None, "italo": "IT", "nippo": "JP", "turco": "TR"}
# Capitals countryinfo lacks or has out of date, and cities newspapers use as metonyms.
_CAPITALS_EXTRA = {
    "astana": "KZ", "washington": "US", "brasilia": "BR", "new delhi": "IN", "delhi": "IN",
    "kyiv": "UA", "kiev": "UA", "beijing": "CN", "naypyidaw": "MM", "whitehall": "GB",
    "the kremlin": "RU", "kremlin": "RU", "the white house": "US", "downing street": "GB",
    "la paz": "BO", "abidjan": "CI", "tel aviv": "IL", "dar es salaam": "TZ",
}
REGIONS = {
    "central asia": ("KZ", "KG", "TJ", "TM", "UZ"),
    "central asian": ("KZ", "KG", "TJ", "TM", "UZ"),
}
_NOT_COUNTRIES = {"the", "a", "an", "he", "she", "it", "we", "us",  # "US" only in capitals
                  "new york", "geneva",  # seats of international bodies, not their countries
                  "island"}  # "Pacific Island countries": Iceland only in its own languages
# The abbreviations news writes for countries; other short capitals ("FO", "PM", "MP") are not.
_ABBREVIATIONS = {"us": "US", "usa": "US", "uk": "GB", "uae": "AE", "prc": "CN", "dprk": "KP",
                  "rok": "KR", "ksa": "SA", "drc": "CD", "ussr": "SUHH", "roc": "TW",
                  "rsa": "ZA", "bih": "BA", "car": "CF", "fsm": "FM", "png": "PG"}
# "South American countries", "Latin American": a region, not the United States.
# "US dollars", "US$": a currency, not the United States.
_NOT_A_STATE = re.compile(
    r"\b(?:South|North|Latin|Central|Pan|Ibero|Afro)[\s-]+Americans?\b|\bIndo[-\s]Pacific\b"
    r"|\bU\.?S\.?(?:\s*\$|\s+[Dd]ollars?\b)"
)
# A dateline: "SEOUL, Nov. 1 (Agency) --" or "Colombo, July 3:" at the head of a paragraph.
_DATELINE = re.compile(r"^[,.]?\s*(?:\(|[A-Z][a-z]{2,8}\.?\s+\d|\d{1,2}\s+[A-Z][a-z]{2}|[-–—:])")
_VENUE = re.compile(r"\b(?:in|at|near|outside)\s+(?:the\s+)?$", re.I)
_TOKEN = re.compile(r"[A-Z][\w’'.]*(?:-[A-Z]?[\w]+)*")


@dataclass(frozen=True)
class Mention:
    """A country named in the text, how it was named, and whether it is a venue."""

    start: int
    end: int
    id: str
    via: str  # name, demonym, capital, dateline, region, former, role
    venue: bool = False
    city: str | None = None  # the city, when named by a capital


@functools.cache
def _capitals() -> dict[str, str]:
    table = {}
    for country in all_countries():
        iso = country.iso()
        code = iso.get("alpha2") if isinstance(iso, dict) else None
        capital = country.capital()
        for city in capital if isinstance(capital, list) else [capital]:
            if code and isinstance(city, str) and city:
                table[key(city.split(" D.C.")[0])] = code
    table.update(_CAPITALS_EXTRA)
    return table


@functools.cache
def lookup(name: str) -> tuple[str, str] | None:
    """(country id, how) for a name, demonym, capital or former state's name; or None."""
    k = key(name)
    if k.startswith("the "):
        k = k[4:]
    if _abbreviation(name):  # "US", "U.S.", "FSM"
        code = _ABBREVIATIONS[_bare(name).lower()]
        return code, "former" if len(code) == 4 else "name"
    if not k or k in _NOT_COUNTRIES:
        return None
    if k in _FORMER_NAMES:
        return _FORMER_NAMES[k], "former"
    if k in _capitals():
        return _capitals()[k], "capital"
    if len(k) <= 3:
        return None  # "FO" is the Foreign Office and "PM" a prime minister, not islands
    code = countrynames.to_code(name.removeprefix("the ").removeprefix("The "))
    if code and code != "FAIL":
        if len(code) == 4:
            return code, "former"
        if pycountry.countries.get(alpha_2=code) is None and code != "XK":
            return None
        return code, "name"
    return None


def find(text: str, offset: int = 0, exclude: list[tuple[int, int]] = ()) -> list[Mention]:
    """Every country named in ``text`` (at ``offset``), outside the ``exclude`` spans
    (people's names). Longest names first: "the Russian Federation", then "Russian"."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = [(a - offset, b - offset) for a, b in exclude]
    taken += [m.span() for m in _NOT_A_STATE.finditer(text)]
    tokens = list(_TOKEN.finditer(text))
    for i, token in enumerate(tokens):
        if any(token.start() < e and s < token.end() for s, e in taken):
            continue
        for width in (4, 3, 2, 1):
            if i + width > len(tokens):
                continue
            last = tokens[i + width - 1]
            chunk = text[token.start() : last.end()]
            if width > 1 and not re.fullmatch(r"[\w’'.\- ]+", chunk):
                continue
            mention = _mention(chunk, token.start(), text, offset)
            if mention:
                found.extend(mention)
                taken.append((token.start(), last.end()))
                break
    for region, ids in REGIONS.items():
        for match in re.finditer(rf"\b{region}\b", text, re.I):
            found.extend(Mention(offset + match.start(), offset + match.end(), c, "region")
                         for c in ids)
    return _addresses(sorted(found, key=lambda m: m.start), text, offset)


def _addresses(found: list[Mention], text: str, offset: int) -> list[Mention]:
    """"Kuala Lumpur, Malaysia" is an address: the city and its country are both a venue."""
    for i in range(len(found) - 1):
        city, country = found[i], found[i + 1]
        if (
            city.via == "capital"
            and country.id == city.id
            and country.via in ("name", "demonym")
            and text[city.end - offset : country.start - offset] == ", "
        ):
            found[i] = replace(city, venue=True)
            found[i + 1] = replace(country, venue=True)
    return found


def _mention(chunk: str, start: int, text: str, offset: int) -> list[Mention]:
    clean = chunk.rstrip(".’'").removesuffix("’s").removesuffix("'s")
    hit = lookup(clean)
    if hit is None and "-" in clean:
        parts = []
        position = start
        for part in clean.split("-"):
            code = _PREFIXES.get(part.lower()) if part.lower() in _PREFIXES else None
            found = (code, "demonym") if code else lookup(part)
            if found:
                parts.append(Mention(offset + position, offset + position + len(part), found[0],
                                     found[1]))
            position += len(part) + 1
        return parts
    if hit is None:
        return []
    code, how = hit
    if how == "name" and key(clean) not in _names_of(code) and not _abbreviation(clean):
        how = "demonym"
    line = text[text.rfind("\n", 0, start) + 1 : start]
    dateline = not line.strip() and bool(_DATELINE.match(text[start + len(clean) :]))
    venue = how == "capital" and (bool(_VENUE.search(text[:start])) or dateline)
    city = clean if how == "capital" else None
    if how == "capital" and dateline:
        how = "dateline"  # where the reporter files from, not what the story is about
    return [Mention(offset + start, offset + start + len(clean), code, how, venue, city)]


def _bare(name: str) -> str:
    return name.removeprefix("the ").removeprefix("The ").replace(".", "")


def _abbreviation(name: str) -> bool:
    return _bare(name).isupper() and _bare(name).lower() in _ABBREVIATIONS


@functools.cache
def _names_of(code: str) -> frozenset[str]:
    entry = pycountry.countries.get(alpha_2=code)
    if entry is None:
        return frozenset()
    names = {entry.name, getattr(entry, "common_name", ""), getattr(entry, "official_name", "")}
    extra = {"RU": {"Russia"}, "US": {"America", "United States"}, "GB": {"Britain", "UK"},
             "KR": {"South Korea"}, "KP": {"North Korea"}, "IR": {"Iran"}, "SY": {"Syria"},
             "VN": {"Vietnam"}, "TW": {"Taiwan"}, "BO": {"Bolivia"}, "VE": {"Venezuela"},
             "TZ": {"Tanzania"}, "MD": {"Moldova"}, "LA": {"Laos"}, "CZ": {"Czech Republic"}}
    names |= extra.get(code, set())
    return frozenset(key(n) for n in names if n)


def at_date(code: str, when: str | None) -> str:
    """The state a country id stood for at a date: the former state before its end
    (Moscow in 1969: SUHH), the continuing state after it (the Soviet Union in 2007: RU)."""
    if not when:
        return code
    former = _FORMER_BY_ID.get(code)
    if former is not None:
        return former.successor if when > former.until and former.continues else code
    for former in FORMER:
        if former.successor == code and former.continues and former.since <= when <= former.until:
            return former.id
    return code


def capital_at_date(mention: Mention, when: str | None) -> str:
    """A capital's country at a date, for former states whose capital it was."""
    if mention.city:
        for former in FORMER:
            if mention.city in former.capitals and when and former.since <= when <= former.until:
                return former.id
    return at_date(mention.id, when)


def name(code: str) -> str:
    """The everyday name of a country id."""
    if code in _FORMER_BY_ID:
        return {"SUHH": "the Soviet Union", "VDVN": "North Vietnam", "CSHH": "Czechoslovakia",
                "YUCS": "Yugoslavia", "DDDE": "East Germany"}[code]
    everyday = {"RU": "Russia", "TR": "Turkey", "US": "the United States",
                "GB": "the United Kingdom", "IR": "Iran", "KR": "South Korea",
                "KP": "North Korea", "SY": "Syria",
                "VN": "Vietnam", "TW": "Taiwan", "TZ": "Tanzania", "VE": "Venezuela",
                "BO": "Bolivia", "MD": "Moldova", "LA": "Laos", "CZ": "Czechia"}
    if code in everyday:
        return everyday[code]
    entry = pycountry.countries.get(alpha_2=code)
    if entry is None:
        return code
    return getattr(entry, "common_name", None) or entry.name
