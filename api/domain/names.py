"""Name keys: how a typed name is compared with the names records carry."""

from __future__ import annotations

import re
import unicodedata

_DROPPED = re.compile(r"[.'’`]")  # U.S.S.R. ~ USSR
_SPACE = re.compile(r"[\s\u2010-\u2015\-_,/]+")  # Mi-35 ~ MI 35


def key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", _DROPPED.sub("", stripped.casefold())).strip()
