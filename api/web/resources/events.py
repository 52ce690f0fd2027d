"""Developments, positions and periods: `/v1/events`."""

from api.domain import catalog
from api.web.resources.base import resource_blueprint
from schemas.queries import EventQuery

blp = resource_blueprint(
    catalog.EVENTS,
    EventQuery,
    plural="Events",
    singular="Event",
    description="Developments, positions and periods",
)
