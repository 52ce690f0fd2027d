"""A record as the API serves it, and what makes one valid beyond its schema.

The server derives some fields (``DERIVED``): a dated record's interval, a
meeting's outcomes, a citation's prefix and suffix. ``output`` adds them, the
same way at build and at write time; ``editable`` takes them off again (what a
patch applies to). ``record_problems`` is the check the build and every write
make after the schema: references that resolve, citations that verify.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from api.domain import catalog, citations
from schemas import dates
from schemas.inputs import READ_ONLY

DERIVED = READ_ONLY - {"id"}  # set by the server on every record that has them
DOCUMENT_DERIVED = frozenset({"length"})  # a document's, from its text


def output(resource: catalog.Resource, record: dict, text_of, outcomes: list[str]) -> dict:
    """A loaded record in the form the API serves: derived fields added, dumped.

    Citations get their prefix and suffix from ``text_of(document)``; a
    meeting gets ``outcomes``, the agreements that name it.
    """
    record = copy.deepcopy(record)
    for _, source in citations.walk(record):
        source.update(citations.complete(source, text_of(source["document"])))
    if resource.date:
        start, end = dates.interval(record[resource.date], record.get(resource.until))
        record["date_start"], record["date_end"] = start, end
    if resource is catalog.MEETINGS:
        record["outcomes"] = sorted(outcomes)
    return resource.instance.dump(record)


def editable(record: dict) -> dict:
    """A served record without the fields the server derives (what a patch applies to)."""
    return {k: v for k, v in record.items() if k not in DERIVED | DOCUMENT_DERIVED}


def flatten(messages, path: str = "") -> list[tuple[str, str]]:
    """marshmallow's nested error messages as (``roles[0].from``, message) pairs."""
    if isinstance(messages, dict):
        pairs = []
        for key, value in messages.items():
            if isinstance(key, int):
                sub = f"{path}[{key}]"
            elif key == "_schema":
                sub = path
            else:
                sub = f"{path}.{key}" if path else str(key)
            pairs += flatten(value, sub)
        return pairs
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [(path or None, m) for m in messages]
    if isinstance(messages, list):
        return [pair for m in messages for pair in flatten(m, path)]
    return [(path or None, str(messages))]


def record_problems(
    record: dict,
    exists: Callable[[str, str], bool],
    text_of: Callable[[str], str | None],
) -> list[tuple[str, str]]:
    """What is wrong with one schema-valid record: references, citations, consistency.

    ``exists(resource, id)`` and ``text_of(document)`` look records up wherever
    they are kept: in the loaded fixtures, or in the database for a write.
    """
    problems = [
        (path, f"unknown {target} id {value!r}")
        for path, target, value in references(record)
        if not exists(target, value)
    ]
    for path, source in citations.walk(record):
        text = text_of(source["document"])
        if text is not None:  # an unknown document is reported above
            problems += [(f"{path}.{f}", reason) for f, reason in citations.verify(source, text)]
    history = record.get("status_history")
    if history and history[-1]["status"] != record["status"]:
        problems.append(
            (
                "status",
                f"is {record['status']!r} but the last status_history "
                f"entry is {history[-1]['status']!r}",
            )
        )
    return problems


def references(value, path: str = ""):
    """(path, resource, id) for every reference inside a record."""
    if isinstance(value, dict):
        if set(value) >= {"type", "id"} and value.get("type") in catalog.BY_SINGULAR:
            yield f"{path}id", catalog.BY_SINGULAR[value["type"]].name, value["id"]
            return
        for key, item in value.items():
            target = catalog.REFERENCES.get(key)
            if target and isinstance(item, str):
                yield f"{path}{key}", target, item
            elif target and isinstance(item, list) and all(isinstance(i, str) for i in item):
                for i, each in enumerate(item):
                    yield f"{path}{key}[{i}]", target, each
            else:
                yield from references(item, f"{path}{key}.")
    elif isinstance(value, list):
        base = path[:-1] if path.endswith(".") else path
        for i, item in enumerate(value):
            yield from references(item, f"{base}[{i}].")


