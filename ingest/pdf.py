"""PDF text with layout, from the glyphs of each page (pypdfium2, pdfplumber as the fallback: `ingest.pdfchars`).

Words are built from `page.chars` ourselves: Công báo PDFs place glyphs one by one and switch
font subsets inside a syllable (`S` + `ố`), which makes `extract_words` (it splits wherever an
extra attribute changes) return `S ố` and `N Đ -CP`. A word ends at a space glyph or at a gap
wider than a fraction of the font size. Lines are split at their widest gap into the two header
columns (issuing body and number left; motto, place and date right); font names are kept per
run of glyphs so legacy encodings can be converted run by run. Running heads, page numbers and
digital-signature stamps are set aside as margins (see `ingest.layout`)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pdfplumber

from ingest import legacy, pdfchars, tables
from ingest.models import IngestError, Line
from ingest.pdfchars import Box, PageChars
from text.letter_parts import (
    MOTTO_OPENING_MARKED,
    NUMBER_OPENING,
    RECIPIENTS_LIST,
    SIGNING_OPENER_SPACED,
    starts_with_motto,
)

WORD_GAP = 0.2  # of the font size: glyph gaps inside a word are ~0, a space is ~0.25 em
# A gap between header columns: wider than this many font sizes (and MIN_COLUMN_GAP points),
# or at least 0.6 em and 2.5 times the row's usual word gap (`…CÔNG NGHỆ   CỘNG HÒA…`).
COLUMN_GAP = 1.4
MIN_COLUMN_GAP = 18.0
_RULE = re.compile(r"^[\s_\-–—=]{3,}$")  # rules typed as underscores under a header line
_SUBSET = re.compile(r"^[A-Z]{6}\+")


@dataclass
class PageText:
    number: int
    lines: list[Line]
    chars: int
    width: float = 595.0
    height: float = 842.0
    images: int = 0  # images covering most of the page: a scan
    graphics: int = 0  # vector paths: text drawn as outlines has no characters but many paths
    margins: list[Line] = field(default_factory=list)
    encoding: str | None = None  # legacy encoding converted on this page
    image_boxes: list[Box] = field(default_factory=list)  # the large images (x0, top, x1, bottom)


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    runs: list[tuple[str, str]]  # (font name, text) for each run of one font


def font_name(raw: str) -> str:
    """`LHFLCJ+TimesNewRomanPSMT` → `TimesNewRomanPSMT`: subset prefixes say nothing."""
    return _SUBSET.sub("", raw or "")


def _rows(chars: list[dict]) -> list[list[dict]]:
    """Group glyphs into printed rows by baseline; mixed sizes on one row share a baseline."""
    rows: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (round(c["bottom"], 1), c["x0"])):
        size = float(c.get("size") or 10.0)
        if rows:
            row = rows[-1]
            ref = row[-1]
            if abs(ref["bottom"] - c["bottom"]) <= 0.3 * max(size, float(ref.get("size") or 10.0)):
                row.append(c)
                continue
        rows.append([c])
    return _attach_superscripts([sorted(r, key=lambda c: c["x0"]) for r in rows])


def _attach_superscripts(rows: list[list[dict]]) -> list[list[dict]]:
    """Footnote marks (`1`, `15`, `*`) are set small and raised, so they form rows of their own.
    A mark inside a line is dropped (`luật¹.` reads `luật.`); a mark that opens a footnote
    line stays as its first word."""
    out: list[list[dict]] = []
    for i, row in enumerate(rows):
        text = "".join(c["text"] for c in row if c["text"].strip())  # marks `13` and `2` of `10¹³ n/cm²`
        size = max(float(c.get("size") or 0) for c in row)
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt and text and len(text) <= 3 and all(ch.isdigit() or ch in "*()" for ch in text):
            nsize = max(float(c.get("size") or 0) for c in nxt)
            if size < 0.8 * nsize and row[0]["bottom"] > nxt[0]["top"] - 1:
                first = min(c["x0"] for c in nxt if c["text"].strip()) if any(
                    c["text"].strip() for c in nxt) else 0
                if max(c["x1"] for c in row) <= first + 1:  # opens the line: keep it
                    nxt[:0] = row + [dict(row[-1], text=" ", x0=row[-1]["x1"], x1=row[-1]["x1"])]
                continue
        out.append(row)
    return out


def _words(row: list[dict]) -> list[Word]:
    words: list[Word] = []
    cur: list[dict] = []

    def close() -> None:
        if not cur:
            return
        runs: list[tuple[str, str]] = []
        for c in cur:
            f = font_name(c.get("fontname", ""))
            if runs and runs[-1][0] == f:
                runs[-1] = (f, runs[-1][1] + c["text"])
            else:
                runs.append((f, c["text"]))
        words.append(Word(
            text="".join(c["text"] for c in cur), x0=cur[0]["x0"], x1=max(c["x1"] for c in cur),
            top=min(c["top"] for c in cur), bottom=max(c["bottom"] for c in cur),
            size=max(float(c.get("size") or 0) for c in cur), runs=runs,
        ))
        cur.clear()

    last: dict | None = None
    for i, c in enumerate(row):
        if not c["text"].strip():
            # a stray space glyph drawn over a word (`21/C T-TTg`) is not a word break
            nxt = next((d for d in row[i + 1:] if d["text"].strip()), None)
            inside = (last is not None and last["x1"] > c["x0"] + 1) or (nxt is not None and nxt["x0"] < c["x1"] - 1)
            if not inside:
                close()
                last = c
            continue
        if last is not None and cur:
            # fake bold: the same glyph drawn twice at almost the same place
            if c["text"] == last["text"] and abs(c["x0"] - last["x0"]) < 0.3 * float(c.get("size") or 10):
                continue
            size = float(c.get("size") or 10.0)
            if c["x0"] - last["x1"] > WORD_GAP * size:
                close()
        cur.append(c)
        last = c
    close()
    return words


def _make_line(words: list[Word], page: int, column: str) -> Line:
    runs: list[tuple[str, str]] = []
    for i, w in enumerate(words):
        for k, (f, t) in enumerate(w.runs):
            t = (" " if i and not k else "") + t
            if runs and runs[-1][0] == f:
                runs[-1] = (f, runs[-1][1] + t)
            else:
                runs.append((f, t))
    fonts = tuple(dict.fromkeys(f for f, _ in runs))
    return Line(
        text=" ".join(w.text for w in words),
        page=page,
        top=min(w.top for w in words),
        x0=words[0].x0,
        x1=max(w.x1 for w in words),
        column=column,
        fonts=fonts,
        size=max(w.size for w in words),
        bold=any("bold" in f.lower() for f in fonts),
        runs=tuple(runs),
    )


def _split_row(row: list[Word], width: float) -> tuple[list[Word], list[Word]] | None:
    """Split a printed row into left and right column parts at its widest gap, if the gap is
    wide and lies near the middle of the page."""
    if len(row) < 2:
        return None
    gaps = [(row[i + 1].x0 - row[i].x1, i) for i in range(len(row) - 1)]
    gap, i = max(gaps)
    size = max(w.size for w in row) or 12.0
    others = sorted(g for g, _ in gaps)[:-1]
    usual = others[len(others) // 2] if others else 0.0
    if gap < max(MIN_COLUMN_GAP, COLUMN_GAP * size) and not (gap >= 0.6 * size and gap > 2.5 * usual):
        return None
    left, right = row[: i + 1], row[i + 1 :]
    if left[-1].x1 > width * 0.62 or right[0].x0 < width * 0.35:
        return None
    return left, right


_BLOCK_MARK = re.compile(
    rf"^\W*({MOTTO_OPENING_MARKED}|{RECIPIENTS_LIST}|{NUMBER_OPENING}|{SIGNING_OPENER_SPACED})",
    re.I,
)


_OPENING = re.compile(r"^\s*Kính\s+gửi", re.I)


def _is_block_run(rows: list[tuple[Line | None, Line | None]]) -> bool:
    """A run of two-column rows is a header or a signing block (read column by column) when it
    holds a motto, a `Số` line, `Nơi nhận` or a signing authority; otherwise it is a table or
    a form and is read row by row."""
    return any(ln is not None and (_BLOCK_MARK.match(ln.text) or starts_with_motto(ln.text))
               for row in rows for ln in row)


def _centered(x0: float, x1: float, width: float) -> bool:
    return abs((x0 + x1) / 2 - width / 2) < 0.04 * width and x1 - x0 < 0.6 * width


def page_lines(chars: list[dict], number: int, width: float, legacy_text: str | None = None,
               height: float | None = None, rules: list[Box] | None = None) -> list[Line]:
    """`legacy_text`: the encoding that the whole text layer is in by its statistics, when its
    fonts do not say (runs in a `.VnTime` or `VNI-Times` font are converted by font anyway).
    A landscape table printed turned on a portrait page (a gazette's appendix) is read turned
    upright, after the page's upright lines (its running head). `rules`: the page's ruled
    lines, by which a table's cells are read one by one (`ingest.tables`)."""
    upright = [c for c in chars if c.get("upright", True)]
    lines = _lines_of(upright, number, width, legacy_text, rules or [])
    turned = [c for c in chars if not c.get("upright", True)]
    if height and len(turned) >= TURNED_MIN_CHARS:
        left = _turned_left(turned)
        lines += _lines_of(_turn_upright(turned, width, height, left), number, height, legacy_text,
                           tables.turn_rules(rules or [], left, width, height))
    return lines


def _lines_of(chars: list[dict], number: int, width: float, legacy_text: str | None,
              rules: list[Box] = ()) -> list[Line]:
    rows = [_words(r) for r in _rows(chars)]
    for row in rows:
        for w in row:
            _repair_word(w, legacy_text)
    if not rules:
        return rows_to_lines(rows, number, width)
    outside, cells = tables.cells_of(rows, list(rules), _opens_block)
    cell_lines = [_cell_line(box, cell_rows, number) for box, cell_rows in sorted(cells.items(), key=_reading)]
    lines = rows_to_lines(outside, number, width)
    if not cell_lines:
        return lines
    top = min(ln.top for ln in cell_lines)
    return [ln for ln in lines if ln.top < top] + cell_lines + [ln for ln in lines if ln.top >= top]


def _opens_block(text: str) -> bool:
    """A cell's first line opens a header or a signing block (the motto, `Số:`, `KT.`, `Nơi nhận`)."""
    return bool(_BLOCK_MARK.match(text) or starts_with_motto(text))


def _reading(item: tuple[Box, list]) -> tuple[float, float]:
    box = item[0]
    return box[1], box[0]


_GLUE = re.compile(r"[\w)][-/]$")  # `30/2022/TT-` / `BLĐTBXH`: a code broken at the cell's edge


def _footnote_mark(text: str, size: float, usual: float) -> bool:
    return len(text) <= 3 and all(ch.isdigit() or ch in "*()" for ch in text) and size < 0.8 * usual


def _cell_line(box: Box, rows: list[list[Word]], number: int) -> Line:
    """One cell's printed lines as one line (`column="cell"`: never joined to a paragraph)."""
    line = _make_line([w for row in rows for w in row], number, "cell")
    text = ""
    for row in rows:
        part = " ".join(w.text for w in row)
        if _footnote_mark(part, max(w.size for w in row), line.size):
            continue  # a raised footnote mark (`CP⁴`) is a row of its own: not the cell's text
        text = text + part if not text or (_GLUE.search(text) and part[:1].isalnum()) else f"{text} {part}"
    line.text = text
    line.x0, line.x1 = box[0], box[2]
    return line


TURNED_MIN_CHARS = 100  # fewer turned glyphs are a stamp or a margin note, not a turned page


def _turned_left(chars: list[dict]) -> bool:
    """Whether turned glyphs read upwards (the page turned left) rather than downwards."""
    steps = [b["top"] - a["top"] for a, b in zip(chars, chars[1:])
             if abs(a["x0"] - b["x0"]) < 1 and a["top"] != b["top"]]
    return sum(d < 0 for d in steps) >= len(steps) / 2


def _turn_upright(chars: list[dict], width: float, height: float, left: bool) -> list[dict]:
    """Glyphs turned a quarter in the frame of the turned page. Turned left, a line reads
    upwards and the first line is the leftmost (its baseline on the glyphs' right); turned
    right, it reads downwards and the first line is the rightmost."""
    out = []
    for c in chars:
        size = float(c.get("size") or 10.0)
        if left:
            x0, x1, bottom = height - c["bottom"], height - c["top"], c["x1"]
        else:
            x0, x1, bottom = c["top"], c["bottom"], width - c["x0"]
        out.append(dict(c, x0=x0, x1=x1, top=bottom - size, bottom=bottom, upright=True))
    # a turned glyph's box spans the font's whole height along the line: cut it at the next
    # glyph, or every space would fall inside a word
    out.sort(key=lambda c: (round(c["bottom"], 1), c["x0"]))
    for a, b in zip(out, out[1:]):
        if round(a["bottom"], 1) == round(b["bottom"], 1) and a["x1"] > b["x0"]:
            a["x1"] = max(a["x0"], b["x0"])
    return out


def _repair_word(w: Word, legacy_text: str | None) -> None:
    """Legacy TCVN3/VNI text to Unicode before any layout decision reads it (`Sè` is `Số`)."""
    runs = []
    for font, text in w.runs:
        enc = legacy.detect("", [font]) if font else None
        if enc:
            text = legacy.convert(text, enc, capitals=legacy.is_capitals_font(font))
        elif legacy_text == "tcvn3":
            text = legacy.restore_capitals(text)
        elif legacy_text:
            text = legacy.convert(text, legacy_text)
        runs.append((font, text))
    if runs != w.runs:
        w.runs, w.text = runs, "".join(t for _, t in runs)


def text_encoding(pages_chars: list[list[dict]]) -> str | None:
    """The legacy encoding of a text layer (the chars of its first pages): by its fonts' names
    where they name a legacy font (and the text agrees), else by the statistics of its words;
    None for Unicode text."""
    sample, fonts = [], set()
    for chars in pages_chars:
        sample.append("".join(c["text"] for c in chars))
        fonts.update(font_name(c.get("fontname", "")) for c in chars)
    text = "\n".join(sample)
    return legacy.detect(text, [f for f in fonts if legacy.detect("", [f])])


def rows_to_lines(rows: list[list[Word]], number: int, width: float) -> list[Line]:
    """Lines of one page in reading order: a run of two-column rows that forms a header or a
    signing block is read left column first, then right column; other rows in order."""
    out: list[Line] = []
    run: list[tuple[Line | None, Line | None]] = []

    def flush() -> None:
        if any(a is not None and b is not None for a, b in run) and _is_block_run(run):
            out.extend(a for a, _ in run if a is not None)
            out.extend(b for _, b in run if b is not None)
        else:
            for a, b in run:
                if a is not None and b is not None:  # a table row: one line, cells in order
                    a.text = f"{a.text} {b.text}"
                    a.x1, a.runs = b.x1, a.runs + ((b.runs[0][0], " "),) + b.runs
                    a.fonts = tuple(dict.fromkeys(a.fonts + b.fonts))
                    out.append(a)
                else:
                    out.append(a or b)
                out[-1].column = "full"
        run.clear()

    for row in rows:
        row = [w for w in row if not _RULE.match(w.text)]
        if not row:
            continue
        if _OPENING.match(" ".join(w.text for w in row[:2])):
            # `Kính gửi` opens the body: it never belongs to a header column, even when it
            # stands alone at the left margin right under the `V/v` lines
            flush()
            out.append(_make_line(row, number, "full"))
            continue
        parts = _split_row(row, width)
        if parts:
            run.append((_make_line(parts[0], number, "left"), _make_line(parts[1], number, "right")))
            continue
        x0, x1 = row[0].x0, max(w.x1 for w in row)
        if _centered(x0, x1, width):
            flush()
            out.append(_make_line(row, number, "full"))
        elif x1 < width * 0.55:
            run.append((_make_line(row, number, "left"), None))
        elif x0 > width * 0.40:
            run.append((None, _make_line(row, number, "right")))
        else:
            flush()
            out.append(_make_line(row, number, "full"))
    flush()
    return out


ENCODING_PAGES = 12  # pages sampled to tell a legacy text layer


def _open_plumber(path: str, password: str):
    try:
        return pdfplumber.open(path, password=password)
    except Exception as exc:  # pdfminer raises many kinds; the reason is what matters
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in str(exc):
            raise IngestError("encrypted PDF: a password is needed to read it") from exc
        raise IngestError(f"not a readable PDF ({name}: {str(exc)[:120]})") from exc


def _plumber_page(page) -> PageChars:
    area = float(page.width) * float(page.height)
    boxes = [(float(im["x0"]), float(im["top"]), float(im["x1"]), float(im["bottom"])) for im in page.images
             if abs(float(im["x1"]) - float(im["x0"])) * abs(float(im["bottom"]) - float(im["top"]))
             > pdfchars.FILL * area]
    rules = _plumber_rules(page)
    out = PageChars(float(page.width), float(page.height), list(page.chars), len(boxes),
                    len(page.curves) + len(page.rects) + len(page.lines), image_boxes=boxes, rules=rules)
    page.flush_cache()
    return out


def _plumber_rules(page) -> list[Box]:
    """Ruled lines as `pdfchars` finds them: lines, thin rectangles, a stroked rectangle's sides."""
    out: list[Box] = []
    for obj in list(page.lines) + list(page.rects):
        box = (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))
        w, h = box[2] - box[0], box[3] - box[1]
        if max(w, h) < pdfchars.MIN_RULE:
            continue
        if min(w, h) <= pdfchars.RULE_WIDTH:
            out.append(box)
        elif obj.get("object_type") == "rect" and obj.get("stroke") and not obj.get("fill"):
            x0, top, x1, bottom = box
            out += [(x0, top, x1, top), (x0, bottom, x1, bottom), (x0, top, x0, bottom), (x1, top, x1, bottom)]
    return out


def _plumber_pages(path: str, password: str) -> Iterator[PageChars]:
    pdf = _open_plumber(path, password)

    def pages() -> Iterator[PageChars]:
        with pdf:
            for page in pdf.pages:
                yield _plumber_page(page)

    return pages()


def _mixed_pages(path: str, password: str, fast: Iterator[PageChars | None]) -> Iterator[PageChars]:
    """pdfium's pages, with pdfplumber (opened only when needed) for the pages pdfium leaves."""
    plumber = None
    try:
        for i, page in enumerate(fast):
            if page is None:
                plumber = plumber or _open_plumber(path, password)
                page = _plumber_page(plumber.pages[i])
            yield page
    finally:
        if plumber is not None:
            plumber.close()


def page_chars(path: str, password: str = "", engine: str = "pdfium") -> Iterator[PageChars]:
    """The glyphs of every page as char dicts: through pdfium (fast), or through pdfplumber
    where pdfium cannot open the file or would place glyphs differently, or when asked
    (`engine="pdfplumber"`, the reference the benchmark compares against)."""
    if engine == "pdfium":
        try:
            return _mixed_pages(path, password, pdfchars.pdfium_pages(path, password))
        except Exception:  # pypdfium2.PdfiumError and kin: pdfplumber says why in its own words
            pass
    return _plumber_pages(path, password)


def read_pages(path: str, password: str = "", engine: str = "pdfium") -> list[PageText]:
    try:
        return _read_pages(path, password, engine)
    except IngestError:
        raise
    except Exception:  # a page pdfium failed on halfway: read the file the slow way instead
        if engine == "pdfplumber":
            raise
        return _read_pages(path, password, "pdfplumber")


def _read_pages(path: str, password: str, engine: str) -> list[PageText]:
    source = page_chars(path, password, engine)
    pages: list[PageText] = []
    first: list[PageChars] = []
    for raw in source:  # the first pages tell the encoding of the whole text layer
        first.append(raw)
        if len(first) == ENCODING_PAGES:
            break
    encoding = text_encoding([p.chars for p in first])
    by_stats = encoding if encoding and first and not any(
        legacy.detect("", [font_name(c.get("fontname", ""))]) for c in first[0].chars) else None

    def all_pages() -> Iterator[PageChars]:
        yield from first
        yield from source

    for i, raw in enumerate(all_pages(), start=1):
        lines = page_lines(raw.chars, i, raw.width, by_stats, raw.height, raw.rules)
        pages.append(PageText(i, lines, sum(len(ln.text) for ln in lines), raw.width, raw.height, raw.images,
                              raw.graphics, encoding=encoding, image_boxes=raw.image_boxes))
    return pages


# An image holds body text the text layer lacks when it spans the text column and the text
# layer's lines cover almost none of it: a signed gazette page whose header is text and whose
# body (căn cứ lines, Điều 1) is a picture. A logo or a seal is narrower and smaller (not
# counted in `image_boxes`); a background or a searchable scan has its text drawn over it.
BODY_IMAGE_WIDTH = 0.6  # of the page width
UNCOVERED = 0.1  # share of the image's area under text-layer lines


def unread_images(page: PageText) -> list[Box]:
    """The large images of a page whose area its text layer leaves unread, top first."""
    out = []
    for box in page.image_boxes:
        x0, top, x1, bottom = box
        area = (x1 - x0) * (bottom - top)
        if x1 - x0 < BODY_IMAGE_WIDTH * page.width or area <= 0:
            continue
        covered = sum(max(0.0, min(x1, ln.x1) - max(x0, ln.x0))
                      * max(0.0, min(bottom, ln.top + (ln.size or 12.0)) - max(top, ln.top))
                      for ln in page.lines)
        if covered < UNCOVERED * area:
            out.append(box)
    return sorted(out, key=lambda b: b[1])


def merge_in_reading_order(lines: list[Line], blocks: list[tuple[Box, list[Line]]]) -> list[Line]:
    """A page's text-layer lines with the lines read from its images: each image's lines go
    where the image stands (after the lines above its top); text-layer lines inside an image
    (a stray glyph of its stamp) give way to what was read there."""
    out = list(lines)
    for box, read in sorted(blocks, key=lambda b: b[0][1]):
        out = [ln for ln in out if not _inside(ln, box)]
        above = [ln for ln in out if ln.top < box[1]]
        below = [ln for ln in out if ln.top >= box[1]]
        out = above + read + below
    return out


def _inside(ln: Line, box: Box) -> bool:
    """Whether a line's middle lies in the box."""
    mid_x, mid_y = (ln.x0 + ln.x1) / 2, ln.top + (ln.size or 12.0) / 2
    return box[0] <= mid_x <= box[2] and box[1] <= mid_y <= box[3]
