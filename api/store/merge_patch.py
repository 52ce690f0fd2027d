"""RFC 7396 JSON merge patches applied to records, and the fields a patch may not name."""

from __future__ import annotations

from marshmallow import fields


def merge_patch(target, patch):
    """RFC 7396 JSON merge patch: objects merge, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def patch_record(schema, target: dict, patch: dict) -> dict:
    """A merge patch applied to a record of ``schema``.

    A null removes a field, as RFC 7396 says, except a field the record must
    have that may be null (a document's ``published``): there null is the value.
    """
    result = merge_patch(target, patch)
    _keep_nulls(schema, patch, result)
    return result


def _keep_nulls(schema, patch: dict, result: dict) -> None:
    for key, value in patch.items():
        field = schema.fields.get(key)
        if field is None:
            continue
        if value is None and field.required and field.allow_none:
            result[key] = None
        elif (
            isinstance(value, dict)
            and isinstance(field, fields.Nested)
            and isinstance(result.get(key), dict)
        ):
            _keep_nulls(field.schema, value, result[key])


def unknown_fields(schema, patch: dict, path: str = "") -> list[str]:
    """Paths in a merge patch that name no field (objects are merged, so look inside)."""
    unknown = []
    for key, value in patch.items():
        field = schema.fields.get(key)
        if field is None or field.dump_only:
            unknown.append(f"{path}{key}")
        elif isinstance(value, dict) and isinstance(field, fields.Nested):
            unknown += unknown_fields(field.schema, value, f"{path}{key}.")
    return unknown
