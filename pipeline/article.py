"""Keep the article, drop the page furniture around it.

HTML pages: the markup is turned into text with an offset map, trafilatura finds the main
content, and that content is located in the page text. Page text (a page saved as text, like
the sample): a line-level cleaner finds the densest run of body paragraphs, extends it back over
captions and the byline to the title, and forward over tags, stopping at section headers such as
'上一則' or '延伸閱讀'. Either way the article is one span of the original text.
"""

from __future__ import annotations

import html
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from .convert import converter
from .offsets import OffsetMap
from .types import Article, Document

_SENTENCE_END = re.compile(r"[。！？!?]")
_CAPTION = re.compile(r"[（(][^（()）]{0,30}[)）]\s*$")
_BYLINE = re.compile(r"记者|编译|编辑|撰文|撰稿|报导|报道|特派员|通讯员|特约|综合外电")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_HEADER_DATE = re.compile(
    r"^\W*(date|日期|发布时间|时间)?\W*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
)

BODY_MIN_CHARS = 40
TITLE_MAX_CHARS = 64
TRAILER_MAX_CHARS = 40
MAX_GAP_LINES = 3


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str  # stripped and converted to simplified, for classification only

    @property
    def is_blank(self) -> bool:
        return not self.text


class PageCleaner:
    """Finds the article span in page text, given the page's section-header markers."""

    def __init__(self, markers: Iterable[str]) -> None:
        self.markers = tuple(sorted(set(markers), key=len, reverse=True))

    def article_span(self, text: str) -> tuple[int, int, str | None]:
        """The article's [start, end) in `text`, and its title line if one was found."""
        lines = _lines(text)
        content = [line for line in lines if not line.is_blank]
        if not content:
            return 0, 0, None
        if not any(self.is_marker(line) for line in content):
            # Nothing marks this as a page: it is the article as it stands.
            return content[0].start, content[-1].end, None
        block = self._main_block(content)
        if block is None:
            return content[0].start, content[-1].end, None
        first, last = block
        title_index = self._title_index(content, first)
        end_index = self._end_index(content, last)
        start_index = first if title_index is None else title_index
        title = content[title_index] if title_index is not None else None
        title_text = text[title.start : title.end].strip() if title else None
        return content[start_index].start, content[end_index].end, title_text

    def is_marker(self, line: _Line) -> bool:
        return any(
            line.text.startswith(marker) and len(line.text) <= len(marker) + 6
            for marker in self.markers
        )

    def _main_block(self, content: list[_Line]) -> tuple[int, int] | None:
        """Indices (first, last) of the run of body lines holding the most text."""
        best: tuple[int, int] | None = None
        best_size = 0
        run_start = run_end = None
        size = gap = 0
        for index, line in enumerate(content):
            if self.is_marker(line) or gap > MAX_GAP_LINES:
                if run_start is not None and size > best_size:
                    best, best_size = (run_start, run_end), size  # type: ignore[assignment]
                run_start = run_end = None
                size = gap = 0
                if self.is_marker(line):
                    continue
            if _is_body(line):
                if run_start is None:
                    run_start = index
                run_end = index
                size += len(line.text)
                gap = 0
            elif run_start is not None:
                gap += 1
        if run_start is not None and size > best_size:
            best = (run_start, run_end)  # type: ignore[assignment]
        return best

    def _title_index(self, content: list[_Line], first: int) -> int | None:
        """Walk back from the first body line over captions, bylines and dates to the title."""
        index = first - 1
        while index >= 0 and first - index <= 6:
            line = content[index]
            if self.is_marker(line):
                return None
            if _is_header_detail(line):
                index -= 1
                continue
            if len(line.text) <= TITLE_MAX_CHARS and not _SENTENCE_END.search(line.text[-1:]):
                return index
            return None
        return None

    def _end_index(self, content: list[_Line], last: int) -> int:
        """Extend past the last body line over short trailers (tags, editor) up to a marker."""
        end = last
        for index in range(last + 1, min(last + 3, len(content))):
            line = content[index]
            if self.is_marker(line) or not _is_trailer(line):
                break
            end = index
        return end


def _lines(text: str) -> list[_Line]:
    to_simplified = converter("t2s").text
    lines = []
    position = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        offset = raw.find(stripped) if stripped else 0
        start = position + offset
        lines.append(_Line(start, start + len(stripped), to_simplified(stripped)))
        position += len(raw)
    return lines


def _is_body(line: _Line) -> bool:
    return len(line.text) >= BODY_MIN_CHARS and bool(_SENTENCE_END.search(line.text))


def _is_header_detail(line: _Line) -> bool:
    text = line.text
    if _HEADER_DATE.match(text):
        return True
    if len(text) <= TITLE_MAX_CHARS and _CAPTION.search(text):
        return True
    return len(text) <= 40 and bool(_BYLINE.search(text))


def _is_trailer(line: _Line) -> bool:
    text = line.text
    if len(text) > TRAILER_MAX_CHARS:
        return False
    words = text.split()
    tag_line = len(words) >= 2 and all(len(word) <= 8 for word in words)
    return tag_line or bool(_BYLINE.search(text)) or bool(_CAPTION.search(text))


def find_date(text: str) -> str | None:
    """The first full date in `text` as YYYY-MM-DD, or None."""
    for match in _DATE.finditer(text):
        year, month, day = (int(part) for part in match.groups())
        if 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def extract_article(document: Document, cleaner: PageCleaner) -> Article:
    """The article of a document, with its span in the original text."""
    if document.format == "html":
        return _html_article(document, cleaner)
    return _text_article(document, cleaner)


def _text_article(document: Document, cleaner: PageCleaner) -> Article:
    start, end, title = cleaner.article_span(document.text)
    return Article(
        document=document,
        text=document.text[start:end],
        offsets=OffsetMap.identity(end - start, start),
        start=start,
        end=end,
        title=document.title or title,
        date=document.date or find_date(document.text[:start]),
    )


def _html_article(document: Document, cleaner: PageCleaner) -> Article:
    page_text, page_offsets = html_to_text(document.text)
    import trafilatura  # here, not at the top: it adds a quarter second to every start

    extracted = trafilatura.bare_extraction(
        document.text, with_metadata=True, include_comments=False, include_tables=False
    )
    body = getattr(extracted, "text", None) if extracted is not None else None
    title = document.title or (getattr(extracted, "title", None) if extracted is not None else None)
    date = document.date or (getattr(extracted, "date", None) if extracted is not None else None)
    span = _locate(page_text, body, title) if body else None
    if span is None:
        start, end, found_title = cleaner.article_span(page_text)
        title = title or found_title
    else:
        start, end = span
    original_start, original_end = page_offsets.span(start, end)
    return Article(
        document=document,
        text=page_text[start:end],
        offsets=page_offsets.slice(start, end),
        start=original_start,
        end=original_end,
        title=title,
        date=find_date(date) if date else None,
    )


def _locate(page_text: str, body: str, title: str | None) -> tuple[int, int] | None:
    """Where trafilatura's main text lies in the page text, comparing without whitespace."""
    positions = array("l", (index for index, char in enumerate(page_text) if not char.isspace()))
    compact = "".join(page_text[index] for index in positions)
    lines = ["".join(line.split()) for line in body.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return None
    first = compact.find(lines[0][:40])
    if first < 0:
        return None
    last_line = lines[-1][-40:]
    last = compact.rfind(last_line)
    if last < first:
        return None
    if title:
        compact_title = "".join(title.split())
        title_at = compact.rfind(compact_title, max(0, first - 2000), first)
        if title_at >= 0:
            first = title_at
    return positions[first], positions[last + len(last_line) - 1] + 1


_SKIPPED_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
    "main",
    "hr",
    "title",
}


class _TextCollector(HTMLParser):
    """Collects the visible text of a page with a map back to the markup."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.pieces: list[str] = []
        self.offsets = OffsetMap()
        self._skip_depth = 0
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def _position(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _emit(self, text: str, start: int, end: int, linear: bool = True) -> None:
        if self._skip_depth == 0 and text:
            self.pieces.append(text)
            self.offsets.add(len(text), start, end, linear=linear)

    def _break(self) -> None:
        if self.pieces and not self.pieces[-1].endswith("\n"):
            position = self._position()
            self._emit("\n", position, position, linear=False)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self._break()

    def handle_data(self, data: str) -> None:
        start = self._position()
        for match in re.finditer(r"\s+|\S+", data):
            piece = match.group()
            if piece.isspace():
                # Source whitespace collapses to one space that stands for the whole run.
                self._emit(" ", start + match.start(), start + match.end(), linear=False)
            else:
                self._emit(piece, start + match.start(), start + match.end())

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name};")

    def _reference(self, reference: str) -> None:
        start = self._position()
        length = len(reference) if self.source.startswith(reference, start) else len(reference) - 1
        self._emit(html.unescape(reference), start, start + length, linear=False)


def html_to_text(source: str) -> tuple[str, OffsetMap]:
    """The visible text of an HTML page and the map from it back to the markup."""
    collector = _TextCollector(source)
    collector.feed(source)
    collector.close()
    return "".join(collector.pieces), collector.offsets
