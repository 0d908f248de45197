"""Header fields read from the layout lines: number and symbol, issuing body with its parent,
place and date, document type (the title line), subject (trích yếu) and recipients.

Text from ingest puts the header's left column first, then its right column, then the body;
plain-text letters follow the printed order. Both reach here as lines; a line may hold several
header cells (`QUỐC HỘI ****** CỘNG HÒA …`), so lines are cut into cells first."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.codes import Code, parse_code, without_debris
from nlp.dates import HEADER_DATE, WORDY, match_iso
from nlp.doctypes import canonical_type
from nlp.issuer import BODY_START as ISSUER_START
from nlp.marks import leading_stamp, stamp_before_body, stamp_of, trailing_stamp
from nlp.models import Marks
from text.capitals import is_upper
from text.chars import LOWER, UPPER
from text.fold import fold
from text.letter_parts import (
    MOTTO,
    MOTTO_SECOND_LINE_FROZEN,
    NUMBER_COLON,
    NUMBER_LINE_FROZEN,
    NUMBER_PREFIX,
    SIGNING_MARK,
    SIGNING_OPENER,
    SUBJECT_AFTER_CODE,
    SUBJECT_LINE_FROZEN,
    SUBJECT_OPENER,
    YOUTH_MOTTO,
    is_motto,
)

SEPARATOR = re.compile(r"[*_=~\-–—.]{3,}|\|")
RUNNING_HEAD = re.compile(r"^\s*(?:CÔNG\s*BÁO|\d{1,4}\s*$|Ký bởi|Email|Cơ quan|Thời gian ký)", re.I)
_TOKEN = re.compile(r"^\d*(?:\.\d+)?[a-z]?[0-9A-ZĐ/\-–—&.:]*(?:[A-ZĐ][a-z]{1,2}[0-9A-ZĐ/\-–—&.]*)*$")
BODY_START = re.compile(
    r"^\s*(?:Kính\s+gửi|Căn\s+cứ|LỜI\s+NÓI\s+ĐẦU|Thực\s+hiện|Theo\s+đề\s+nghị|Điều\s+1\b|Chương\s+I\b|Phần\s+I\b|Xét\s+đề\s+nghị)",
    re.I,
)
TITLE_WORDS = (
    "THÔNG TƯ LIÊN TỊCH", "NGHỊ QUYẾT LIÊN TỊCH", "VĂN BẢN HỢP NHẤT", "NGHỊ QUYẾT", "NGHỊ ĐỊNH",
    "QUYẾT ĐỊNH", "THÔNG TƯ", "BỘ LUẬT", "LUẬT", "PHÁP LỆNH", "LỆNH", "CHỈ THỊ", "KẾT LUẬN",
    "QUY ĐỊNH", "QUY CHẾ", "HƯỚNG DẪN", "THÔNG BÁO", "THÔNG CÁO", "THÔNG TRI", "KẾ HOẠCH",
    "CHƯƠNG TRÌNH", "BÁO CÁO", "TỜ TRÌNH", "ĐỀ ÁN", "PHƯƠNG ÁN", "DỰ ÁN", "BIÊN BẢN",
    "CÔNG ĐIỆN", "CÔNG VĂN", "GIẤY MỜI", "GIẤY GIỚI THIỆU", "GIẤY ỦY QUYỀN", "HIẾN PHÁP",
    "LỜI KÊU GỌI", "ĐIỀU LỆ", "BẢN GHI NHỚ", "HỢP ĐỒNG",
)
TITLE = re.compile(rf"^(?P<type>{'|'.join(TITLE_WORDS)})(?=$|\s+[^{LOWER}\-–]|\s*[:(])")
# Title words without their marks (`KE HOACH`, `THONG BAO`): a header typed or OCR'd bare.
BARE_TITLES = {fold(w).upper(): w for w in TITLE_WORDS}
# A preamble line that cites a document (`Thông tư số 45/2016/… ngày …`) ends the title.
CITING_LINE = re.compile(
    r"^(?:Luật|Bộ luật|Nghị định|Thông tư|Quyết định|Nghị quyết|Pháp lệnh|Lệnh)\b[^\n]{0,80}\bsố\b"
)
# The authority line under a title (`CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH`, `BỘ TRƯỞNG BỘ TÀI CHÍNH`) ends it.
AUTHORITY_LINE = re.compile(
    r"^(?:CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|THỦ\s+TƯỚNG|CHÍNH\s+PHỦ|QUỐC\s+HỘI|ỦY\s+BAN|UỶ\s+BAN|HỘI\s+ĐỒNG|BAN\s(?!HÀNH\s)|"
    r"TỔNG\s|GIÁM\s+ĐỐC|CỤC\s+TRƯỞNG|THỐNG\s+ĐỐC|VIỆN\s+TRƯỞNG|CHÁNH\s|BỘ\s|ĐOÀN\s|KIỂM\s+TOÁN|"
    r"QUYẾT\s+ĐỊNH\s*:|QUYẾT\s+NGHỊ\s*:|NGHỊ\s+QUYẾT\s*:|BAN\s+HÀNH\s*:)"
)


# A consolidated text (VBHN) opens by naming the act and the acts that amended it:
# `Luật … số 15/2012/QH13 ngày …, có hiệu lực kể từ ngày …, được sửa đổi, bổ sung bởi:`
AMENDED_BY = re.compile(r"có\s+hiệu\s+lực\s+(?:thi\s+hành\s+)?(?:kể\s+)?từ\s+ngày[^;.:]{0,60}?,?\s*"
                        r"được\s+sửa\s+đổi,\s*bổ\s+sung\s+(?:bởi|theo)\s*:")


@dataclass
class Cell:
    text: str
    line: int  # index of the line it came from
    start: int  # offset in the document text


@dataclass
class Header:
    code: str | None = None
    parsed: Code | None = None
    code_span: tuple[int, int] | None = None
    type_word: str | None = None  # from `Luật số:` or the title line
    issued_date: str | None = None
    place: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    subject: str | None = None
    subject_line: bool = False  # the subject is a `V/v` trích yếu (a công văn's)
    title_line: int | None = None
    body_line: int = 0
    marks: Marks = field(default_factory=Marks)


def _clean(s: str) -> str:
    return s.strip().strip("*_#>").strip()


def cells(text: str, limit: int = 60) -> list[Cell]:
    """The first `limit` lines cut into header cells, blank lines kept as empty cells."""
    out: list[Cell] = []
    pos = 0
    for i, line in enumerate(text.split("\n")):
        if i >= limit:
            break
        if not line.strip():
            out.append(Cell("", i, pos))
        else:
            pieces = []
            last = 0
            has_motto = any(k in line for k in ("NAM", "Nam", "phúc", "PHÚC", "phuc", "PHUC"))  # skip the costly regex
            # the motto is a cell in capitals (or `Độc lập - …`); `nước Cộng hòa xã hội chủ nghĩa
            # Việt Nam` inside a sentence or a title line is not
            found = MOTTO.finditer(line) if has_motto else ()
            mottos = [m for m in found if is_upper(m.group()) or m.group()[:1] in "ĐD"]
            for m in list(SEPARATOR.finditer(line)) + mottos:
                pieces.append((last, m.start(), m.end()))
            bounds = sorted((a, b) for _, a, b in pieces)
            spans, cur = [], 0
            for a, b in bounds:
                if a >= cur:
                    spans.append((cur, a))
                    cur = b
                    if MOTTO.fullmatch(line[a:b]):
                        spans.append((a, b))
            spans.append((cur, len(line)))
            if "   " in line:
                spans = [g for a, b in spans for g in _gap_cells(line, a, b)]
            for a, b in spans:
                piece = line[a:b]
                cleaned = _clean(piece)
                if cleaned:
                    lead = len(piece) - len(piece.lstrip(" *_#>"))
                    out.append(Cell(cleaned, i, pos + a + lead))
        pos += len(line) + 1
    return out


_GAP = re.compile(r"[ \t]{3,}")


def _complete_left(left: str) -> bool:
    """Whether text before a wide gap already reads as a whole header field: a number line whose
    code ends at the gap, a full date line, or a line in capitals (an issuer)."""
    m = NUMBER_PREFIX.match(left)
    if m and is_number_line(left):
        rest = left[m.end():].strip()
        got = _read_code(rest) if rest else None
        return bool(got) and got[1] >= len(rest)
    if is_date_line(left):
        dm = HEADER_DATE.search(left)
        return bool(dm) and not left[dm.end():].strip()
    return is_upper(left) and len(left.split()) >= 2


def _gap_cells(line: str, a: int, b: int) -> list[tuple[int, int]]:
    """Cut line[a:b] at runs of >= 3 spaces that are column gaps (a two-column header flattened
    row by row): where the right part is a date line, or the left part reads as a complete field.
    Gaps inside a field stay (`Số:      /UBND-VP`, `ngày      tháng 6 năm 2026`)."""
    out, cur = [], a
    for g in _GAP.finditer(line, a, b):
        left, right = line[cur:g.start()].strip(), line[g.end():b]
        if not left:
            continue
        right_date = is_date_line(right) and not _GAP.search(_before_date(right, HEADER_DATE.search(right)))
        if right_date or (_complete_left(left) and right.strip()[:1].isupper()):
            out.append((cur, g.start()))
            cur = g.end()
    out.append((cur, b))
    return out


# A word glued onto a symbol where the text layer lost the space (`/SNV-CCVCCao Bằng`, `UBNDHà`):
# no type or body letters end in a capital and two small letters (`TTg`, `HTr`, `QĐi` have one),
# or a small letter with a tone mark.
_GLUED = re.compile(rf"(?<=[A-ZĐ]{{2}})[A-ZĐ](?:[{LOWER}]{{2,}}|[{LOWER[4:]}][{LOWER}]*)$")
# OCR's marks around a code: quotes, a rule read as `|`, `~`, a bracket (`241/2026/NĐ-CP'`).
_DEBRIS = "'\"’‘”“`~^°|_*()[]!"


def _read_code(rest: str) -> tuple[str, int] | None:
    """The code at the start of `rest` (spaces inside allowed: `S ố : 38/2022/N Đ -CP`): (code, length)."""
    rest = rest.replace("…", ".")  # a draft's blank number dotted out (`Số: …/QĐ-UBND`); same length
    tokens = list(re.finditer(r"\S+", rest))
    kept: list[tuple[re.Match, str]] = []  # each token with its text as it counts in the code
    for t in tokens:
        tok = t.group().rstrip(",;" + _DEBRIS)
        if not kept:
            tok = tok.lstrip(_DEBRIS)
        glued = _GLUED.search(tok) if len(tok) > 4 else None
        if glued:
            tok = tok[:glued.start()]
        elif without_debris(tok) != tok:  # `NĐ-CPl`: a rule read as a letter ends the code
            tok, glued = without_debris(tok), True
        if not _TOKEN.match(tok) or not tok:
            break
        if kept and t.start() > kept[-1][0].end() and parse_code("".join(k[1] for k in kept)):
            # a wide run of spaces is a column gap (text flattened from a two-column header), not
            # a space inside a code, once what is kept already reads as a code
            if t.start() - kept[-1][0].end() >= 3:
                break
            # OCR splits a code only inside its capitals and digits (`N Đ -CP`, `QH 11`): after a
            # space, a word with small letters is the next field (`/SNV-CCVC Cao Bằng`) or debris
            # (`NĐ-CP l Hà Nội`), unless a joint is still open on either side
            if (any(ch.islower() for ch in tok) and not tok.startswith(("-", "/"))
                    and not kept[-1][1].endswith(("-", "/"))):
                break
        kept.append((t, tok))
        if len(kept) >= 6 or glued:
            break
    while kept:
        raw = "".join(k[1] for k in kept).replace("–", "-").replace("—", "-").rstrip(".,;:")
        parsed = parse_code(raw)
        if parsed and (parsed.number or parsed.symbol):
            return parsed.code, kept[-1][0].start() + len(kept[-1][1])
        kept.pop()
    return None


def is_number_line(t: str) -> bool:
    m = NUMBER_PREFIX.match(t)
    return bool(m) and (":" in m.group() or (t[0] == "S" and not m.group("tw")))


def _before_date(t: str, m: re.Match) -> str:
    """The text before a date, without a `ngày` that precedes a numeric date (`Hà Nội, ngày 08-8-2025`)."""
    return re.sub(r"\s*(?:ngày|Ngày|ngay|Ngay)\s*$", "", t[:m.start()])


def is_date_line(t: str) -> bool:
    m = HEADER_DATE.search(t)
    if not m:
        return False
    before = _before_date(t, m)
    b = before.rstrip()
    # OCR reads the comma after the place as a full stop (`Hà Nội. ngày …`)
    ends = b.endswith(",") or bool(re.search(rf"(?:^|\s)[{UPPER}][^\s.]*\.$", b))
    if not ends:  # `Số: 87/2025/NĐ-CP Hà Nội ngày 11 tháng 4 năm 2025`: a flattened header drops the comma
        place = _place(before)
        rest = b[:-len(place)].strip() if place and b.endswith(place) else None
        ends = rest is not None and (not rest or is_number_line(rest)) and not re.match(r"(?i)dự\s+thảo", place)
    # a place names the date, not a sentence (`Cách mạng tháng Tám thành công, ngày 02 tháng 9 năm 1945`)
    return not b or (ends and (len(before.split()) <= 10 or _place(before) is not None))


# Header lines that the duplicate signature leaves out of a document's body (index/dedup/body.py).
# Its MinHashes are stored in archives, so these keep the reach they had when those were computed,
# apart from the parser's readers above: a number line needs a code's start, a subject only `V/v`
# (text/letter_parts.py keeps their frozen patterns).
def is_motto_line(t: str) -> bool:
    """The national or Party motto alone on its line, or a line holding `Độc lập - Tự do`."""
    return is_motto(t) or bool(MOTTO_SECOND_LINE_FROZEN.search(t))


def is_code_line(t: str) -> bool:
    """`Số` and the start of a code (`Số: 12/`, `Số:    /UBND`, any case): `is_number_line`
    takes any `Số:` cell, since the parser reads the code from the next line when it must."""
    return bool(NUMBER_LINE_FROZEN.match(t))


def is_subject_line(t: str) -> bool:
    """The `V/v` opener of a subject (spaces and case free); the lines under it continue it."""
    return bool(SUBJECT_LINE_FROZEN.match(t))


# Unit words a date line prints before a place named after a person, a number or an event
# (Nghị định 30/2020, Phụ lục I: `Thành phố Hồ Chí Minh, ngày …`, `Quận 1, ngày …`): part of the place.
_UNIT_WORDS = {"thành phố", "thị xã", "thị trấn", "quận", "huyện", "phường", "xã", "tỉnh"}


def _place(before: str) -> str | None:
    words = before.rstrip(" ,").split()
    picked: list[str] = []
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        numbered = w.isdigit() and k > 0 and words[k - 1].lower() in _UNIT_WORDS and not picked  # `Quận 1`
        if (w[:1].isupper() or w in {"TP.", "Tp.", "tp."}) and not any(c.isdigit() for c in w) and len(picked) < 5 \
                or numbered:
            picked.append(w)
        else:
            break
    # capitals before a place in title case are another field run on (`HỎA TỐC Hà Nội`, `DỰ THẢO Cao Bằng`)
    while len(picked) >= 2 and picked[-1].isupper() and len(picked[-1]) > 1 and not picked[0].isupper() \
            and picked[-1] not in {"TP.", "TP"}:
        picked.pop()
    rest = words[:len(words) - len(picked)]
    glued = _GLUED.search(rest[-1]) if picked and rest and len(rest[-1]) > 4 else None
    if glued:  # `Số: /SNV-CCVCCao Bằng, ngày …`: the place's first word lost its space
        picked.append(glued.group())
    unit = " ".join(rest[-2:])
    if picked and len(rest) >= 2 and unit.lower() in _UNIT_WORDS and (unit[:1].isupper() or len(rest) == 2):
        picked += reversed(rest[-2:])  # `Thành phố` / `Thị xã` before the name, as printed
    place = " ".join(reversed(picked)).strip(" ,.*")
    return place or None


def read_header(text: str) -> Header:
    """The header fields of a document's text, each read by its own step over the header's cells."""
    h = Header()
    cs = cells(text)
    end = _body_opener(cs)
    h.body_line = cs[end].line if end < len(cs) else (cs[-1].line + 1 if cs else 0)
    head = cs[:end]
    code_k = _read_number(head, h)
    date_k, inline_subject = _read_place_and_date(head, h)
    _read_issuer_lines(head, h)
    title_k = _read_title(head, h, code_k, date_k)
    _stamps(head[:title_k] if title_k is not None else head, h.marks)
    _read_consolidated(text, head, h)
    _read_subject(head, h, code_k, title_k, inline_subject)
    if end == len(cs) and cs:
        # no body opener in the first lines (a short letter): the body starts after the last
        # header field found, so that a signing block near the top is still read
        found = [head[k].line for k in (code_k, date_k, title_k) if k is not None]
        h.body_line = max(found) + 1 if found else 0
    return h


def _body_opener(cs: list[Cell]) -> int:
    """The index of the cell that opens the body (`Kính gửi`, `Căn cứ`, …), else len(cs)."""
    for k, c in enumerate(cs):
        if BODY_START.match(c.text) and not c.text[:1].islower() and k > 0:  # `thực hiện …` goes on a title
            return k
    return len(cs)


def _read_number(head: list[Cell], h: Header) -> int | None:
    """The number and symbol (`Số: 12/UBND-VP`) into `h`: the index of its cell, else None."""
    for k, c in enumerate(head):
        if RUNNING_HEAD.match(c.text):
            continue
        m = NUMBER_PREFIX.match(c.text)
        if not m:
            continue
        # `Luật số: 51/2024/QH15` names the type; `Thông tư số 08/2023/…` opening a line cites one
        if (m.group("tw") or c.text[0] == "s") and ":" not in m.group():
            continue
        rest, base = c.text[m.end():], c.start + m.end()
        if not rest.strip() and k + 1 < len(head):  # `Số:` alone, the code on the next line
            rest, base = head[k + 1].text, head[k + 1].start
        elif rest.rstrip().endswith("-") and k + 1 < len(head) and head[k + 1].line == c.line + 1:
            rest = rest.rstrip() + head[k + 1].text  # a long joint symbol wraps onto the next line
        got = _read_code(rest)
        if got:
            h.code, n = got
            h.marks.add(leading_stamp(rest[n:], TITLE))  # `Số: …/2016/QH14 DỰ THẢO 24.10.2016 LUẬT …`
            h.parsed = parse_code(h.code)
            h.code_span = (c.start, base + n)
            if m.group("tw"):
                h.type_word = canonical_type(m.group("tw"))
            return k
    return None


def _read_place_and_date(head: list[Cell], h: Header) -> tuple[int | None, str | None]:
    """The place and date line into `h`: (index of its cell, the title's words when the date line
    runs on into the title), else (None, None)."""
    for k, c in enumerate(head):
        if RUNNING_HEAD.match(c.text) or re.search(r"\(?Từ\s+ngày|Khóa|khoá|kỳ họp", c.text):
            continue
        m = HEADER_DATE.search(c.text)
        if not (m and is_date_line(c.text)):
            continue
        h.issued_date = match_iso(m)
        before = _before_date(c.text, m).rstrip(" ,")
        h.place = _place(before)
        if h.place and before.endswith(h.place):  # `… HỎA TỐC Hà Nội, ngày …`: a stamp run on before the place
            run_on = before[:-len(h.place)].rstrip()
            h.marks.add(stamp_of(run_on) or trailing_stamp(run_on)[1])
        after = c.text[m.end():].strip()
        h.marks.add(leading_stamp(after, TITLE))  # `Hà Nội, ngày … năm 2026 HỎA TỐC`
        tm = TITLE.match(after)
        inline_subject = None
        if tm and is_upper(after[:tm.end()]):  # `Hà Nội, ngày … CHỈ THỊ VỀ …` on one line
            h.type_word = h.type_word or canonical_type(tm.group("type"))
            inline_subject = _drop_enacting(" ".join(after[tm.end():].split()).strip(" :")) or None
        return k, inline_subject
    return None, None


def _read_issuer_lines(head: list[Cell], h: Header) -> None:
    """The issuer's lines into `h`: capitals before the number, the date and the title, mottos
    left out."""
    prev_line = -1
    for c in head:
        t = c.text
        if not t:
            continue
        beside = c.line == prev_line  # a cell right of another one on its line
        prev_line = c.line
        if RUNNING_HEAD.match(t) or MOTTO.fullmatch(t) or MOTTO.match(t) or (beside and YOUTH_MOTTO.fullmatch(t)):
            continue
        if stamp_of(t):  # a stamp under the issuer is neither its name nor its parent
            continue
        tm = TITLE.match(t)
        if tm and is_upper(t[:tm.end()]):
            break  # the issuer stands above the title; capitals under it are the title's subject
        if is_number_line(t) or is_date_line(t) or SUBJECT_OPENER.match(t):
            if h.issuer_lines:
                break
            continue
        if re.match(rf"{SIGNING_MARK}\s*\S", t):
            break  # a signing block (a gazette stub holds nothing else): no issuer line follows
        if is_upper(t) and not re.fullmatch(r"[\W\d]+", t):
            # `SỞ NỘI VỤ DỰ THẢO`, `HỎA TỐC BỘ Y TẾ`: a flattened layout ran the stamp on
            t, stamp = trailing_stamp(t)
            h.marks.add(stamp)
            t, stamp = stamp_before_body(t, ISSUER_START)
            h.marks.add(stamp)
            h.issuer_lines.append(t)
        elif h.issuer_lines:
            break


def _read_title(head: list[Cell], h: Header, code_k: int | None, date_k: int | None) -> int | None:
    """The title line (the type word as printed) into `h`: the index of its cell, else None."""
    for k, c in enumerate(head):
        if RUNNING_HEAD.match(c.text) or k == date_k:
            continue
        m = TITLE.match(c.text)
        if m and is_upper(c.text[: m.end()]) and c.text not in h.issuer_lines:
            if h.type_word is None:
                h.type_word = canonical_type(m.group("type"))
            h.title_line = c.line
            return k
        bare = BARE_TITLES.get(fold(c.text).upper().strip(" :")) if c.text.isupper() and k > (code_k or 0) else None
        if bare and c.text not in h.issuer_lines:  # `KE HOACH` typed without marks, alone on its line
            h.type_word = h.type_word or canonical_type(bare)
            h.title_line = c.line
            return k
    return None


def _read_consolidated(text: str, head: list[Cell], h: Header) -> None:
    """A consolidated text (VBHN) takes its number and date from its certification block; a
    number missing from the header is looked for in the whole text, then in a heading."""
    certified = _certified_code(text) if not _is_vbhn(h.parsed) else None
    if certified:
        # the header is the consolidated act's (`CHÍNH PHỦ` / `Số: 145/2020/NĐ-CP`): the number and
        # the date of the consolidated text are those of its certification block
        h.type_word = "Văn bản hợp nhất"
        h.code, h.code_span = certified
        h.parsed = parse_code(h.code)
        h.issued_date = h.place = None
        _certification_date(text, h)
    elif any(re.match(r"^VĂN\s+BẢN\s+HỢP\s+NHẤT", c.text) for c in head[:12]) or AMENDED_BY.search(text[:4000]):
        h.type_word = "Văn bản hợp nhất"
        if not _is_vbhn(h.parsed):
            h.code = h.parsed = h.code_span = None  # its own number is in the certification block
    if h.code is None:
        _code_anywhere(text, h)
        if h.code and h.type_word == "Văn bản hợp nhất" and h.issued_date is None:
            _certification_date(text, h)
    if h.code is None and h.type_word != "Văn bản hợp nhất":  # its heading cites the amending acts
        _code_in_heading(head[:15], h)


def _read_subject(head: list[Cell], h: Header, code_k: int | None, title_k: int | None,
                  inline_subject: str | None) -> None:
    """The subject (trích yếu) into `h`: a `V/v` line, else the words under the title, else the
    title's words run on after the date line, else a công văn's plain lines under its number."""
    vv = _vv_subject(head)
    h.subject_line = vv is not None
    cut, stamp = trailing_stamp(vv) if vv else (vv, None)
    if stamp and not stamp.draft:  # `V/v phòng, chống dịch HỎA TỐC`; `… góp ý DỰ THẢO` is what it is about
        vv = cut
        h.marks.add(stamp)
    h.subject = (vv or (_title_subject(head, title_k, h.marks) if title_k is not None else None)
                 or inline_subject)
    if h.subject is None and title_k is None and code_k is not None and _letter_code(h.parsed):
        h.subject = _plain_subject(head, code_k)

def _stamps(head: list[Cell], marks: Marks) -> None:
    """The stamps among the header's cells, above the title; the body's first sentence ends the look."""
    for c in head:
        if _sentence(c.text) or re.match(r"(?i)kính\s+gửi", c.text):
            break
        marks.add(stamp_of(c.text))


# The enacting authority printed under a title (`BỘ TRƯỞNG BỘ TÀI CHÍNH`), run on into it in a web copy.
_ENACTING = re.compile(
    r"(?<!CỦA)(?<!CHỨC)\s+(?:CHỦ\s+TỊCH\s+(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN|BỘ\s+TRƯỞNG\s+BỘ|THỦ\s+TƯỚNG\s+CHÍNH\s+PHỦ$|CHÍNH\s+PHỦ$|"
    r"TỔNG\s+CỤC\s+TRƯỞNG\s+TỔNG\s+CỤC|CỤC\s+TRƯỞNG\s+CỤC|GIÁM\s+ĐỐC\s+SỞ|CHÁNH\s+ÁN\s+TÒA\s+ÁN|"
    r"VIỆN\s+TRƯỞNG\s+VIỆN|THỐNG\s+ĐỐC\s+NGÂN\s+HÀNG|TỔNG\s+KIỂM\s+TOÁN\s+NHÀ\s+NƯỚC)(?:\s+[^\sa-zđ]+){0,8}$"
)


def _drop_enacting(subject: str) -> str:
    return _ENACTING.sub("", subject)


def _letter_code(parsed: Code | None) -> bool:
    """A công văn's number: `CV` letters (Party) or none at all (state `số/CQ-ĐV`)."""
    return parsed is not None and parsed.year is None and (parsed.type_abbrev or "CV").upper() == "CV"


def _plain_subject(head: list[Cell], code_k: int) -> str | None:
    """A công văn may print its trích yếu under the number without `V/v` (`Sao gửi Công văn số …`):
    the sentence-case lines right under the number, before the addressee or a blank line."""
    parts: list[str] = []
    prev_line = head[code_k].line
    for c in head[code_k + 1:code_k + 6]:
        t = c.text
        if c.line != prev_line + 1:
            if c.line == prev_line and not parts:  # the date cell beside the number
                continue
            break
        prev_line = c.line
        if not t or MOTTO.match(t) or is_number_line(t) or is_upper(t) or re.match(r"(?i)kính\s+gửi", t):
            break
        if is_date_line(t) and not re.match(r"ngày\s*\S+.*?\s(?:của|về)\s", t):
            if parts:
                break
            continue
        if not parts and not (t[:1].isupper() and any(ch.islower() for ch in t[:12])):
            break
        parts.append(t)
    if not parts or len(parts) > 3:
        return None
    return " ".join(" ".join(parts).split()) or None


def _code_anywhere(text: str, h: Header) -> None:
    """A consolidated text (VBHN) prints its number in the certification block at the end, and a
    gazette page may hold the number after the title: the first `Số:` line with a number."""
    lo = 0
    for m in re.finditer(rf"(?m)^[ \t*_]*{NUMBER_COLON}[ \t]*", text):
        start = lo + m.end()
        got = _read_code(text[start:start + 80].split("\n")[0])
        if got and parse_code(got[0]) and parse_code(got[0]).number:
            h.code, n = got
            h.parsed = parse_code(h.code)
            h.code_span = (lo + m.start(), start + n)
            return


def _is_vbhn(parsed: Code | None) -> bool:
    return bool(parsed and (parsed.type_abbrev or "").upper() == "VBHN")


_CERTIFICATION = re.compile(r"XÁC\s+THỰC\s+VĂN\s+BẢN\s+HỢP\s+NHẤT")


def _certified_code(text: str) -> tuple[str, tuple[int, int]] | None:
    """The `…/VBHN-…` number printed in a `XÁC THỰC VĂN BẢN HỢP NHẤT` block (the minister's
    certification at the end of a consolidated text, Pháp lệnh hợp nhất văn bản): (code, span)."""
    if "XÁC" not in text:
        return None
    for cert in _CERTIFICATION.finditer(text):
        lo = max(0, cert.start() - 400)
        window = text[lo:cert.end() + 400]
        for m in re.finditer(rf"(?<!\w){NUMBER_COLON}\s*", window):  # a web copy runs the block into one line
            got = _read_code(window[m.end():m.end() + 80].split("\n")[0])
            if got and _is_vbhn(parse_code(got[0])):
                return got[0], (lo + m.start(), lo + m.end() + got[1])
    return None


def _certification_date(text: str, h: Header) -> None:
    """A consolidated text is dated in its certification block (`Số: 1345/VBHN-BLĐTBXH` /
    `XÁC THỰC VĂN BẢN HỢP NHẤT` / `Hà Nội, ngày 02 tháng 4 năm 2024`), near its number."""
    a, b = h.code_span
    after = text[b:b + 300].split("\n")
    before = text[max(0, a - 300):a].split("\n")[::-1]
    for line in after + before:  # the nearest date line: a short text's own header may be in reach
        line = _clean(line)
        m = HEADER_DATE.search(line)
        if m and is_date_line(line):
            h.issued_date = match_iso(m)
            h.place = _place(_before_date(line, m))
            return


def _code_in_heading(head: list[Cell], h: Header) -> None:
    """A gazette continuation names its document in a heading: `Thông tư số 102/2018/TT-BTC ngày …`."""
    for c in head:
        m = NUMBER_PREFIX.match(c.text)
        if m and m.group("tw"):
            got = _read_code(c.text[m.end():])
            if got:
                h.code, n = got
                h.parsed = parse_code(h.code)
                h.code_span = (c.start, c.start + m.end() + n)
                if h.title_line is None or h.title_line > c.line:  # a later title is an appendix form's
                    h.type_word = canonical_type(m.group("tw"))
                return




def _inline_vv(c: Cell) -> str | None:
    """The subject that follows the number on the number's own line, cut before a date line
    that runs on after it (`… Luật DN 2014 Hà Nội, ngày 23 tháng 5 năm 2019 Kính gửi: …`)."""
    if not is_number_line(c.text):
        return None
    m = SUBJECT_AFTER_CODE.search(c.text)
    if not m:
        return None
    rest = c.text[m.end():]
    dm = HEADER_DATE.search(rest)
    if dm:
        before = _before_date(rest, dm)
        place = _place(before)
        rest = before.rstrip(" ,")
        if place and rest.endswith(place):
            rest = rest[:-len(place)]
    return " ".join(rest.split()).rstrip(" ,") or None


def _vv_subject(head: list[Cell]) -> str | None:
    for k, c in enumerate(head):
        m = SUBJECT_OPENER.match(c.text)
        if not m:
            inline = _inline_vv(c)
            if inline:
                return inline
            continue
        parts = [c.text[m.end():]]
        prev_line = c.line
        for nxt in head[k + 1:]:
            t = nxt.text
            if not t or nxt.line != prev_line + 1:
                break
            # `ngày 25/9/2025 của UBND tỉnh …` goes on citing the document named on the line above
            cited = bool(re.match(r"ngày\s*\S+.*?\s(?:của|về)\s", t))
            if MOTTO.match(t) or (is_date_line(t) and not cited) or is_number_line(t) or is_upper(t):
                break
            parts.append(t)
            prev_line = nxt.line
        return " ".join(" ".join(parts).split()) or None
    return None


# A signing block or the distribution list, which a title run straight into its body reaches.
_ENDS_TITLE = re.compile(rf"(?:Nơi\s+nhận|{SIGNING_OPENER})")


def _sentence(t: str) -> bool:
    """A body sentence: a whole line of at least eight words closed by a full stop (a trích
    yếu carries no full stop)."""
    return t.endswith(".") and not t.endswith("..") and len(t.split()) >= 8


def _title_subject(head: list[Cell], k: int, marks: Marks) -> str | None:
    c = head[k]
    first = TITLE.match(c.text)
    parts = [c.text[first.end():].strip(" :")] if first else []
    seen_text = bool(parts and parts[0])
    prev_line = c.line
    for nxt in head[k + 1:]:
        t = nxt.text
        if seen_text and nxt.line > prev_line + 1:
            break  # a line with no cell between: the `-----` rule under the title
        prev_line = nxt.line
        if not t:
            if seen_text:
                break
            continue
        stamp = stamp_of(t)
        if stamp:  # a stamp that the layout put among the title's lines
            marks.add(stamp)
            continue
        if seen_text and re.fullmatch(r"(?:19|20)\d\d", t) and parts[-1].endswith("năm"):
            parts.append(t)  # the year of `… lần thứ I năm` / `2022` wrapped, not a page number
            continue
        # `thực hiện …` in lower case goes on the title (`HƯỚNG DẪN` / `thực hiện quy trình …`): the
        # body opens with a capital
        if AUTHORITY_LINE.match(t) or MOTTO.match(t) or RUNNING_HEAD.match(t) or (
                BODY_START.match(t) and not t[:1].islower()):
            break
        # a citing line opens the preamble, unless the title so far is a phrase in lower case
        # that has not ended (`… về triển khai thực hiện` / `Nghị quyết số 06-NQ/TW …`)
        if CITING_LINE.match(t) and not (seen_text and not is_upper(parts[-1]) and parts[-1][-1:].isalpha()):
            break
        if seen_text and re.fullmatch(r"[\W_]+", t):
            break
        if seen_text and _ENDS_TITLE.match(t) or seen_text and _sentence(t):
            break  # no blank line under the title: the body or the signing block follows at once
        parts.append(t)
        seen_text = True
        if len(parts) > 6:
            break
    subject = " ".join(" ".join(parts).split()).strip(" :")
    return subject or None


def enacted_date(text: str) -> str | None:
    """A law carries no date line: it is dated by its passing (`… thông qua ngày 29 tháng 6 năm 2024`)."""
    tail = text[-6000:]
    for m in reversed(list(re.finditer(r"thông\s+qua\s+(?:vào\s+)?", tail))):
        dm = WORDY.match(tail, m.end())  # `có hiệu lực từ ngày thông qua.` carries no date
        if dm:
            return match_iso(dm)
    return None


_KINH_GUI = re.compile(
    r"^(?:.{0,40}?ngày.{0,30}?năm\s*\d{4}\s+)?\s*[*_]*\s*K[íi]nh\s+g[ửu]i\s*[*_]*\s*:?\s*[*_]*\s*(.*)$", re.I)
_CABLED = re.compile(r"^\s*[*_]*\s*(?P<who>[^\n:]{4,120}?)\s+điện\s*[*_]*\s*:\s*[*_]*\s*(.*)$")


def recipients(text: str, start_line: int = 0) -> list[str]:
    """One entry per addressee after `Kính gửi`, list dashes and trailing punctuation removed."""
    lines = text.split("\n")
    for i in range(start_line, min(len(lines), start_line + 80)):
        # `Hà Nội, ngày 13 tháng 02 năm 2017 Kính gửi: …`: a flattened header runs the date line on
        m = _KINH_GUI.match(lines[i])
        if not m:
            # a Công điện names its addressees after its sender: `THỦ TƯỚNG CHÍNH PHỦ điện:`
            m = _CABLED.match(lines[i]) if "điện" in lines[i] else None
            if not (m and is_upper(m.group("who"))):
                continue
        items: list[str] = []
        buf = m.group(m.lastindex).strip()  # what follows the colon
        dashed = buf.startswith(("-", "–", "+", "•"))
        for nxt in lines[i + 1:i + 40]:
            s = nxt.strip()
            if not s:
                if items or buf:
                    break
                continue
            if s.startswith(("-", "–", "+", "•")):
                if buf:
                    items.append(buf)
                buf, dashed = s, True
            elif not buf:
                buf = s
            elif (dashed and not buf.rstrip().endswith((".", ":"))) or s[:1].islower():
                buf += " " + s
            else:
                break
        if buf:
            items.append(buf)
        out = [" ".join(x.strip().lstrip("-–+• ").rstrip(" ,;.").split()) for x in items]
        return [x for x in out if x]
    return []
