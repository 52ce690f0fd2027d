"""People named by sources."""

from marshmallow import fields

from schemas.common import (
    AliasSchema,
    BaseSchema,
    CountryRef,
    ExternalIdsSchema,
    PartialDate,
    RecordSchema,
    Sources,
    Text,
    no_external_ids,
)


class RoleSchema(BaseSchema):
    """An office a source says the person held."""

    class Meta(BaseSchema.Meta):
        always_present = True

    title = Text(required=True)
    country = CountryRef(allow_none=True, load_default=None)
    from_ = PartialDate(data_key="from", attribute="from", allow_none=True, load_default=None)
    to = PartialDate(allow_none=True, load_default=None)
    sources = Sources(required=True)


class PersonSchema(RecordSchema):
    """A person, under a canonical name, with the names sources use."""

    name = Text(required=True)
    aliases = fields.List(fields.Nested(AliasSchema), load_default=list)
    roles = fields.List(fields.Nested(RoleSchema), load_default=list)
    external_ids = fields.Nested(ExternalIdsSchema, load_default=no_external_ids)
