"""Op-eds, quotes, statements, recommendations and reader comments: `/v1/commentary`."""

from api.domain import catalog
from api.web.resources.base import resource_blueprint
from schemas.queries import CommentaryQuery

blp = resource_blueprint(
    catalog.COMMENTARY,
    CommentaryQuery,
    plural="Commentary",
    singular="Commentary",
    description="Op-eds, quotes, statements, recommendations and reader comments",
)
