"""What a curator already decided about a document, for extraction run on it again: the
records citing it and its rejected drafts (``api.ingest.Known.decided``)."""

from __future__ import annotations

from api.store import reads

PAGE = 500


def decided(data: reads.Store, document: str) -> list[dict]:
    """Each record citing ``document`` and each rejected draft of it, as
    ``{"resource", "record"}``."""
    out = [{"resource": resource, "record": reads.decode(blob)}
           for resource, blob in data.citing(document)]
    after = None
    while True:
        page = data.drafts(document, None, "rejected", PAGE, after)
        for blob in page.items:
            draft = reads.decode(blob)
            out.append({"resource": draft["resource"], "record": draft["record"]})
        if not page.next_key:
            return out
        after = page.next_key
