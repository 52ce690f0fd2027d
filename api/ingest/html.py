"""An article's main text, taken from the HTML page it was published on.

trafilatura (pinned) finds the article in a page and drops navigation,
boilerplate and comments; its options are fixed here, so the same page always
gives the same text (the text every citation counts into). trafilatura is
imported on first use; ``import_problem`` says at start-up why it cannot be
(jusText, which it uses, needs ``lxml_html_clean``, which pip 23 does not
install as lxml's ``html_clean`` extra: it is a dependency of its own here).
"""

from __future__ import annotations

MIN_WORDS = 25  # less than this is a menu, a caption or an error page, not an article


class NoArticle(ValueError):
    """The page holds no article text."""


class CannotRead(RuntimeError):
    """HTML cannot be read here: the parser does not import."""


def import_problem() -> str | None:
    """Why HTML pages cannot be read in this environment, or None when they can."""
    try:
        import trafilatura  # noqa: F401
    except ImportError as exc:
        return (
            f"HTML pages cannot be read: importing trafilatura fails ({exc}). Install the "
            "project's dependencies again (lxml_html_clean is one of them)."
        )
    return None


def main_text(html: str) -> str:
    """The article text of ``html``: paragraphs separated by blank lines."""
    problem = import_problem()
    if problem:
        raise CannotRead(problem)
    import trafilatura

    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        favor_precision=True,
        with_metadata=False,
    )
    if not text or not text.strip():
        raise NoArticle("No article text was found in the HTML.")
    words = len(text.split())
    if words < MIN_WORDS:
        raise NoArticle(
            f"The page's main text is {words} word(s), not an article "
            f"(at least {MIN_WORDS} are needed)."
        )
    return text.strip() + "\n"
