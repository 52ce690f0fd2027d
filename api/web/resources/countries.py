"""Current (ISO 3166-1) and historical (ISO 3166-3) countries: `/v1/countries`."""

from api.domain import catalog
from api.web.resources.base import resource_blueprint
from schemas.queries import CountryQuery

blp = resource_blueprint(
    catalog.COUNTRIES,
    CountryQuery,
    plural="Countries",
    singular="Country",
    description="Current (ISO 3166-1) and historical (ISO 3166-3) countries",
    key="code",
    key_description="alpha-2, alpha-3 or alpha-4 code, or a name or alias",
)
