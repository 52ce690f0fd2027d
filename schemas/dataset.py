"""The dataset's description: its version, size and downloads."""

from marshmallow import fields

from schemas.common import BaseSchema, CountryRef


class DatasetLinksSchema(BaseSchema):
    class Meta(BaseSchema.Meta):
        always_present = True

    ndjson = fields.String(metadata={"description": "Every record, one JSON object a line"})
    sqlite = fields.String(metadata={"description": "The SQLite database file itself"})
    openapi = fields.String(metadata={"description": "The OpenAPI document"})


class PairSchema(BaseSchema):
    """Two countries that share records, and their brief."""

    class Meta(BaseSchema.Meta):
        always_present = True

    countries = fields.List(CountryRef())
    records = fields.Integer(metadata={"description": "Records involving both"})
    brief = fields.String(metadata={"description": "The pair's bilateral brief"})


class DatasetSchema(BaseSchema):
    """What the served database holds and when it was built."""

    class Meta(BaseSchema.Meta):
        always_present = True

    dataset_version = fields.String(
        metadata={"description": "Digest of the canonical records and the pycountry version"}
    )
    data_version = fields.String(metadata={"description": "Changes with every write"})
    built_at = fields.String(metadata={"description": "When the database was built (UTC)"})
    pycountry = fields.String(metadata={"description": "pycountry version behind the countries"})
    schema_version = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    pairs = fields.List(
        fields.Nested(PairSchema),
        metadata={"description": "Country pairs with at least one shared record, most first"},
    )
    links = fields.Nested(DatasetLinksSchema)


class ReplicationSchema(BaseSchema):
    """A read replica's position (``/readyz`` on a server started with ``--follow``)."""

    class Meta(BaseSchema.Meta):
        always_present = True

    change_seq = fields.Integer(metadata={"description": "The last change in this copy"})
    index_seq = fields.Integer(metadata={"description": "The last change its search reflects"})
    applied_age = fields.Float(
        allow_none=True,
        metadata={"description": "Seconds since Litestream last applied a transaction here"},
    )
    follower_age = fields.Float(
        allow_none=True, metadata={"description": "Seconds since the follower's last pass"}
    )


class HealthSchema(BaseSchema):
    class Meta(BaseSchema.Meta):
        always_present = True

    status = fields.String()
    dataset_version = fields.String(allow_none=True)
    sqlite = fields.String(allow_none=True, metadata={"description": "SQLite engine version"})
    replication = fields.Nested(
        ReplicationSchema,
        allow_none=True,
        metadata={"description": "A read replica's position; null on the primary"},
    )
