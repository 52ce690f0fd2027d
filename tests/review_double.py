"""A stand-in for the extractor in unit tests: fixed drafts of the test article.

It answers what ``api.ingest`` would be asked (``known`` and ``extract``) with
drafts written by hand for tests/articles/kenya-japan-highway-loan.txt, so the
review flow can be tested without loading a model. The product never uses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.curation import queue


@dataclass
class Known:
    people: list
    organizations: list
    candidates: object


def cite(document: dict, text: str, quote: str) -> dict:
    start = text.index(quote)
    return {"document": document["id"], "quote": quote, "start": start, "end": start + len(quote)}


class HandDrafts:
    """Drafts of the test article, as extraction would propose them."""

    def __init__(self, restates: str | None = None, variant: str = "") -> None:
        self.restates = restates  # an existing agreement to corroborate, if any
        self.variant = variant  # added to titles and texts: other records, other ids
        self.asked: list = []

    def known(self, people, organizations, candidates):
        return Known(people, organizations, candidates)

    def extract(self, text: str, document: dict, known) -> list[dict]:
        self.asked.append(known.candidates("agreements", ["KE", "JP"], "2026-03-04"))
        loan = cite(document, text, "Kenya and Japan signed a loan agreement on Wednesday")
        drafts = [
            {
                "resource": "agreements",
                "action": "create",
                "target": None,
                "record": {
                    "title": "Nairobi–Mombasa highway loan" + self.variant,
                    "kind": "agreement",
                    "status": "signed",
                    "countries": ["KE", "JP"],
                    "date": "2026-03-04",
                    "sector": "transport",
                    "value": {"amount": 240000000, "currency": "USD"},
                    "summary": "Japan lends $240 million to rebuild the Nairobi–Mombasa highway.",
                    "sources": [loan],
                },
                "matches": [],
                "confidence": 0.8,
                "reasons": ["'signed a loan agreement' with two countries and a sum"],
            },
            {
                "resource": "meetings",
                "action": "create",
                "target": None,
                "record": {
                    "title": "Wekesa–Morita meeting in Nairobi" + self.variant,
                    "kind": "official_visit",
                    "date": "2026-03-04",
                    "location": {"city": "Nairobi", "country": "KE"},
                    "countries": ["KE", "JP"],
                    "summary": "The loan agreement was signed during the visit.",
                    "sources": [
                        cite(document, text, "during a meeting between Kenya's transport minister")
                    ],
                },
                "matches": [],
                "confidence": 0.6,
                "reasons": ["'a meeting between'"],
            },
            {
                "resource": "commentary",
                "action": "create",
                "target": None,
                "record": {
                    "kind": "quote",
                    "author": {"name": "Amina Wekesa", "person": None},
                    "speech": "direct",
                    "text": f"{self.variant} This road carries most of what East Africa "
                    "buys and sells, and we intend to make it safe and fast again".strip(),
                    "document": document["id"],
                    "published": document["published"],
                    "countries": ["KE"],
                    "sources": [
                        cite(document, text, "This road carries most of what East Africa buys")
                    ],
                },
                "matches": [],
                "confidence": 0.9,
                "reasons": ["a quote with its speaker after it"],
            },
            {
                "resource": "events",
                "action": "create",
                "target": None,
                "record": {
                    "title": "Port talks" + self.variant,
                    "kind": "development",
                    "date": "2026-03",
                    "countries": ["KE", "JP"],
                    "summary": "The two sides discussed running the port.",
                    "sources": [cite(document, text, "discussed a possible agreement")],
                },
                "matches": [],
                "confidence": 0.3,
                "reasons": ["'discussed'"],
            },
            {  # a citation that does not verify: never stored
                "resource": "events",
                "action": "create",
                "target": None,
                "record": {
                    "title": "Misplaced",
                    "kind": "development",
                    "countries": ["KE"],
                    "summary": "x",
                    "sources": [{**loan, "start": loan["start"] + 1, "end": loan["end"] + 1}],
                },
                "matches": [],
                "confidence": 0.1,
                "reasons": [],
            },
        ]
        if self.restates:
            drafts.append(
                {
                    "resource": "agreements",
                    "action": "add_source",
                    "target": self.restates,
                    "record": {"sources": [loan]},
                    "matches": [{"id": self.restates, "score": 0.9}],
                    "confidence": 0.7,
                    "reasons": ["restates an existing agreement"],
                }
            )
        return drafts


def extract(client, auth, db, document, extractor) -> dict:
    """Queue a job through the API and do it as the worker would."""
    response = client.post(f"/v1/documents/{document}/extract", headers=auth)
    assert response.status_code == 202
    location = response.headers["Location"]
    assert location == f"/v1/jobs/{response.get_json()['id']}"
    assert client.get(location, headers=auth).get_json()["state"] == "queued"
    queue.run(db, response.get_json()["id"], extractor=extractor)
    return client.get(location, headers=auth).get_json()


def open_drafts(client, auth, document) -> list[dict]:
    response = client.get(f"/v1/drafts?document={document}&state=open", headers=auth)
    assert response.status_code == 200
    return response.get_json()["items"]
