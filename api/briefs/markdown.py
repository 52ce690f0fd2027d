"""A brief rendered as Markdown, with numbered citations that quote their sources.

A quote keeps its line and paragraph breaks: the lines after the first are
indented under the list item or footnote they belong to, so that a quote
spanning paragraphs stays in its footnote.
"""

from __future__ import annotations

import re

from api.domain import catalog

SECTIONS = (
    ("meetings", "Meetings"),
    ("events", "Events and positions"),
    ("positions", "Commentary and quoted positions"),
    ("recommendations", "Recommendations"),
    ("chronology", "Chronology"),
)


# A line starting with one of these would open a block (heading, list, quote, code,
# table), or a numbered list (its digits, then the mark to escape).
BLOCK_START = re.compile(r"^([#>+\-=`~|]|\d+(?=[.)]))")
# How a record count is worded: one, and more than one.
NOUNS = {
    "commentary": ("piece of commentary", "pieces of commentary"),
    "indicators": ("figure", "figures"),
}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("[", "\\[")


def _held(text: str, indent: int) -> str:
    """Escaped text kept inside the list item or footnote it starts in.

    Each line after the first is indented by ``indent`` spaces (a blank line
    stays blank: a paragraph break within the item), and a line that would open
    a block of its own is escaped.
    """
    lines = _escape(text).split("\n")
    kept = [lines[0]]
    for line in lines[1:]:
        if not line.strip():
            kept.append("")
            continue
        line = line.lstrip()
        found = BLOCK_START.match(line)
        if found:  # a backslash before the mark (a digit cannot be escaped, its mark can)
            cut = found.end() if found.group(1)[0].isdigit() else 0
            line = f"{line[:cut]}\\{line[cut:]}"
        kept.append(" " * indent + line)
    return "\n".join(kept)


def _counted(n: int, name: str) -> str:
    """``1 agreement``, ``2 agreements``, ``1 piece of commentary``."""
    one, many = NOUNS.get(name, (catalog.BY_NAME[name].singular, name))
    return f"{n} {one if n == 1 else many}"


def _line(item: dict, names: dict[str, str], quotes: bool) -> str:
    date = item["date"] or "undated"
    refs = "".join(f"[^{n}]" for n in item["citations"])
    via = f" *(via {names.get(item['via'], item['via'])})*" if item["via"] else ""
    if item["type"] == "commentary" and quotes:
        who = item["author"] or "Unattributed"
        return f"- {date} — {_escape(who)}: “{_held(item['text'], 2)}”{via} {refs}"
    text = item["text"] if item["text"] != item["title"] else ""
    detail = f": {_held(text, 2)}" if text else ""
    return f"- {date} — **{_held(item['title'], 2)}**{detail}{via} {refs}"


def _caveats(item: dict) -> list[str]:
    """The curator's notes and inferred fields, indented under the statement they qualify."""
    lines = [f"  - *Note:* {_escape(note)}" for note in item["notes"]]
    if item["inferred"]:
        fields = ", ".join(f"`{f}`" for f in item["inferred"])
        lines.append(f"  - *Inferred by the curator, not read in the source:* {fields}")
    return lines


def _coverage(coverage: dict) -> list[str]:
    documents = coverage["documents"]
    lines = ["## Coverage", ""]
    if not documents:
        return [
            *lines,
            "No records concern both countries. The countries that have records: "
            f"<{coverage['countries_with_records']}>; the pairs that have records: "
            f"<{coverage['pairs_with_records']}>.",
            "",
        ]
    counts = ", ".join(_counted(n, name) for name, n in coverage["records"].items())
    if len(documents) == 1:
        d = documents[0]
        lines.append(
            f"This brief rests on a single source: *{_escape(d['title'])}*, {d['publisher']}, "
            f"{d['published'] or 'undated'}."
        )
    else:
        lines.append(
            f"This brief rests on {len(documents)} documents, published "
            f"{coverage['earliest']} to {coverage['latest']}:"
        )
        lines.append("")
        lines += [
            f"- *{_escape(d['title'])}*, {d['publisher']}, {d['published'] or 'undated'}"
            for d in documents
        ]
    lines.append("")
    if coverage["latest"]:
        lines.append(f"Nothing in it is newer than {coverage['latest'][:4]}.")
    lines.append(f"Records: {counts}.")
    if not coverage["complete"]:
        lines.append("The chronology shows the first records only; follow its link for the rest.")
    return [*lines, ""]


def _section(
    title: str, section: dict, names: dict[str, str], level: str = "##", quotes: bool = True
) -> list[str]:
    """A section's items; commentary is quoted with its speaker, and caveats follow each
    item, unless ``quotes`` is off (the chronology repeats the sections' records, and
    its titles already name the speaker)."""
    lines = [f"{level} {title}", ""]
    if not section["items"]:
        lines.append("None recorded.")
    for item in section["items"]:
        lines.append(_line(item, names, quotes))
        if quotes:
            lines += _caveats(item)
    if section["count"] > len(section["items"]):
        more = section["count"] - len(section["items"])
        amount = str(more) if section["count_exact"] else f"over {more}"
        lines.append(f"- … {amount} more: <{section['more']}>")
    return [*lines, ""]


def render(brief: dict, asked: tuple[str, str] | None = None) -> str:
    """The brief as a Markdown document, titled in the order its countries were
    ``asked`` for (their ids; the brief's own order when None)."""
    names = {c["id"]: c["name"] for c in brief["countries"] + brief["predecessor_states"]}
    a, b = (names[c] for c in asked) if asked else (c["name"] for c in brief["countries"])
    lines = [f"# {a} – {b}: bilateral brief", ""]
    scope = []
    if brief["as_of"]:
        scope.append(f"as it could have been written on {brief['as_of']}")
    if brief["predecessors"]:
        scope.append("including the records of predecessor states, marked *via*")
    if scope:
        lines += [f"_{'; '.join(scope).capitalize()}._", ""]
    lines += _coverage(brief["coverage"])
    lines += _section("Headline figures", brief["figures"], names)
    lines += ["## Agreements", ""]
    if not brief["agreements"]:
        lines += ["None recorded.", ""]
    for status, section in brief["agreements"].items():
        lines += _section(status.replace("_", " ").capitalize(), section, names, "###")
    for key, title in SECTIONS:
        lines += _section(title, brief[key], names, quotes=key != "chronology")
    lines += ["## Sources", ""]
    for source in brief["sources"]:
        lines.append(
            f"[^{source['number']}]: “{_held(source['quote'], 4)}” — "
            f"*{_escape(source['document_title'])}*, "
            f"{source['publisher']}, {source['published'] or 'undated'} "
            f"(characters {source['start']}–{source['end']} of `{source['document']}`)"
        )
    return "\n".join(lines).rstrip() + "\n"
