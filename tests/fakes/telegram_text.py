"""How the Bot API turns a message text with ``parse_mode`` into what the person sees.

The fake needs this for three Telegram behaviours the bot must survive: markup that does not parse
is refused with 400 "can't parse entities" (a user's "<" in a medication name, an unescaped "." in
MarkdownV2); the 4096-character limit counts the text *after* markup is removed; and "message is not
modified" compares the visible text and its entities, not the raw markup. Entity offsets are in
UTF-16 code units, as in the real API.

Deliberately partial: the common tags and markers, not every corner of Telegram's parser.
"""

from __future__ import annotations

import re
from typing import Any

# Named entities the Bot API supports in HTML (all numeric ones are supported too).
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_ENTITY = re.compile(r"&(#[xX][0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);")
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_MARKDOWN_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MARKDOWN_V2_MARKERS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}
_MARKDOWN_MARKERS = {"*": "bold", "_": "italic"}


class MarkupError(ValueError):
    """The text does not parse; ``str(error)`` is the Bot API's description after "Bad Request: "."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def render(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """The visible text and its entities, or MarkupError worded like Telegram's."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown(text, v2=True)
    if mode == "markdown":
        return _parse_markdown(text, v2=False)
    if mode:
        raise MarkupError("unsupported parse_mode")
    return text, []


class _Builder:
    """Accumulates visible text while tracking its UTF-16 length for entity offsets."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[dict[str, Any]] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.length > start:
            self.entities.append({"type": kind, "offset": start, "length": self.length - start, **extra})

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        return "".join(self.parts), sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))


def _parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    out = _Builder(text)
    open_tags: list[tuple[str, int, dict[str, Any]]] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "<":
            index = _html_tag(text, index, out, open_tags)
        elif char == "&" and (match := _ENTITY.match(text, index)) and (decoded := _decode_entity(match.group(1))):
            out.add(decoded)
            index = match.end()
        else:
            out.add(char)
            index += 1
    if open_tags:
        raise MarkupError(
            f"can't parse entities: Can't find end tag corresponding to start tag \"{open_tags[-1][0]}\""
        )
    return out.result()


def _html_tag(text: str, index: int, out: _Builder, open_tags: list[tuple[str, int, dict[str, Any]]]) -> int:
    match = _TAG.match(text, index)
    offset = out.byte_offset(index)
    if match is None:
        raise MarkupError(f"can't parse entities: Unsupported start tag at byte offset {offset}")
    closing, name, attributes = match.group(1) == "/", match.group(2).lower(), match.group(3)
    if name not in _HTML_TAGS or (name == "span" and "tg-spoiler" not in attributes):
        raise MarkupError(f"can't parse entities: Unsupported start tag \"{name}\" at byte offset {offset}")
    if closing:
        if not open_tags or open_tags[-1][0] != name:
            expected = f'"</{open_tags[-1][0]}>"' if open_tags else "no end tag"
            raise MarkupError(
                f"can't parse entities: Unmatched end tag at byte offset {offset}, expected {expected}, "
                f"found \"</{name}>\""
            )
        _, start, extra = open_tags.pop()
        out.entity(_HTML_TAGS[name], start, **extra)
    else:
        extra: dict[str, Any] = {}
        if name == "a" and (href := _HREF.search(attributes)):
            extra["url"] = next(group for group in href.groups() if group is not None)
        open_tags.append((name, out.length, extra))
    return match.end()


def _decode_entity(name: str) -> str | None:
    if name.startswith(("#x", "#X")):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _NAMED_ENTITIES.get(name)


def _parse_markdown(text: str, *, v2: bool) -> tuple[str, list[dict[str, Any]]]:
    """MarkdownV2 (every reserved character outside markup must be escaped) or legacy Markdown."""
    out = _Builder(text)
    markers = _MARKDOWN_V2_MARKERS if v2 else _MARKDOWN_MARKERS
    open_markers: list[tuple[str, int, int]] = []  # marker, visible start, source index
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and (v2 or text[index + 1] in "_*`["):
            out.add(text[index + 1])
            index += 2
        elif char == "`":
            index = _markdown_code(text, index, out)
        elif char == "[":
            index = _markdown_link(text, index, out, v2=v2)
        elif (marker := _marker_at(text, index, markers)) is not None:
            if open_markers and open_markers[-1][0] == marker:
                _, start, _ = open_markers.pop()
                out.entity(markers[marker], start)
            else:
                open_markers.append((marker, out.length, index))
            index += len(marker)
        elif v2 and char == ">" and (index == 0 or text[index - 1] == "\n"):
            index += 1  # block quote marker: accepted, not modelled as an entity
        elif v2 and char in _MARKDOWN_V2_RESERVED:
            raise MarkupError(
                f"can't parse entities: Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            out.add(char)
            index += 1
    if open_markers:
        raise MarkupError(
            f"can't parse entities: Can't find end of {markers[open_markers[-1][0]].capitalize()} entity "
            f"at byte offset {out.byte_offset(open_markers[-1][2])}"
        )
    return out.result()


def _marker_at(text: str, index: int, markers: dict[str, str]) -> str | None:
    for marker in sorted(markers, key=len, reverse=True):
        if text.startswith(marker, index):
            return marker
    return None


def _markdown_code(text: str, index: int, out: _Builder) -> int:
    fence = "```" if text.startswith("```", index) else "`"
    end = text.find(fence, index + len(fence))
    if end < 0:
        raise MarkupError(
            f"can't parse entities: Can't find end of the entity starting at byte offset {out.byte_offset(index)}"
        )
    start = out.length
    body = text[index + len(fence):end]
    out.add(re.sub(r"\\([`\\])", r"\1", body))
    out.entity("pre" if fence == "```" else "code", start)
    return end + len(fence)


def _markdown_link(text: str, index: int, out: _Builder, *, v2: bool) -> int:
    match = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(((?:\\.|[^)\\])*)\)").match(text, index)
    if match is None:
        if v2:
            raise MarkupError(
                "can't parse entities: Character '[' is reserved and must be escaped with the preceding '\\'"
            )
        out.add("[")
        return index + 1
    start = out.length
    inner, _ = _parse_markdown(match.group(1), v2=v2)
    out.add(inner)
    out.entity("text_link", start, url=re.sub(r"\\(.)", r"\1", match.group(2)))
    return match.end()
