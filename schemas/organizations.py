"""International organizations and who belongs to them."""

from marshmallow import fields

from schemas.common import (
    AliasSchema,
    BaseSchema,
    Choice,
    CountryRef,
    ExternalIdsSchema,
    PartialDate,
    RecordSchema,
    Sources,
    Text,
    no_external_ids,
)

MEMBERSHIP_STATUSES = ("member", "observer", "applicant", "dialogue_partner")


class MembershipSchema(BaseSchema):
    """A country's standing in an organization, as a source gives it."""

    class Meta(BaseSchema.Meta):
        always_present = True

    country = CountryRef(required=True)
    status = Choice("MembershipStatus", MEMBERSHIP_STATUSES, required=True)
    from_ = PartialDate(data_key="from", attribute="from", allow_none=True, load_default=None)
    to = PartialDate(allow_none=True, load_default=None)
    sources = Sources(required=True)


class OrganizationSchema(RecordSchema):
    """An international organization."""

    name = Text(required=True)
    acronym = fields.String(allow_none=True, load_default=None)
    aliases = fields.List(fields.Nested(AliasSchema), load_default=list)
    memberships = fields.List(fields.Nested(MembershipSchema), load_default=list)
    external_ids = fields.Nested(ExternalIdsSchema, load_default=no_external_ids)
