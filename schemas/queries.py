"""Query parameters of the collections: one schema each, validated before any query runs."""

from __future__ import annotations

import functools

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas import dates
from schemas.agreements import AGREEMENT_KINDS, AGREEMENT_STATUSES
from schemas.commentary import COMMENTARY_KINDS
from schemas.common import BaseSchema, Choice, DateValidator, WholeNumber
from schemas.events import EVENT_KINDS
from schemas.meetings import MEETING_KINDS

MAX_LIMIT = 500
DEFAULT_LIMIT = 50


def _sort(component: str, names: tuple[str, ...], default: str) -> fields.String:
    values = [v for name in names for v in (name, f"-{name}")]
    return Choice(
        component,
        values,
        load_default=default,
        metadata={
            "description": "Sort field; a leading '-' sorts descending. "
            "Undated records come last either way."
        },
    )


def _facets(component: str, names: tuple[str, ...]) -> fields.List:
    return fields.List(
        Choice(component, names),
        validate=validate.Length(max=len(names)),
        metadata={
            "description": "Count the filtered records by these fields (repeatable); "
            "the counts come back in `facets`. Their cost grows with the matching set."
        },
    )


class DateBound(fields.String):
    """A date in a filter at any precision, read as the first or last day it names.

    ``from=2007`` is 2007-01-01, ``to=2007-11`` is 2007-11-30: a filter
    by year or month means the whole interval.
    """

    def __init__(self, last: bool, **kwargs) -> None:
        self.last = last
        super().__init__(validate=DateValidator(), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        self.validators[0](text)  # the shape and calendar messages, before reading it
        return dates.bounds(text)[1 if self.last else 0]


def _as_of() -> fields.String:
    return DateBound(
        last=True,
        metadata={
            "description": "Only what documents published on or before this date say "
            "(YYYY, YYYY-MM or YYYY-MM-DD: a year or month means its last day)"
        },
    )


def _predecessors(default: bool) -> fields.Boolean:
    return fields.Boolean(
        load_default=default,
        metadata={
            "description": "Also match the records of states a country continues "
            "(Russia continues the Soviet Union); they are marked `via`"
        },
    )


def _name_list(description: str) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        validate=validate.Length(max=10),
        metadata={"description": description},
    )


class PageQuery(BaseSchema):
    """Paging and representation, shared by every collection."""

    limit = WholeNumber(
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={
            "description": f"Page size, 1-{MAX_LIMIT}; default {DEFAULT_LIMIT} "
            "(CSV without a limit streams every matching record)"
        },
    )
    cursor = fields.String(
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "Opaque cursor from a previous page's next_cursor"},
    )
    format = Choice(
        "Format",
        ("json", "csv"),
        metadata={
            "description": "json overrides an Accept header. The CSV is its own operation "
            "(the same path with .csv); csv is read here too, for curl.",
            # Only JSON is documented, so a typed client's page is a page.
            "documented": ["json"],
        },
    )


class DateRangeQuery(PageQuery):
    """Inclusive date bounds: a record matches when its interval overlaps them."""

    from_ = DateBound(
        last=False,
        data_key="from",
        attribute="date_from",
        metadata={
            "description": "Earliest date (inclusive): YYYY, YYYY-MM or YYYY-MM-DD, "
            "a year or month meaning its first day"
        },
    )
    to = DateBound(
        last=True,
        attribute="date_to",
        metadata={
            "description": "Latest date (inclusive): YYYY, YYYY-MM or YYYY-MM-DD, "
            "a year or month meaning its last day"
        },
    )

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("Must not be after 'to'.", "from")


class DatedQuery(DateRangeQuery):
    """Dated records, filtered by the countries involved."""

    country = _name_list(
        "Country code or name; repeat it (or separate names by commas) to require "
        "several countries"
    )
    predecessors = _predecessors(False)
    as_of = _as_of()


class CountryQuery(PageQuery):
    q = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Part of a code, name or alias"},
    )
    historical = fields.Boolean(metadata={"description": "Only former (true) or current (false)"})
    mentioned = fields.Boolean(
        metadata={"description": "Only countries some record involves (true) or none does (false)"}
    )
    sort = _sort("CountrySort", ("id", "name"), "id")
    facet = _facets("CountryFacet", ("historical",))


class PersonQuery(PageQuery):
    q = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Part of a name or alias"},
    )
    sort = _sort("PersonSort", ("id", "name"), "id")
    facet = _facets("PersonFacet", ("country",))


class OrganizationQuery(PageQuery):
    sort = _sort("OrganizationSort", ("id", "name"), "id")
    facet = _facets("OrganizationFacet", ("country",))


class AgreementQuery(DatedQuery):
    kind = Choice("AgreementKind", AGREEMENT_KINDS)
    status = Choice("AgreementStatus", AGREEMENT_STATUSES)
    sort = _sort("AgreementSort", ("date", "id", "title"), "date")
    facet = _facets("AgreementFacet", ("kind", "status", "country", "year"))


class MeetingQuery(DatedQuery):
    kind = Choice("MeetingKind", MEETING_KINDS)
    person = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Participant: person id or name"},
    )
    sort = _sort("MeetingSort", ("date", "id", "title"), "date")
    facet = _facets("DatedFacet", ("kind", "country", "year"))


class EventQuery(DatedQuery):
    kind = Choice("EventKind", EVENT_KINDS)
    sort = _sort("EventSort", ("date", "id", "title"), "date")
    facet = _facets("DatedFacet", ("kind", "country", "year"))


class IndicatorQuery(DatedQuery):
    kind = fields.String(
        validate=validate.Regexp(r"^[a-z0-9_]+$"),
        metadata={"description": "What is measured, e.g. trade_turnover"},
    )
    sort = _sort("IndicatorSort", ("date", "id", "title"), "date")
    facet = _facets("DatedFacet", ("kind", "country", "year"))


class CommentaryQuery(DatedQuery):
    kind = Choice("CommentaryKind", COMMENTARY_KINDS)
    author = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Author or speaker: person id or name"},
    )
    sort = _sort("CommentarySort", ("date", "id"), "date")
    facet = _facets("DatedFacet", ("kind", "country", "year"))


class DocumentQuery(DateRangeQuery):
    sort = _sort("DocumentSort", ("date", "id", "title"), "date")
    facet = _facets("DocumentFacet", ("year",))


TIMELINE_TYPES = ("agreement", "meeting", "event", "indicator", "commentary")
SEARCH_TYPES = (
    "country",
    "person",
    "organization",
    "agreement",
    "meeting",
    "event",
    "indicator",
    "commentary",
    "document",
)


class TimelineQuery(DatedQuery):
    """The chronology across resources; predecessors count by default."""

    predecessors = _predecessors(True)
    type = fields.List(
        Choice("TimelineType", TIMELINE_TYPES),
        validate=validate.Length(max=len(TIMELINE_TYPES)),
        metadata={"description": "Only these record types (repeatable)"},
    )
    sort = _sort("TimelineSort", ("date",), "date")


class SearchQuery(PageQuery):
    """Full-text search."""

    q = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={
            "description": "Words to find; every word must match (accents and case "
            "ignored). Punctuation and search operators are read as "
            "plain text."
        },
    )
    type = fields.List(
        Choice("SearchType", SEARCH_TYPES),
        validate=validate.Length(max=len(SEARCH_TYPES)),
        metadata={"description": "Only these record types (repeatable)"},
    )


class BriefQuery(BaseSchema):
    """How a bilateral brief is composed."""

    as_of = _as_of()
    predecessors = _predecessors(True)
    limit = WholeNumber(
        load_default=10,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "Most items shown in each section (default 10)"},
    )
    format = Choice(
        "BriefFormat",
        ("json", "markdown"),
        metadata={
            "description": "json overrides an Accept header. The Markdown is its own "
            "operation (the same path with .md); markdown is read here too, for curl.",
            "documented": ["json"],
        },
    )


@functools.cache
def without(query: type[BaseSchema], *names: str) -> type[BaseSchema]:
    """``query`` less some parameters: a CSV or Markdown operation takes no ``format``
    (its path names it) and no ``facet`` (a CSV has no place for counts)."""
    dropped = tuple(n for n in names if n in query._declared_fields)

    class Meta(query.Meta):
        exclude = dropped

    name = f"{query.__name__}Without{''.join(n.capitalize() for n in dropped)}"
    return type(name, (query,), {"Meta": Meta})
