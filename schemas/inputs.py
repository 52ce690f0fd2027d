"""Request bodies derived from the record schemas: the same fields, described once.

A record schema describes what the server sends, every field present. A
client creating a record must not be asked for what the server sets (the
id, derived dates, a meeting's outcomes), and may leave out what has a
default, including a citation's prefix and suffix, which the server fills
in. ``input_schema`` builds that variant; ``patch_schema`` the one for a
JSON merge patch, where every field is optional.
"""

from __future__ import annotations

import copy
import functools

from marshmallow import Schema, fields

READ_ONLY = frozenset({"id", "date_start", "date_end", "outcomes"})


def _always_present(schema: type[Schema]) -> bool:
    return getattr(getattr(schema, "Meta", None), "always_present", False)


def _retarget(field: fields.Field, make) -> fields.Field:
    """The field, with nested record parts swapped for their request variants."""
    if isinstance(field, fields.Nested) and isinstance(field.nested, type):
        if _always_present(field.nested):
            field = copy.copy(field)
            field.nested = make(field.nested)
            field._schema = None
    elif isinstance(field, fields.List):
        inner = _retarget(field.inner, make)
        if inner is not field.inner:
            field = copy.copy(field)
            field.inner = inner
    return field


def _variant(schema: type[Schema], suffix: str, optional: bool) -> type[Schema]:
    # Nested parts are always whole: a merge patch replaces a list entirely.
    make = input_schema
    members = {}
    for name, field in schema._declared_fields.items():
        if name in READ_ONLY or field.dump_only:
            continue
        new = _retarget(field, make)
        if optional and new.required:
            new = copy.copy(new) if new is field else new
            new.required = False
        members[name] = new

    class Meta(schema.Meta):
        always_present = False
        exclude = tuple(n for n in schema._declared_fields if n not in members)

    members["Meta"] = Meta
    base = schema.__name__.removesuffix("Schema")
    return type(f"{base}{suffix}Schema", (schema,), members)


@functools.cache
def input_schema(schema: type[Schema]) -> type[Schema]:
    """The body that creates a record: no id or derived fields; defaults may be left out."""
    return _variant(schema, "In", optional=False)


@functools.cache
def patch_schema(schema: type[Schema]) -> type[Schema]:
    """What a merge patch may hold: any of the input fields (null removes one)."""
    return _variant(schema, "Patch", optional=True)
