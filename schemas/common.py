"""Building blocks shared by every resource schema.

A record schema describes a record once: the build loads fixtures with it,
the API dumps stored records with it, and the OpenAPI document is generated
from it. Schemas flagged ``always_present`` emit every field on dump, so the
OpenAPI layer marks all of their fields required.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from schemas import dates

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
COUNTRY_ID = r"^(?:[A-Z]{2}|[A-Z]{4})$"
MAX_INT = 2**53 - 1  # the largest integer every JSON client reads exactly


class BaseSchema(Schema):
    """Every schema rejects unknown fields, nested ones included."""

    class Meta:
        unknown = RAISE


class WholeNumber(fields.Integer):
    """An integer that also accepts whole floats (``3.0``) and rejects the rest.

    JSON Schema counts ``3.0`` as an integer; marshmallow's non-strict Integer
    would silently truncate ``2.5``.
    """

    default_error_messages = {"invalid": "Not a whole number.", "too_large": "Number too large."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Publish the bound that _validated enforces: apispec writes it as minimum/maximum.
        self.validators.insert(0, validate.Range(min=-MAX_INT, max=MAX_INT))

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid")
        try:
            result = super()._validated(value)
        except (OverflowError, ValueError) as exc:
            raise self.make_error("invalid") from exc
        if result is not None and abs(result) > MAX_INT:
            raise self.make_error("too_large")
        return result


class DateValidator(validate.Regexp):
    """A date string: its shape first, then whether the calendar has that day.

    The strict pattern (months 01-12, days 01-31) is what OpenAPI publishes;
    the messages tell a malformed string from an impossible date (2007-02-30).
    """

    shape = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
    form = "YYYY, YYYY-MM or YYYY-MM-DD"

    def __init__(self, pattern: str = dates.PATTERN) -> None:
        super().__init__(pattern)

    def __call__(self, value: str) -> str:
        if not isinstance(value, str) or not self.shape.match(value):
            raise ValidationError(f"Not a date of the form {self.form}.")
        try:
            dates.bounds(value)
        except ValueError as exc:
            raise ValidationError(f"Not a real calendar date: {value}.") from exc
        return value


class FullDateValidator(DateValidator):
    """A complete calendar date, used by the ``from``/``to`` filters."""

    shape = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    form = "YYYY-MM-DD"

    def __init__(self) -> None:
        super().__init__(dates.FULL_PATTERN)


def PartialDate(**kwargs) -> fields.String:
    """A date string kept at its source precision (never ``format: date``)."""
    metadata = {
        "description": "ISO 8601 date at the source's precision: YYYY, YYYY-MM or YYYY-MM-DD"
    }
    metadata.update(kwargs.pop("metadata", {}))
    return fields.String(validate=DateValidator(), metadata=metadata, **kwargs)


def Choice(component: str, values: Sequence[str], **kwargs) -> fields.String:
    """A string restricted to ``values``, published once as the named enum ``component``."""
    metadata = {"enum_component": component}
    metadata.update(kwargs.pop("metadata", {}))
    return fields.String(validate=validate.OneOf(values), metadata=metadata, **kwargs)


def Slug(**kwargs) -> fields.String:
    """A record id: a lowercase slug, stable once published."""
    return fields.String(validate=validate.Regexp(SLUG, error="Not a lowercase slug."), **kwargs)


def CountryRef(**kwargs) -> fields.String:
    """A country id: alpha-2 for a current country, alpha-4 for a historical one."""
    metadata = {"description": "Country id: ISO 3166-1 alpha-2, or ISO 3166-3 alpha-4"}
    metadata.update(kwargs.pop("metadata", {}))
    return fields.String(
        validate=validate.Regexp(COUNTRY_ID, error="Not a country id (alpha-2 or alpha-4)."),
        metadata=metadata,
        **kwargs,
    )


def Text(**kwargs) -> fields.String:
    """A non-empty string."""
    return fields.String(validate=validate.Length(min=1), **kwargs)


# --- citations ---------------------------------------------------------------

CONTEXT = 32  # characters of prefix/suffix context (W3C TextQuoteSelector)


class SourceSchema(BaseSchema):
    """Where a fact is written: a verbatim quote and its code-point offsets."""

    class Meta(BaseSchema.Meta):
        always_present = True

    document = Slug(required=True, metadata={"description": "Id of the source document"})
    quote = Text(required=True, metadata={"description": "Verbatim document text"})
    start = WholeNumber(
        required=True,
        validate=validate.Range(min=0, max=MAX_INT),
        metadata={"description": "Offset of the quote's first character, in code points"},
    )
    end = WholeNumber(
        required=True,
        validate=validate.Range(min=0, max=MAX_INT),
        metadata={"description": "Offset just past the quote's last character"},
    )
    prefix = fields.String(
        metadata={"description": f"Up to {CONTEXT} characters of text before the quote"}
    )
    suffix = fields.String(
        metadata={"description": f"Up to {CONTEXT} characters of text after the quote"}
    )

    @validates_schema
    def _span(self, data, **kwargs):
        start, end, quote = data.get("start"), data.get("end"), data.get("quote")
        if start is None or end is None or quote is None:
            return
        if end - start != len(quote):
            raise ValidationError(
                f"end - start is {end - start} but the quote is {len(quote)} characters long.",
                "end",
            )


def Sources(**kwargs) -> fields.List:
    """The citations behind a fact: at least one."""
    return fields.List(fields.Nested(SourceSchema), validate=validate.Length(min=1), **kwargs)


ALIAS_KINDS = ("official", "common", "abbreviation", "former", "source_spelling")


class AliasSchema(BaseSchema):
    """Another name for a record; a source's own spelling cites where it appears."""

    class Meta(BaseSchema.Meta):
        always_present = True

    name = Text(required=True)
    kind = Choice("AliasKind", ALIAS_KINDS, required=True)
    sources = fields.List(fields.Nested(SourceSchema), load_default=list)

    @validates_schema
    def _cited_spelling(self, data, **kwargs):
        if data.get("kind") == "source_spelling" and not data.get("sources"):
            raise ValidationError("A source_spelling alias must cite where it appears.", "sources")


class ExternalIdsSchema(BaseSchema):
    """Identifiers of the same thing in other datasets."""

    class Meta(BaseSchema.Meta):
        always_present = True

    wikidata = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Regexp(r"^Q[1-9][0-9]*$", error="Not a Wikidata item id."),
    )


def no_external_ids() -> dict:
    """The external ids of a record that has none (as loading ``{}`` gives them)."""
    return {"wikidata": None}


class RecordSchema(BaseSchema):
    """Fields every record has: its id and the curator's remarks."""

    class Meta(BaseSchema.Meta):
        always_present = True

    id = Slug(required=True)
    notes = fields.List(
        Text(),
        load_default=list,
        metadata={"description": "Curator remarks: corrections, doubts"},
    )
    inferred = fields.List(
        Text(),
        load_default=list,
        metadata={"description": "Fields the curator inferred rather than read in a source"},
    )

    # Shown after a record's own fields, in this order.
    TRAILING = ("date_start", "date_end", "notes", "inferred", "via")

    def _init_fields(self) -> None:
        super()._init_fields()
        for table in (self.fields, self.dump_fields, self.load_fields):
            for name in self.TRAILING:
                if name in table:
                    table[name] = table.pop(name)

    @validates_schema
    def _inferred_fields_exist(self, data, **kwargs):
        for path in data.get("inferred", []):
            top = re.split(r"[.\[]", path, maxsplit=1)[0]
            if top not in self.fields or top in ("id", "notes", "inferred"):
                raise ValidationError(f"Names no field of this record: {path!r}.", "inferred")


class DatedSchema(RecordSchema):
    """Derived bounds of a partial date, for filtering and sorting."""

    via = CountryRef(
        dump_only=True,
        metadata={
            "description": "Only in a collection asked for with predecessors=true: the "
            "predecessor state through which the record matched a country it does not "
            "name (Russia through the Soviet Union, SUHH)",
            "sometimes_present": True,
        },
    )

    date_start = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "First day the date's precision covers (derived)"},
    )
    date_end = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Last day the date's precision covers (derived)"},
    )


class PersonRefSchema(BaseSchema):
    """A name as written, and the person record it refers to (or null)."""

    class Meta(BaseSchema.Meta):
        always_present = True

    name = Text(required=True)
    person = Slug(allow_none=True, load_default=None)
