"""One blueprint per resource, registered from one tuple (the probes' too)."""

from api.web import health
from api.web.resources import (
    agreements,
    base,
    briefs,
    commentary,
    countries,
    dataset,
    documents,
    drafts,
    events,
    feeds,
    indicators,
    meetings,
    organizations,
    people,
    search,
    timeline,
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
    drafts.blp,
    briefs.blp,
    timeline.blp,
    search.blp,
    dataset.changes_blp,
    dataset.blp,
    feeds.blp,
    health.blp,
    base.FORMATS,  # last: every resource module has added its operations to it
)
