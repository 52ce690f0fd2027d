"""The curator's desk as pages: the inbox, adding a source, and a document's drafts.

The pages hold no review work themselves: their scripts (``static/desk/``) ask
``/v1`` for it with the curator's token, kept in the tab's session storage.
Their Content Security Policy adds ``connect-src 'self'`` for those calls.
"""

from __future__ import annotations

from api.domain import catalog
from api.web.pages.views import _marked_document, blp, fresh, page
from schemas.drafts import DRAFT_RESOURCES

RIGHTS = "Copyright the publisher; the text is kept to quote it as a source, not republished."
# The metadata fields of the add-a-source form: name, label, input type, required, default, hint.
SOURCE_FIELDS = (
    ("title", "Title", "text", True, "", "The article's headline."),
    (
        "published",
        "Published",
        "text",
        False,
        "",
        "When it was published: YYYY, YYYY-MM or YYYY-MM-DD. Relative dates in the text are "
        "read against it.",
    ),
    ("publisher", "Publisher", "text", True, "", "The outlet, e.g. Dawn or Reuters."),
    ("authors", "Authors", "text", False, "", "Names, separated by commas."),
    ("url", "URL", "url", False, "", "Where it was published, if online."),
    (
        "rights",
        "Rights",
        "text",
        True,
        RIGHTS,
        "Who holds the copyright and on what terms the text is kept here: it is stored whole "
        "so that every quote can be checked, and shown with each citation.",
    ),
    ("language", "Language", "text", True, "en", "Its language code (en, fr, pt-BR)."),
)


@blp.get("/desk")
def desk_inbox():
    """The desk's inbox: documents with open drafts, jobs, the latest decisions."""
    return page("desk_inbox.html", fresh())


@blp.get("/desk/new")
def desk_new():
    """Add a source: paste text or upload a file, with its metadata; extraction follows."""
    fields = [
        {
            "name": n,
            "label": label,
            "type": kind,
            "required": required,
            "value": value,
            "hint": hint,
            "placeholder": "YYYY-MM-DD" if n == "published" else "",
        }
        for n, label, kind, required, value, hint in SOURCE_FIELDS
    ]
    return page("desk_new.html", fresh(), fields=fields)


@blp.get("/desk/documents/<string:document_id>")
def desk(document_id: str):
    """The curator's desk for one document: its text, cut at the spans records already
    cite, beside its open drafts (read by the page's script through ``/v1/drafts``)."""
    record, etag, marked = _marked_document(document_id)
    return page(
        "desk.html",
        etag,
        document=record,
        marked=marked,
        resources=[catalog.BY_NAME[name] for name in DRAFT_RESOURCES],
    )
