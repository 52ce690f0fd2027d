"""Agreements: treaties, MoUs, deals, purchases, at any stage."""

from marshmallow import fields, validate

from schemas.common import (
    BaseSchema,
    Choice,
    CountryRef,
    DatedSchema,
    PartialDate,
    Slug,
    Sources,
    Text,
    WholeNumber,
)

AGREEMENT_KINDS = ("treaty", "agreement", "mou", "deal", "joint_statement", "purchase")
AGREEMENT_STATUSES = (
    "proposed",
    "expressed_interest",
    "under_consideration",
    "negotiating",
    "signed",
    "ratified",
    "in_force",
    "lapsed",
)


class MoneySchema(BaseSchema):
    """An amount in whole units of a currency: 127000000 USD."""

    class Meta(BaseSchema.Meta):
        always_present = True

    amount = WholeNumber(required=True, validate=validate.Range(min=0))
    currency = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Z]{3}$", error="Not an ISO 4217 code."),
    )


class StatusChangeSchema(BaseSchema):
    """A status the agreement reached, when, and who says so."""

    class Meta(BaseSchema.Meta):
        always_present = True

    status = Choice("AgreementStatus", AGREEMENT_STATUSES, required=True)
    date = PartialDate(allow_none=True, load_default=None)
    sources = Sources(required=True)


class AgreementSchema(DatedSchema):
    """A treaty, agreement, MoU, deal or purchase between countries."""

    title = Text(required=True)
    kind = Choice("AgreementKind", AGREEMENT_KINDS, required=True)
    status = Choice("AgreementStatus", AGREEMENT_STATUSES, required=True)
    status_history = fields.List(fields.Nested(StatusChangeSchema), load_default=list)
    countries = fields.List(CountryRef(), required=True, validate=validate.Length(min=1))
    date = PartialDate(allow_none=True, load_default=None)
    sector = fields.String(allow_none=True, load_default=None)
    value = fields.Nested(MoneySchema, allow_none=True, load_default=None)
    summary = Text(required=True)
    meeting = Slug(
        allow_none=True,
        load_default=None,
        metadata={"description": "Id of the meeting at which it was reached"},
    )
    sources = Sources(required=True)
