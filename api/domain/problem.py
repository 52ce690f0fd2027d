"""The RFC 9457 problem body: one shape for every error the service reports.

The API's responses, gunicorn's own errors and a failed job's ``problem`` all
carry it; only the web layer adds ``instance`` (the path asked for).
"""

from __future__ import annotations

from http import HTTPStatus

PROBLEM_JSON = "application/problem+json"


def problem(status: int, detail: str, title: str | None = None, **extensions) -> dict:
    """A problem of type ``about:blank``: its title is the status's phrase.

    Extensions whose value is None are left out.
    """
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = title or "Error"
    return {
        "type": "about:blank",
        "title": phrase,
        "status": status,
        "detail": detail,
        **{k: v for k, v in extensions.items() if v is not None},
    }
