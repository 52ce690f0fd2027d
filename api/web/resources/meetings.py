"""Summits, visits and sideline meetings: `/v1/meetings`."""

from api.domain import catalog
from api.web.resources.base import resource_blueprint
from schemas.queries import MeetingQuery

blp = resource_blueprint(
    catalog.MEETINGS,
    MeetingQuery,
    plural="Meetings",
    singular="Meeting",
    description="Summits, visits and sideline meetings",
)
