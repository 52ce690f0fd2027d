"""International organizations and memberships: `/v1/organizations`."""

from api.domain import catalog
from api.web.resources.base import resource_blueprint
from schemas.queries import OrganizationQuery

blp = resource_blueprint(
    catalog.ORGANIZATIONS,
    OrganizationQuery,
    plural="Organizations",
    singular="Organization",
    description="International organizations and memberships",
)
