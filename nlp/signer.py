"""The signing block: authority line (`KT.`, `K/T`, `TM.`, `T/M`, `TL.`, `T/L`, `TUQ.`), the
signer's title under it (an acting `Q.` belongs to the title) and the name as printed.

The first block that ends in a person's name wins: appendix forms repeat signing lines
(`GIÁM ĐỐC DOANH NGHIỆP (Ký, ghi rõ họ tên)`) but carry no name."""
from __future__ import annotations

import re

from nlp.models import Signer
from nlp.names import SURNAMES
from text.capitals import is_upper
from text.chars import LOWER, UPPER, UPPER_LETTERS
from text.fold import fold
from text.letter_parts import SIGNING_MARK, SIGNING_MARK_LOOSE

AUTHORITY = re.compile(
    rf"(?:^|(?<=\s\s)|(?<=:\s)|(?<=:))(?P<a>{SIGNING_MARK_LOOSE}\s*[{UPPER}].*)$")
_HEADS = (
    r"CHỦ\s+TỊCH\s+NƯỚC|CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|THỨ\s+TRƯỞNG|THỦ\s+TƯỚNG|TỔNG\s+GIÁM\s+ĐỐC|GIÁM\s+ĐỐC|"
    r"TRƯỞNG\s+BAN|BÍ\s+THƯ|TỔNG\s+CỤC\s+TRƯỞNG|CHI\s+CỤC\s+TRƯỞNG|CỤC\s+TRƯỞNG|VỤ\s+TRƯỞNG|"
    r"CHÁNH\s+VĂN\s+PHÒNG|CHÁNH\s+ÁN|VIỆN\s+TRƯỞNG|THỐNG\s+ĐỐC|TỔNG\s+KIỂM\s+TOÁN|CHỦ\s+NHIỆM|"
    r"TRƯỞNG\s+PHÒNG|HIỆU\s+TRƯỞNG|TỔNG\s+THƯ\s+KÝ|CHÁNH\s+THANH\s+TRA|TỔNG\s+THANH\s+TRA|TRƯỞNG\s+ĐOÀN"
)
# each head with its deputy (`PHÓ TỔNG GIÁM ĐỐC` is one title, not `PHÓ TỔNG` + `GIÁM ĐỐC`)
_TITLES = rf"(?:PHÓ\s+)?(?:{_HEADS})|ỦY\s+VIÊN|THƯỜNG\s+TRỰC|TRƯỞNG|PHÓ\s+[{UPPER}]+"
# the words after a title are in capitals too (checked with str.isupper: `à-ỹ` in a class would
# also take the capitals of Latin Extended Additional, `Ộ` in `QUỐC HỘI`)
_POSITION = re.compile(rf"^(?:Q\.\s*)?(?:{_TITLES})(?:\s+[^\s(]+)*$")


def is_position(s: str) -> bool:
    """A signer's title in capitals: `PHÓ CHỦ TỊCH`, `CHỦ TỊCH QUỐC HỘI`, `Q. GIÁM ĐỐC`."""
    return s.isupper() and bool(_POSITION.match(s))
SKIP = re.compile(r"^\(?\[?\s*(?:đã\s+ký|ký\s+tên|ký|daky|signed|ký,\s*ghi|đóng\s+dấu)", re.I)
STAMP = re.compile(r"^(?:Ký bởi|Cơ quan|Ngày ký|Email|Thời gian ký|CÔNG BÁO)", re.I)


def _clean(line: str) -> str:
    s = " ".join(line.strip().strip("*_#").strip().split())
    return _repair_titles(s) if len(s) < 100 and s.isupper() else s


# Titles of signing blocks as printed; OCR misreads one mark in them (`BỘ TRƯỜNG`, `CHÙ TỊCH`,
# `GIÁM ĐÓC`), which the same words without marks still find. `TRƯỞNG` alone is left (`TRƯỜNG` a school).
_CANON_TITLES = (
    "BỘ TRƯỞNG", "THỨ TRƯỞNG", "THỦ TRƯỞNG", "THỦ TƯỚNG", "CHỦ TỊCH", "GIÁM ĐỐC", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
    "BÍ THƯ", "PHÓ BÍ THƯ", "CỤC TRƯỞNG", "VỤ TRƯỞNG", "CHÁNH VĂN PHÒNG", "CHÁNH ÁN", "VIỆN TRƯỞNG",
    "THỐNG ĐỐC", "CHỦ NHIỆM", "TRƯỞNG PHÒNG", "HIỆU TRƯỞNG", "TỔNG THƯ KÝ", "CHÁNH THANH TRA",
    "TỔNG THANH TRA", "TRƯỞNG ĐOÀN", "PHÓ CHỦ TỊCH", "PHÓ GIÁM ĐỐC", "ỦY VIÊN", "THƯỜNG TRỰC",
)
_FOLDED_TITLES: dict[str, list[str]] = {}
for _t in _CANON_TITLES:
    _FOLDED_TITLES.setdefault(fold(_t).upper(), []).append(_t)
_FOLDED_TITLE_AT = re.compile(r"(?<!\w)(?:" + "|".join(sorted(map(re.escape, _FOLDED_TITLES), key=len, reverse=True))
                              + r")(?!\w)")


# Capitals without their marks, one character for one (str.translate: this runs on every line in capitals)
_BARE_CAPITALS = str.maketrans({c: fold(c).upper() for c in UPPER_LETTERS if fold(c).upper() != c})


def _repair_titles(s: str) -> str:
    """A title misread by one mark, in a line of capitals, put back (`KT. BỘ TRƯỜNG` → `KT. BỘ TRƯỞNG`):
    the printed words and a title agree without marks and differ in one or two letters."""
    flat = s.translate(_BARE_CAPITALS)
    out = s
    for m in _FOLDED_TITLE_AT.finditer(flat):
        printed = s[m.start():m.end()]
        if printed in _FOLDED_TITLES[m.group()] or printed.isascii():  # typed bare: kept as printed
            continue
        ranked = sorted((sum(a != b for a, b in zip(printed, t)), t) for t in _FOLDED_TITLES[m.group()])
        if ranked[0][0] <= 2 and (len(ranked) == 1 or ranked[1][0] > ranked[0][0]):
            out = out[:m.start()] + ranked[0][1] + out[m.end():]
    return out


# A military or police rank (Luật Sĩ quan QĐND, Luật CAND) or an academic title printed before
# the name (`Đại tướng Lương Tam Quang`, `PGS.TS. Nguyễn Văn A`): a title, not part of the name.
RANK = re.compile(
    r"^(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)|(?:Chuẩn\s+|Phó\s+)?Đô\s+đốc"
    r"|(?:(?:GS|PGS|TS|TSKH|ThS|BS|BSCKII|KS|CN|LS|NGND|NGƯT)\s*\.\s*)+)\s+(?=\S)",
    re.I,
)


def _strip_rank(s: str) -> str:
    return RANK.sub("", s, count=1)


def _is_name(s: str) -> bool:
    words = s.split()
    if not 2 <= len(words) <= 6 or not all(w.isalpha() for w in words):
        return False
    if all(w[0].isupper() and (w[1:].islower() or len(w) == 1) for w in words):
        return True
    return s.isupper() and not is_position(s)


def sentence_case(s: str) -> str:
    s = " ".join(s.split()).lower()
    m = re.match(r"^(q\.\s*)", s)
    if m:
        rest = s[m.end():]
        return "Q. " + rest[:1].upper() + rest[1:]
    return s[:1].upper() + s[1:]


# Words that open what a web copy runs on after the signer's name (`Phụ lục`, `Mẫu số`, `Ghi chú`)
_AFTER_NAME = {"Phụ", "Mẫu", "Ghi", "Danh", "Biểu", "Nơi", "Phần", "Chương", "Điều", "Kèm", "Epas"}


def name_run(words: list[str]) -> str | None:
    """The person's name at the start of `words`, where other text follows it on the same line:
    capitalised words up to capitals, punctuation or a new sentence (its first word then is the
    last capitalised one: `Lê Quang Tùng Luật này` → `Lê Quang Tùng`)."""
    run: list[str] = []
    for w in words[:7]:
        if w in _AFTER_NAME:
            break
        if w.isalpha() and w[0].isupper() and w[1:].islower():
            run.append(w)
            continue
        if w.isalpha() and w.islower() and run:
            run.pop()
        break
    name = " ".join(run)
    return name if 2 <= len(run) <= 5 and _is_name(name) else None


_TITLE_AT = re.compile(rf"(?<!\S)(?:Q\.\s*)?(?:{_TITLES})(?!\w)")


def _caps_name_at_end(words: list[str]) -> tuple[int, str | None]:
    """(where the name starts, the name) for a line in capitals that ends with a title and a
    person's name (the longest run of 2-4 words that opens with a surname), else (len, None)."""
    for n in (4, 3, 2):
        if len(words) <= n:
            continue
        cand = words[-n:]
        head = " ".join(words[:-n])
        last_title = list(_TITLE_AT.finditer(head))
        if (cand[0].capitalize() in SURNAMES and all(w.isalpha() and w.isupper() for w in cand)
                and last_title and last_title[-1].end() == len(head) and not is_position(" ".join(cand))):
            return len(words) - n, " ".join(cand)
    return len(words), None


def _split_authority(line: str) -> tuple[str, str | None, str | None]:
    """`TM. CHÍNH PHỦ THỦ TƯỚNG Nguyễn Tấn Dũng` on one line: (authority, position, name). A web
    copy runs the appendix on after the name (`… Lê Minh Khái Phụ lục (Kèm theo …)`): the name
    is the run of capitalised words right after the capitals."""
    words = line.split()
    k = next((j for j, w in enumerate(words) if not w.isupper()), len(words))
    name = " ".join(words[k:]) if k < len(words) and _is_name(" ".join(words[k:])) else None
    if not name:  # the first name wins: a joint circular prints one block per minister
        name = name_run(words[k:]) if k else None
    if not name:  # a stray mark among the capitals (`KT. BỘ TRƯỞNG 2 THỨ TRƯỞNG Lê Văn A`): the trailing name
        k = len(words)
        while k > 0 and not words[k - 1].isupper():
            k -= 1
        name = " ".join(words[k:]) if k < len(words) and _is_name(" ".join(words[k:])) else None
    if not name:  # `… PHÓ THỐNG ĐỐC ĐOÀN THÁI SƠN`: a name in capitals, after a title, opening with a surname
        k, name = _caps_name_at_end(words)
    upper = " ".join(words[:k]) if name else line
    # `BAN THƯỜNG TRỰC`, `BAN THƯỜNG VỤ` name a body, not a title
    titles = [t for t in _TITLE_AT.finditer(upper) if not upper[:t.start()].rstrip().endswith("BAN")]
    if len(titles) >= 2 or (titles and titles[0].start() > 0 and upper[:titles[0].start()].strip().count(" ") >= 1):
        last = titles[-1]
        if last.start() > titles[0].end() or len(titles) == 1:
            return upper[:last.start()].strip(), upper[last.start():].strip(), name
    return upper, None, name


def _block(lines: list[str], i: int, authority: str | None) -> Signer | None:
    """Read the title and the name that follow line `i`."""
    position: list[str] = []
    if authority:
        authority, pos, name = _split_authority(authority)
        if pos:
            position.append(pos)
        if name:
            return Signer(name, sentence_case(pos) if pos else None, authority)
    auth_parts = [authority] if authority else []
    seen = 0
    for raw in lines[i + 1:i + 14]:
        s = _strip_rank(_clean(raw))
        if not s or SKIP.match(s) or STAMP.match(s) or re.fullmatch(r"[\W\d]+", s):
            continue
        seen += 1
        if seen > 6:
            return None
        if auth_parts and not position and AUTHORITY.match(s) and is_upper(s):
            auth_parts.append(s)
            continue
        if _is_name(s) and (position or auth_parts) and not (s.isupper() and not position):
            position, auth_parts = _settle(position, auth_parts)
            return Signer(s, sentence_case(" ".join(position)) if position else None,
                          " ".join(auth_parts) if auth_parts else None)
        if is_upper(s) and len(s) < 80:
            position.append(s)
            if len(position) > 4:
                return None
            continue
        return None
    return None


def _settle(upper: list[str], auth_parts: list[str]) -> tuple[list[str], list[str]]:
    """Split the capital lines between the authority and the name: lines before the first one
    that opens with a title finish a wrapped authority (`KT. CHỦ TỊCH` / `ỦY BAN CHỨNG KHOÁN
    NHÀ NƯỚC` / `PHÓ CHỦ TỊCH`); from that line on they are the signer's title."""
    if not auth_parts or len(upper) < 2:
        return upper, auth_parts
    first = next((k for k, x in enumerate(upper) if is_position(x) or _TITLE_AT.match(x)), None)
    if not first:  # None, or the title comes first: nothing wrapped
        return upper, auth_parts
    return upper[first:], auth_parts + upper[:first]


_COLUMN_GAP = re.compile(r"\S(\s{3,}|\t+)(?=\S)")
_INDENT = re.compile(r"^(?:\s{8,}|\t+)\S")


def _right_column(lines: list[str], i: int) -> list[str] | None:
    """A plain-text letter that prints `Nơi nhận:` and its list beside the signing block
    (`Nơi nhận:      TM. BAN THƯỜNG VỤ` / `- Như trên;      PHÓ BÍ THƯ` / `      Nguyễn Văn A`):
    the right column alone, where line `i` holds both columns; `None` where it does not."""
    if not _COLUMN_GAP.search(lines[i].strip()):
        return None
    out = [""] * i  # aligned with `lines`; only the block's own lines are read
    for raw in lines[i:i + 14]:
        cut = list(_COLUMN_GAP.finditer(raw.strip()))
        if cut:
            out.append(raw.strip()[cut[-1].end():])
        elif _INDENT.match(raw):
            out.append(raw)
        else:  # the left column alone (`- Lưu VT.`)
            out.append("")
    return out


def find_signer(text: str, start_line: int = 0) -> Signer:
    """The signer of the document (SCHEMA.md `signer`)."""
    lines = text.split("\n")
    for i in range(start_line, len(lines)):
        s = _clean(lines[i])
        if not s:
            continue
        if _LIST_ITEM.match(s):
            got = _onto_list(lines, i, s)
            if got:
                return got
        if len(s) > 90:  # a web copy's flattened block, the appendix run on after the name
            got = _flattened(s)
            if got:
                return got
            continue
        if re.fullmatch(SIGNING_MARK_LOOSE, s) and i + 1 < len(lines):
            # `TL.` alone, the rest of the authority on the next line
            lines = lines[:i] + [""] + [s + " " + lines[i + 1].strip()] + lines[i + 2:]
            continue
        m = AUTHORITY.search(s)
        if m and (is_upper(m.group("a")) or _split_authority(m.group("a"))[2]):
            right = _right_column(lines, i) if m.start("a") > 0 else None
            got = (_block(right, i, m.group("a")) if right else None) or _block(lines, i, m.group("a"))
            if got:
                return got
        # a web copy prints the title in sentence case: `Chủ tịch Quốc hội` / `(Đã ký)` / name
        elif is_position(s) or (s[:1].isupper() and len(s.split()) <= 5
                                and is_position(up := _repair_titles(s.upper()))):
            got = _position_block(lines, i, s if is_position(s) else up)  # `Thứ trường`: a mark misread
            if got:
                return got
        got = _beside_list(lines, i) or _flattened(s)
        if got:
            return got
    return Signer()


_LIST_ITEM = re.compile(r"^(?:[-+•]|Nơi\s+nhận\b)")
_MARKER = re.compile(rf"^{SIGNING_MARK}$")


def _list_tail(s: str) -> str | None:
    """The signing line that OCR ran onto a `Nơi nhận` line (`- Như trên; THỨ TRƯỞNG`,
    `- Lưu: VT. KT. BỘ TRƯỞNG`): the capitals at its end, from an authority mark or a title.
    An item in capitals from its start is an addressee (`- THƯỜNG TRỰC TỈNH ỦY;`), not a title."""
    words = s.split()
    k = len(words)
    while k > 0 and words[k - 1].isupper():
        k -= 1
    if k < 2:
        return None
    run = words[k:]
    for j in range(len(run)):
        tail = " ".join(run[j:])
        if _MARKER.match(run[j]) or is_position(tail):
            return tail
    return None


def _name_after_item(s: str) -> str | None:
    """`- Lưu: VT, TCCB. Nguyễn Văn An`: the signer's name run onto the last item, after the
    item's closing mark; an addressee named in an item (`- Đ/c Nguyễn Văn B;`) has none before it."""
    words = s.split()
    for k in range(max(1, len(words) - 5), len(words) - 1):
        if words[k - 1][-1:] in ".;)" and words[k] in SURNAMES:
            name = " ".join(words[k:])
            return name if _is_name(name) else None
    return None


def _onto_list(lines: list[str], i: int, s: str) -> Signer | None:
    """A signing block whose lines OCR flattened onto the distribution list: the list's own
    items are left out and the capitals at their ends read as the block."""
    tail = _list_tail(s)
    if not tail:
        return None
    view = [""] * i + [tail]
    for raw in lines[i + 1:i + 15]:
        x = _clean(raw)
        view.append((_list_tail(x) or _name_after_item(x) or "") if _LIST_ITEM.match(x) else raw)
    if AUTHORITY.match(tail):
        return _block(view, i, tail)
    following = next((x for x in view[i + 1:] if _clean(x)), "")
    if is_upper(_clean(following)):  # another title follows: the tail named an addressee (`THƯỜNG TRỰC HĐND`)
        return None
    return _position_block(view, i, tail)


def _beside_list(lines: list[str], i: int) -> Signer | None:
    """The head's own title printed beside `Nơi nhận:` (`Nơi nhận:      TRƯỞNG PHÒNG`), the name
    further down the right column."""
    line = lines[i].strip()
    if "   " not in line and "\t" not in line:  # one column only
        return None
    cut = list(_COLUMN_GAP.finditer(line))
    if not cut:
        return None
    tail = _clean(line[cut[-1].end():])
    if not is_position(tail):
        return None
    right = _right_column(lines, i)
    return _position_block(right, i, tail) if right else None


# a web copy flattens the block into one line, after other text (`- Lưu: VT, TXNK (30b) KT. TỔNG
# CỤC TRƯỞNG …`, `Epas: 180408 CHỦ TỊCH QUỐC HỘI …`) or with only `(Đã ký)` after the name
_AUTH_INLINE = re.compile(rf"(?:^|(?<=\s)){SIGNING_MARK}\s*[{UPPER}]")
_TITLE_INLINE = re.compile(rf"(?<![^\s,.:;)])(?:Q\.\s*)?(?:{_TITLES})(?!\w)")
_SIGNED = re.compile(r"^(?P<n>\w+(?:\s+\w+){1,4})\s*\(\s*[Đđ]ã\s+ký\s*\)$")


_CAPS_THEN_WORD = re.compile(rf"[{UPPER}]{{2}}[,.]?\s+[{UPPER}][{LOWER}]")


def _flattened(s: str) -> Signer | None:
    """The signing block on one line, where the name is a Vietnamese one (surname first) so
    that capitals in running text (`BỘ TRƯỞNG BỘ TƯ PHÁP Căn cứ …`) are not taken for it."""
    if "ký" in s or "KÝ" in s:
        m = _SIGNED.match(s)
        if m:
            name = m.group("n")
            return Signer(name, None, None) if _is_name(name) and name.split()[0] in SURNAMES else None
    # cheap tests first (every body line comes here): a surname right after a word in capitals
    if not _CAPS_THEN_WORD.search(s):
        return None
    words = s.split()
    if not any(w in SURNAMES and words[j].isupper() for j, w in enumerate(words[1:])):
        return None
    m = _AUTH_INLINE.search(s)
    if m:
        authority, pos, name = _split_authority(s[m.start():])
        if name and name.split()[0] in SURNAMES and pos:
            return Signer(name, sentence_case(pos), authority)
    for t in _TITLE_INLINE.finditer(s):
        words = s[t.start():].split()
        k = next((j for j, w in enumerate(words) if not w.isupper()), len(words))
        name = name_run(words[k:]) if k else None
        if name and name.split()[0] in SURNAMES:
            return Signer(name, sentence_case(" ".join(words[:k]).rstrip(",")), None)
    return None


def _position_block(lines: list[str], i: int, position: str) -> Signer | None:
    """The head signing in their own name: `BỘ TRƯỞNG` / `Nguyễn Văn A`."""
    seen = 0
    for raw in lines[i + 1:i + 10]:
        s = _strip_rank(_clean(raw))
        if not s or SKIP.match(s) or STAMP.match(s) or re.fullmatch(r"[\W\d]+", s):
            continue
        seen += 1
        if seen > 2:
            return None
        # a name in capitals (`ĐOÀN THÁI SƠN`) where it opens with a surname, not a body's line
        if _is_name(s) and (not s.isupper() or s.split()[0].capitalize() in SURNAMES):
            return Signer(s, sentence_case(position), None)
        if not is_upper(s):
            return None
    return None
