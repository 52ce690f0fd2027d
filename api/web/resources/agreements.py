"""Treaties, MoUs, deals and purchases, at every stage: `/v1/agreements`."""

from api.domain import catalog
from api.web.resources.base import resource_blueprint
from schemas.queries import AgreementQuery

blp = resource_blueprint(
    catalog.AGREEMENTS,
    AgreementQuery,
    plural="Agreements",
    singular="Agreement",
    description="Treaties, MoUs, deals and purchases, at every stage",
)
