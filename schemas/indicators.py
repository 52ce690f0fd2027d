"""Indicators: named figures such as annual trade turnover."""

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.common import CountryRef, DatedSchema, PartialDate, Sources, Text, WholeNumber


class IndicatorSchema(DatedSchema):
    """A figure as the source states it, in whole units."""

    title = Text(required=True)
    kind = fields.String(
        required=True,
        validate=validate.Regexp(r"^[a-z0-9_]+$"),
        metadata={"description": "What is measured, e.g. trade_turnover"},
    )
    countries = fields.List(CountryRef(), required=True, validate=validate.Length(min=1))
    value = WholeNumber(required=True)
    unit = fields.String(allow_none=True, load_default=None)
    currency = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Regexp(r"^[A-Z]{3}$", error="Not an ISO 4217 code."),
    )
    period = PartialDate(allow_none=True, load_default=None)
    summary = Text(required=True)
    sources = Sources(required=True)

    @validates_schema
    def _unit_or_currency(self, data, **kwargs):
        if not data.get("unit") and not data.get("currency"):
            raise ValidationError("Give a unit or a currency.", "unit")
