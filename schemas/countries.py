"""Countries: ISO 3166 generated at build time, plus curated additions."""

from marshmallow import fields

from schemas.common import (
    AliasSchema,
    BaseSchema,
    CountryRef,
    ExternalIdsSchema,
    PartialDate,
    RecordSchema,
    Text,
)


class CountryAdditionSchema(BaseSchema):
    """What a fixture adds to a pycountry entry: names, history, external ids."""

    id = CountryRef(required=True)
    name = Text(
        load_default=None,
        metadata={"description": "The name people write, when it is not ISO's short name"},
    )
    aliases = fields.List(fields.Nested(AliasSchema), load_default=list)
    successors = fields.List(CountryRef(), load_default=list)
    continuator = CountryRef(allow_none=True, load_default=None)
    external_ids = fields.Nested(ExternalIdsSchema, load_default=dict)
    notes = fields.List(Text(), load_default=list)


class CountrySchema(RecordSchema):
    """A current (ISO 3166-1) or historical (ISO 3166-3) country."""

    id = CountryRef(required=True)
    alpha2 = fields.String(required=True)
    alpha3 = fields.String(required=True)
    alpha4 = fields.String(allow_none=True, load_default=None)
    numeric = fields.String(required=True, metadata={"description": 'ISO numeric code, e.g. "004"'})
    name = Text(
        required=True,
        metadata={"description": 'The name as people write it ("Soviet Union", "Taiwan")'},
    )
    official_name = fields.String(
        allow_none=True,
        load_default=None,
        metadata={"description": "The official or ISO 3166 name, when it differs"},
    )
    aliases = fields.List(fields.Nested(AliasSchema), load_default=list)
    historical = fields.Boolean(required=True)
    user_assigned = fields.Boolean(
        required=True,
        metadata={
            "description": "The code is not ISO 3166's but the user-assigned one in common "
            "use (Kosovo, XK)"
        },
    )
    withdrawn = PartialDate(allow_none=True, load_default=None)
    successors = fields.List(CountryRef(), load_default=list)
    continuator = CountryRef(
        allow_none=True,
        load_default=None,
        metadata={"description": "The successor that continues this state's legal personality"},
    )
    external_ids = fields.Nested(ExternalIdsSchema, load_default=dict)
