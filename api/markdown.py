"""A brief rendered as Markdown, with numbered citations that quote their sources."""

from __future__ import annotations

SECTIONS = (
    ("meetings", "Meetings"),
    ("events", "Events and positions"),
    ("positions", "Commentary and quoted positions"),
    ("recommendations", "Recommendations"),
    ("chronology", "Chronology"),
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("[", "\\[")


def _line(item: dict, names: dict[str, str], quotes: bool) -> str:
    date = item["date"] or "undated"
    refs = "".join(f"[^{n}]" for n in item["citations"])
    via = f" *(via {names.get(item['via'], item['via'])})*" if item["via"] else ""
    if item["type"] == "commentary" and quotes:
        who = item["author"] or "Unattributed"
        return f"- {date} — {_escape(who)}: “{_escape(item['text'])}”{via} {refs}"
    text = item["text"] if item["text"] != item["title"] else ""
    detail = f": {_escape(text)}" if text else ""
    return f"- {date} — **{_escape(item['title'])}**{detail}{via} {refs}"


def _section(
    title: str, section: dict, names: dict[str, str], level: str = "##", quotes: bool = True
) -> list[str]:
    """A section's items; commentary is quoted with its speaker unless ``quotes`` is off
    (chronology titles already name the speaker)."""
    lines = [f"{level} {title}", ""]
    if not section["items"]:
        lines.append("None recorded.")
    lines += [_line(item, names, quotes) for item in section["items"]]
    if section["count"] > len(section["items"]):
        more = section["count"] - len(section["items"])
        amount = str(more) if section["count_exact"] else f"over {more}"
        lines.append(f"- … {amount} more: <{section['more']}>")
    return [*lines, ""]


def render(brief: dict) -> str:
    """The brief as a Markdown document."""
    names = {c["id"]: c["name"] for c in brief["countries"] + brief["predecessor_states"]}
    a, b = brief["countries"]
    lines = [f"# {a['name']} – {b['name']}: bilateral brief", ""]
    scope = []
    if brief["as_of"]:
        scope.append(f"as it could have been written on {brief['as_of']}")
    if brief["predecessors"]:
        scope.append("including the records of predecessor states, marked *via*")
    if scope:
        lines += [f"_{'; '.join(scope).capitalize()}._", ""]
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
            f"[^{source['number']}]: “{_escape(source['quote'])}” — *{source['document_title']}*, "
            f"{source['publisher']}, {source['published'] or 'undated'} "
            f"(characters {source['start']}–{source['end']} of `{source['document']}`)"
        )
    return "\n".join(lines).rstrip() + "\n"
