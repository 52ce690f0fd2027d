"""Country records generated from the pinned pycountry, plus fixture additions."""

from __future__ import annotations

from importlib.metadata import version

import pycountry

PYCOUNTRY_VERSION = version("pycountry")


def _base(entry, historical: bool) -> dict:
    alpha4 = getattr(entry, "alpha_4", None) if historical else None
    withdrawn = getattr(entry, "withdrawal_date", None) if historical else None
    aliases = []
    common = getattr(entry, "common_name", None)
    if common and common != entry.name:
        aliases.append({"name": common, "kind": "common", "sources": []})
    return {
        "id": alpha4 or entry.alpha_2,
        "alpha2": entry.alpha_2,
        "alpha3": entry.alpha_3,
        "alpha4": alpha4,
        "numeric": getattr(entry, "numeric", None) or "",
        "name": entry.name,
        "official_name": getattr(entry, "official_name", None),
        "aliases": aliases,
        "historical": historical,
        "withdrawn": withdrawn,
        "successors": [],
        "continuator": None,
        "external_ids": {"wikidata": None},
        "notes": [],
        "inferred": [],
    }


def current() -> dict[str, dict]:
    """Every current country (ISO 3166-1), by alpha-2."""
    return {c.alpha_2: _base(c, False) for c in pycountry.countries}


def historical(alpha4: str) -> dict | None:
    """A former country (ISO 3166-3) by its alpha-4 code, or None."""
    entry = pycountry.historic_countries.get(alpha_4=alpha4)
    return _base(entry, True) if entry else None


def merge(base: dict, addition: dict) -> dict:
    """A generated record with a fixture's additions applied."""
    merged = dict(base)
    merged["aliases"] = base["aliases"] + addition.get("aliases", [])
    for field in ("successors", "continuator", "external_ids", "notes"):
        if field in addition:
            merged[field] = addition[field]
    return merged


def name_keys(country: dict) -> list[tuple[str, int]]:
    """The names a country is found by, each with its priority (lower wins).

    Codes of current countries outrank a historical country's reused code;
    a historical country keeps codes no current country holds (``SU``).
    """
    rank = 1 if country["historical"] else 0
    names = [
        country["id"],
        country["alpha2"],
        country["alpha3"],
        country["alpha4"],
        country["name"],
        country["official_name"],
    ]
    names += [a["name"] for a in country["aliases"]]
    return [(n, rank) for n in dict.fromkeys(n for n in names if n)]
