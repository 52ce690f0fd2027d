"""Figures such as trade turnover: `/v1/indicators`."""

from api.domain import catalog
from api.web.resources.base import resource_blueprint
from schemas.queries import IndicatorQuery

blp = resource_blueprint(
    catalog.INDICATORS,
    IndicatorQuery,
    plural="Indicators",
    singular="Indicator",
    description="Figures such as trade turnover",
)
