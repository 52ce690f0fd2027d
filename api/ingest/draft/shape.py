"""The shape every drafting step returns, and the checks every draft passes."""

from __future__ import annotations

import functools
import re

from marshmallow import Schema

from api.domain import citations
from schemas.agreements import AgreementSchema
from schemas.commentary import CommentarySchema
from schemas.events import EventSchema
from schemas.indicators import IndicatorSchema
from schemas.inputs import input_schema
from schemas.meetings import MeetingSchema
from schemas.organizations import OrganizationSchema
from schemas.people import PersonSchema

SCHEMAS: dict[str, type[Schema]] = {
    "agreements": AgreementSchema,
    "meetings": MeetingSchema,
    "events": EventSchema,
    "indicators": IndicatorSchema,
    "commentary": CommentarySchema,
    "people": PersonSchema,
    "organizations": OrganizationSchema,
}


def make(resource: str, record: dict, confidence: float, reasons: list[str]) -> dict:
    """A draft proposing a new record; matching may turn it into an add_source draft."""
    return {
        "resource": resource,
        "action": "create",
        "target": None,
        "record": record,
        "matches": [],
        "confidence": round(max(0.0, min(1.0, confidence)), 2),
        "reasons": reasons,
    }


@functools.cache
def _input(resource: str) -> Schema:
    return input_schema(SCHEMAS[resource])()


def problems(draft: dict, text: str) -> list[str]:
    """Why a draft cannot be offered: schema errors or a citation that does not verify."""
    found = [f"{field}: {messages}" for field, messages in
             _input(draft["resource"]).validate(draft["record"]).items()]
    for path, source in citations.walk(draft["record"]):
        for field, reason in citations.verify(source, text):
            found.append(f"{path}.{field} {reason}")
    return found


def sentence_case(words: str) -> str:
    """A title from a phrase of the text: spaces tidied, first letter upper case."""
    words = re.sub(r"\s+", " ", words).strip(" ,.;:")
    return words[:1].upper() + words[1:] if words else words
