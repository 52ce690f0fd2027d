"""One blueprint per resource, registered from one tuple."""

from api.resources import (
    agreements,
    commentary,
    countries,
    dataset,
    documents,
    events,
    health,
    indicators,
    meetings,
    organizations,
    people,
)

BLUEPRINTS = (
    countries.blp,
    people.blp,
    organizations.blp,
    agreements.blp,
    meetings.blp,
    events.blp,
    indicators.blp,
    commentary.blp,
    documents.blp,
    dataset.blp,
    health.blp,
)
