"""The reading pages: briefs, documents, records and search as HTML.

Another representation of what ``/v1`` serves, read through the same data
module; the views are in ``api.pages.views``, what they show is worked out
in ``api.pages.reading``.
"""

# Each registers its views on blp.
from api.web.pages import collections, desk  # noqa: F401
from api.web.pages.views import blp

__all__ = ["blp"]
