"""What involves a person, an organization or a country: the sections of its page.

A person's page lists the meetings they attended, the words they said (and the
commentary about them), the agreements reached at their meetings and the
documents they wrote; an organization's the meetings held under it and what
came of them; a country's its agreements, meetings, events, figures,
commentary, people and organizations, and the briefs it has records for.
Everything is read through the data module (the links the store keeps for
each record), newest first, each section up to ``SHOWN`` records with its count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from api.domain import catalog
from api.domain.catalog import Resource
from api.store import planner
from api.store.lookup import NotFound
from api.store.reads import Gone, Store, decode
from api.web.pages import reading
from api.web.recent import Recent

SHOWN = 20  # records a section lists
COUNTED = 100  # and counts up to
PAIRS: Recent[list] = Recent(8)  # the pairs with records, by database and data version


@dataclass
class Item:
    """A record in a list: its name, link, date and what it is."""

    label: str
    href: str
    date: str | None = None
    kind: str | None = None
    quote: bool = False  # the label is someone's words
    note: str | None = None  # how it involves the page's subject ("said", "about them")


@dataclass
class Section:
    title: str
    items: list[Item]
    count: int
    exact: bool
    more: str | None = None  # a page listing every one (a collection page)
    more_label: str = ""


@dataclass
class Involvement:
    sections: list[Section] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)  # a country's briefs

    @property
    def empty(self) -> bool:
        return not any(s.items for s in self.sections) and not self.partners


def item(data: Store, resource: Resource, record: dict, subject: str | None = None) -> Item:
    """A record as a list shows it; ``subject`` the id of the page's person, if any.
    Words are by their speaker's name (the person's, when the source's is linked)."""
    kind = record.get("kind") if resource.kind else None
    date = record.get(resource.date) if resource.date else None
    if resource is catalog.COMMENTARY:
        author = record.get("author") or {}
        note = None
        if subject is not None:
            note = "said" if author.get("person") == subject else "about them"
        speaker = author.get("name")
        if author.get("person"):
            try:
                speaker = decode(data.get(catalog.PEOPLE, author["person"]).json)["name"]
            except (NotFound, Gone):
                pass  # the source's name, then
        return Item(
            record["text"],
            reading.record_href(resource, record["id"]),
            date,
            kind,
            quote=kind in ("quote", "statement", "recommendation", "reader_comment"),
            note=note if note else (f"by {speaker}" if speaker else None),
        )
    return Item(
        reading.record_label(resource, record),
        reading.record_href(resource, record["id"]),
        date,
        (kind or "").replace("_", " ") or None,
    )


def collection_href(resource: Resource, **query) -> str:
    return f"/{resource.name}?{urlencode(query)}"


def _named(
    data: Store,
    target: Resource,
    target_id: str,
    resource: Resource,
    title: str,
    through: Resource | None = None,
    subject: str | None = None,
    more: str | None = None,
    more_label: str = "",
) -> Section:
    bodies, n = data.referring(target, target_id, resource, SHOWN, COUNTED + 1, through)
    items = [item(data, resource, decode(b), subject) for b in bodies]
    return Section(
        title, items, min(n, COUNTED), n <= COUNTED, more if n > len(items) else None, more_label
    )


def person(data: Store, person_id: str) -> Involvement:
    people = catalog.PEOPLE
    sections = [
        _named(
            data,
            people,
            person_id,
            catalog.MEETINGS,
            "Meetings attended",
            more=collection_href(catalog.MEETINGS, person=person_id, sort="-date"),
            more_label="Every meeting they attended",
        ),
        _named(
            data,
            people,
            person_id,
            catalog.COMMENTARY,
            "Words said, and commentary about them",
            subject=person_id,
            more=collection_href(catalog.COMMENTARY, author=person_id, sort="-date"),
            more_label="Everything they said",
        ),
        _named(
            data,
            people,
            person_id,
            catalog.AGREEMENTS,
            "Agreements reached at their meetings",
            through=catalog.MEETINGS,
        ),
        _named(data, people, person_id, catalog.EVENTS, "Events"),
        _named(data, people, person_id, catalog.DOCUMENTS, "Documents they wrote"),
    ]
    return Involvement(_kept(sections, always=2))


def organization(data: Store, organization_id: str) -> Involvement:
    org = catalog.ORGANIZATIONS
    sections = [
        _named(data, org, organization_id, catalog.MEETINGS, "Meetings held under it"),
        _named(
            data,
            org,
            organization_id,
            catalog.AGREEMENTS,
            "Agreements reached at those meetings",
            through=catalog.MEETINGS,
        ),
        _named(data, org, organization_id, catalog.EVENTS, "Events"),
        _named(data, org, organization_id, catalog.COMMENTARY, "Commentary about it"),
    ]
    return Involvement(_kept(sections, always=1))


COUNTRY_SECTIONS = (
    (catalog.AGREEMENTS, "Agreements"),
    (catalog.MEETINGS, "Meetings"),
    (catalog.EVENTS, "Events"),
    (catalog.INDICATORS, "Figures"),
    (catalog.COMMENTARY, "Commentary"),
    (catalog.PEOPLE, "People who held office for it"),
    (catalog.ORGANIZATIONS, "Organizations it belongs to or works with"),
)


def country(data: Store, country_id: str) -> Involvement:
    """A country's records (the ones the API's ``country`` filter finds) and its briefs."""
    where = planner.Filters(countries=[(country_id,)])
    sections = []
    for resource, title in COUNTRY_SECTIONS:
        sort = "-date" if resource.date else "name"
        page = data.page(resource, where, sort, SHOWN)
        n = len(page.items) if page.next_key is None else data.count(resource, where, COUNTED + 1)
        more = None
        if page.next_key is not None and resource.date:
            more = collection_href(resource, country=country_id, sort="-date")
        sections.append(
            Section(
                title,
                [item(data, resource, decode(b)) for b in page.items],
                min(n, COUNTED),
                n <= COUNTED,
                more,
                f"Every one of its {resource.name}",
            )
        )
    return Involvement(_kept(sections, always=0), partners(data, country_id))


def partners(data: Store, country_id: str) -> list[dict]:
    """The countries ``country_id`` has brief records with, most records first."""
    return [
        {
            "id": other,
            "name": decode(data.get(catalog.COUNTRIES, other).json)["name"],
            "records": n,
            "href": brief_href(country_id, other),
        }
        for other, n in data.partners(country_id)
    ]


def pairs_with_records(data: Store, limit: int, database: str) -> tuple[list[dict], int]:
    """The first ``limit`` pairs of countries with records in common, most first, each
    with both names and its brief's link; and how many pairs there are (the pairs are
    kept per database file and data version)."""
    key = (database, data.data_version())
    found = PAIRS.get(key)
    if found is None:
        found = data.pairs()
        PAIRS.keep(key, found)
    names: dict[str, str] = {}

    def name(country: str) -> str:
        if country not in names:
            names[country] = decode(data.get(catalog.COUNTRIES, country).json)["name"]
        return names[country]

    shown = [
        {"names": (name(a), name(b)), "records": n, "href": brief_href(a, b)}
        for a, b, n in found[:limit]
    ]
    return shown, len(found)


def brief_href(a: str, b: str) -> str:
    first, second = sorted((a, b))
    return f"/briefs/{first}/{second}"


def _kept(sections: list[Section], always: int) -> list[Section]:
    """The first ``always`` sections, and the others that list something."""
    return [s for i, s in enumerate(sections) if i < always or s.items]


def of(data: Store, resource: Resource, record_id: str) -> Involvement:
    """What involves a record of ``resource`` (nothing listed for other resources)."""
    if resource is catalog.PEOPLE:
        return person(data, record_id)
    if resource is catalog.ORGANIZATIONS:
        return organization(data, record_id)
    if resource is catalog.COUNTRIES:
        return country(data, record_id)
    return Involvement()
