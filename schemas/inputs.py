"""Request bodies derived from the record schemas: the same fields, described once.

A record schema describes what the server sends, every field present. A
client creating a record must not be asked for what the server sets (the
id, derived dates, a meeting's outcomes), and may leave out what has a
default, including a citation's prefix and suffix, which the server fills
in. ``input_schema`` builds that variant; ``patch_schema`` the one for a
JSON merge patch (RFC 7396), where every field is optional, null removes a
field (back to its default), objects merge and lists are replaced whole.
"""

from __future__ import annotations

import copy
import functools
import re

from marshmallow import Schema, fields, validate

READ_ONLY = frozenset({"id", "date_start", "date_end", "outcomes"})
# Request text holds no control character but tab, line feed and carriage return
# (C0, DEL, C1); api/web/editing.py refuses them in any string of a body.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
PLAIN_TEXT = rf"^[^{CONTROL_CHARACTERS}]*$"


def no_control_characters() -> validate.Regexp:
    """The rule every free-text input follows, stated as a pattern the OpenAPI document shows."""
    return validate.Regexp(PLAIN_TEXT, error="Control characters are not allowed.")


def _always_present(schema: type[Schema]) -> bool:
    return getattr(getattr(schema, "Meta", None), "always_present", False)


def _retarget(field: fields.Field, make, make_item) -> fields.Field:
    """The field, with nested record parts swapped for their request variants.

    ``make`` gives the variant of a nested object, ``make_item`` that of a list's
    items (a merge patch merges objects but replaces lists whole).
    """
    if isinstance(field, fields.Nested) and isinstance(field.nested, type):
        if _always_present(field.nested):
            field = copy.copy(field)
            field.nested = make(field.nested)
            field._schema = None
    elif isinstance(field, fields.List):
        inner = _retarget(field.inner, make_item, make_item)
        if inner is not field.inner:
            field = copy.copy(field)
            field.inner = inner
    return field


def _plain_text(field: fields.Field) -> fields.Field:
    """A free-text field (or list of them) with the no-control-characters rule stated."""
    if isinstance(field, fields.List):
        inner = _plain_text(field.inner)
        if inner is not field.inner:
            field = copy.copy(field)
            field.inner = inner
        return field
    if not isinstance(field, fields.String) or any(
        isinstance(v, (validate.Regexp, validate.OneOf)) for v in field.validators
    ):
        return field
    field = copy.copy(field)
    field.validators = [
        *field.validators,
        no_control_characters(),
    ]
    return field


def _inferred_names_a_field(field: fields.List, members: dict) -> fields.List:
    """`inferred` with the rule RecordSchema enforces stated as a pattern: a path into a
    field of the body (``members``)."""
    names = sorted(n for n in members if n not in ("id", "notes", "inferred"))
    field = copy.copy(field)
    field.inner = copy.copy(field.inner)
    pattern = rf"^(?:{'|'.join(map(re.escape, names))})(?:[.\[][^{CONTROL_CHARACTERS}]*)?$"
    field.inner.validators = [*field.inner.validators, validate.Regexp(pattern)]
    return field


def _variant(
    schema: type[Schema], suffix: str, optional: bool, read_only: frozenset[str] = READ_ONLY
) -> type[Schema]:
    make = part_patch_schema if optional else part_schema
    members = {}
    for name, field in schema._declared_fields.items():
        if name in read_only or field.dump_only or field.metadata.get("server_sets"):
            continue
        new = _retarget(field, make, part_schema)
        if name != "inferred":  # its own pattern below says what it may hold
            new = _plain_text(new)
        if optional:
            new = copy.copy(new) if new is field else new
            # null removes a field: allowed where the record may lack it
            new.allow_none = new.allow_none or not new.required
            new.required = False
        members[name] = new
    if "inferred" in members:
        members["inferred"] = _inferred_names_a_field(members["inferred"], members)

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


@functools.cache
def part_schema(schema: type[Schema]) -> type[Schema]:
    """A part nested in a body. The server sets no field of a part: an `id` there (a
    commentary's subject) names another record, so only dump-only fields are left out."""
    return _variant(schema, "In", optional=False, read_only=frozenset())


@functools.cache
def part_patch_schema(schema: type[Schema]) -> type[Schema]:
    """An object nested in a merge patch: merged into the stored one, any field left out."""
    return _variant(schema, "Patch", optional=True, read_only=frozenset())
