"""People sources name, with their roles: `/v1/people`."""

from api.domain import catalog
from api.web.resources.base import resource_blueprint
from schemas.queries import PersonQuery

blp = resource_blueprint(
    catalog.PEOPLE,
    PersonQuery,
    plural="People",
    singular="Person",
    description="People sources name, with their roles",
    key="id",
    key_description="Person id, or a name or alias",
)
