"""Extraction run again on a stored document by a changed extractor (its drafts worded a
little differently, so not the same drafts byte for byte) proposes nothing a curator
already decided: not the agreement accepted as a record, not the quote rejected."""

from __future__ import annotations

import pytest

from api.curation import queue
from tests.helpers import with_article
from tests.review_double import extract, open_drafts


class Reworded(queue.Ingest):
    """The real extractor, each draft's summary and title worded anew, as a newer version
    of the rules would."""

    def extract(self, text, document, known):
        out = super().extract(text, document, known)
        for draft in out:
            record = draft["record"]
            if "summary" in record:
                record["summary"] = (record["summary"] or "") + " "
            if record.get("kind") == "quote":
                record["notes"] = ["worded anew"]
        return out


@pytest.fixture
def env(db_path, tmp_path):
    client, auth, db, _, document = with_article(db_path, tmp_path)
    return client, auth, db, document


def test_a_changed_extractor_does_not_propose_again_what_a_curator_decided(env):
    client, auth, db, document = env
    first = extract(client, auth, db, document, queue.Ingest())
    assert first["state"] == "done" and first["drafts"] > 2
    drafts = open_drafts(client, auth, document)
    agreement = next(d for d in drafts if d["resource"] == "agreements")
    quote = next(d for d in drafts if d["resource"] == "commentary")
    accepted = client.post(f"/v1/drafts/{agreement['id']}/accept", headers=auth)
    assert accepted.status_code == 201, accepted.get_json()
    rejected = client.post(f"/v1/drafts/{quote['id']}/reject", json={"reason": "not said"},
                           headers=auth)
    assert rejected.status_code == 200, rejected.get_json()

    again = extract(client, auth, db, document, Reworded())
    assert again["state"] == "done"
    new = [d for d in open_drafts(client, auth, document) if d["job"] == again["id"]]
    quoted = {d["record"].get("text") for d in new if d["resource"] == "commentary"}
    assert quote["record"]["text"] not in quoted
    assert not any(d["resource"] == "agreements"
                   and d["record"]["title"] == agreement["record"]["title"] for d in new)
    # what nobody decided yet is still proposed, once more, as a newer wording
    assert again["drafts"] == len(new) > 0
