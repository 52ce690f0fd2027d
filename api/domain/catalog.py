"""The resources the service holds: one entry each, shared by build, store and views."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from marshmallow import Schema

from schemas.agreements import AgreementSchema
from schemas.commentary import CommentarySchema
from schemas.countries import CountrySchema
from schemas.documents import DocumentSchema
from schemas.events import EventSchema
from schemas.indicators import IndicatorSchema
from schemas.meetings import MeetingSchema
from schemas.organizations import OrganizationSchema
from schemas.people import PersonSchema


@dataclass(frozen=True)
class Resource:
    """How one kind of record is stored, filtered and sorted."""

    name: str  # collection path segment and table name
    singular: str  # the word a reference or a search hit uses
    schema: type[Schema]
    title: str  # field that names a record
    date: str | None = None  # field holding its partial date
    until: str | None = None  # field closing a period
    kind: bool = False  # filterable by kind
    status: bool = False  # filterable by status
    sort: tuple[str, ...] = ("id",)

    @property
    def default_sort(self) -> str:
        return "date" if self.date else self.sort[0]

    @property
    def instance(self) -> Schema:
        """A shared instance of the record schema (instances are reusable)."""
        return _instance(self.schema)


@functools.cache
def _instance(schema: type[Schema]) -> Schema:
    return schema()


COUNTRIES = Resource("countries", "country", CountrySchema, "name", sort=("id", "name"))
PEOPLE = Resource("people", "person", PersonSchema, "name", sort=("id", "name"))
ORGANIZATIONS = Resource(
    "organizations", "organization", OrganizationSchema, "name", sort=("id", "name")
)
AGREEMENTS = Resource(
    "agreements",
    "agreement",
    AgreementSchema,
    "title",
    date="date",
    kind=True,
    status=True,
    sort=("date", "id", "title"),
)
MEETINGS = Resource(
    "meetings",
    "meeting",
    MeetingSchema,
    "title",
    date="date",
    kind=True,
    sort=("date", "id", "title"),
)
EVENTS = Resource(
    "events",
    "event",
    EventSchema,
    "title",
    date="date",
    until="until",
    kind=True,
    sort=("date", "id", "title"),
)
INDICATORS = Resource(
    "indicators",
    "indicator",
    IndicatorSchema,
    "title",
    date="period",
    kind=True,
    sort=("date", "id", "title"),
)
COMMENTARY = Resource(
    "commentary",
    "commentary",
    CommentarySchema,
    "text",
    date="published",
    kind=True,
    sort=("date", "id"),
)
DOCUMENTS = Resource(
    "documents", "document", DocumentSchema, "title", date="published", sort=("date", "id", "title")
)

ALL = (
    COUNTRIES,
    PEOPLE,
    ORGANIZATIONS,
    AGREEMENTS,
    MEETINGS,
    EVENTS,
    INDICATORS,
    COMMENTARY,
    DOCUMENTS,
)
BY_NAME = {r.name: r for r in ALL}
BY_SINGULAR = {r.singular: r for r in ALL}

# Resources curated as fixture files (countries are generated, documents are seeds).
CURATED = (PEOPLE, ORGANIZATIONS, AGREEMENTS, MEETINGS, EVENTS, INDICATORS, COMMENTARY)

# Field names that refer to another record, and the resource they refer to.
REFERENCES = {
    "country": "countries",
    "countries": "countries",
    "successors": "countries",
    "continuator": "countries",
    "person": "people",
    "meeting": "meetings",
    "document": "documents",
    "organization": "organizations",
    "in_reply_to": "commentary",
}
