"""Country records generated from the pinned pycountry, plus fixture additions.

pycountry is the source of the records (ISO 3166-1 and every ISO 3166-3
former state); ``countrynames`` reads the everyday, former and foreign names
newspapers use ("UK", "Burma", "Holland") as codes.
"""

from __future__ import annotations

import re
from importlib.metadata import version

import countrynames
import pycountry

from api.domain import names

PYCOUNTRY_VERSION = version("pycountry")
COUNTRYNAMES_VERSION = version("countrynames")

# Kosovo has no ISO 3166-1 code; XK is the user-assigned code the European
# Commission, the IMF, SWIFT and most data sets use for it.
KOSOVO = {
    "alpha2": "XK",
    "alpha3": "XKX",
    "numeric": "",
    "name": "Kosovo",
    "official_name": "Republic of Kosovo",
}

# The part of a name that another country's name may share: "Korea" in
# "Korea, Republic of" (any name), "Guinea" in "Guinea-Bissau" (the short name).
_COMMA_HEAD = re.compile(r"^([^,(]+?)\s*,")
_HYPHEN_HEAD = re.compile(r"^(\w+)-\w")


def _record(
    code: str,
    entry,
    *,
    historical: bool = False,
    user_assigned: bool = False,
) -> dict:
    iso_name = entry["name"] if isinstance(entry, dict) else entry.name

    def attr(name: str):
        return entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)

    common = attr("common_name")
    official = attr("official_name")
    aliases = []
    if common and official and iso_name not in (common, official):
        # Bolivia: display "Bolivia", official "Plurinational State of Bolivia";
        # the ISO short name still finds it.
        aliases.append({"name": iso_name, "kind": "official", "sources": []})
    return {
        "id": code,
        "alpha2": attr("alpha_2") or attr("alpha2"),
        "alpha3": attr("alpha_3") or attr("alpha3"),
        "alpha4": attr("alpha_4") if historical else None,
        "numeric": attr("numeric") or "",
        "name": common or iso_name,
        "official_name": official or (iso_name if common else None),
        "aliases": aliases,
        "historical": historical,
        "user_assigned": user_assigned,
        "withdrawn": attr("withdrawal_date") if historical else None,
        "successors": [],
        "continuator": None,
        "external_ids": {"wikidata": None},
        "notes": [],
        "inferred": [],
    }


def current() -> dict[str, dict]:
    """Every current country of ISO 3166-1, by alpha-2."""
    return {c.alpha_2: _record(c.alpha_2, c) for c in pycountry.countries}


def generated() -> dict[str, dict]:
    """Every country by id: ISO 3166-1 by alpha-2, Kosovo (XK), ISO 3166-3 by alpha-4."""
    table = current()
    table["XK"] = _record("XK", KOSOVO, user_assigned=True)
    for c in pycountry.historic_countries:
        table[c.alpha_4] = _record(c.alpha_4, c, historical=True)
    return table


def merge(base: dict, addition: dict) -> dict:
    """A generated record with a fixture's additions applied.

    A fixture's ``name`` is the name people write; the ISO name it replaces
    stays as ``official_name`` (or, when that is taken, as an official alias).
    """
    merged = dict(base)
    merged["aliases"] = base["aliases"] + addition.get("aliases", [])
    name = addition.get("name")
    if name and name != base["name"]:
        merged["name"] = name
        if base["official_name"] is None:
            merged["official_name"] = base["name"]
        elif base["official_name"] != base["name"]:
            merged["aliases"] = [
                {"name": base["name"], "kind": "official", "sources": []},
                *merged["aliases"],
            ]
    for field in ("successors", "continuator", "notes"):
        if field in addition:
            merged[field] = addition[field]
    merged["external_ids"] = {**base["external_ids"], **addition.get("external_ids", {})}
    return merged


def name_keys(country: dict) -> list[tuple[str, int]]:
    """The names a country is found by, each with its priority (lower wins).

    Priority 0: everything a current country is called, and every alias a
    fixture gives (a curator's or a source's spelling is meant to win).
    Priority 1: a former state's own codes and names, which give way to a
    current country that has the same code (``SK``) or is still called by
    that name (``Burma``: see ``everyday``); a code no current country holds
    (``SU``) still finds the former state.
    """
    rank = 1 if country["historical"] else 0
    own = [
        country["id"],
        country["alpha2"],
        country["alpha3"],
        country["alpha4"],
        country["name"],
        country["official_name"],
    ]
    keys = [(a["name"], 0) for a in country["aliases"]]
    keys += [(n, rank) for n in own if n]
    return list(dict.fromkeys(keys))


def ambiguous(table: dict[str, dict]) -> dict[str, list[str]]:
    """Names that several current countries answer to, by name key, with the ids.

    A name is ambiguous when it is one country's name and the head of
    another's ("Congo" and "Congo, The Democratic Republic of the";
    "Guinea" and "Guinea-Bissau"), or the head of two ("Korea"). The
    candidates are every current country whose name holds it as whole words
    ("Guinea": also Equatorial Guinea and Papua New Guinea).
    """
    current = [c for c in table.values() if not c["historical"]]
    heads: dict[str, set[str]] = {}
    for country in current:
        found = [_HYPHEN_HEAD.match(country["name"])]
        for name in _names_of(country):
            heads.setdefault(names.key(name), set()).add(country["id"])
            found.append(_COMMA_HEAD.match(name))
        for match in filter(None, found):
            heads.setdefault(names.key(match.group(1)), set()).add(country["id"])
    result = {}
    for key, ids in heads.items():
        if len(ids) < 2:
            continue
        words = re.compile(rf"(?:^| ){re.escape(key)}(?: |$)")
        ids |= {
            c["id"] for c in current if any(words.search(names.key(n)) for n in _names_of(c))
        }
        result[key] = sorted(ids)
    return result


def _names_of(country: dict) -> list[str]:
    return [n for n in (country["name"], country["official_name"]) if n] + [
        a["name"] for a in country["aliases"] if a["kind"] in ("official", "common")
    ]


def everyday(text: str) -> str | None:
    """The code ``countrynames`` reads in a name people write, or None.

    "UK" -> GB, "Burma" -> MM, "Holland" -> NL, "Yugoslavia" -> YUCS,
    "East Germany" -> DD (ISO 3166-3's alpha-2 for DDDE).
    """
    return countrynames.to_code(text)


def near(text: str) -> str | None:
    """The code of the name ``text`` most likely misspells ("Pakistn" -> PK), or None."""
    return countrynames.to_code(text, fuzzy=True)
