"""References: every document that a text cites, once per mention, in order (SCHEMA.md).

Shapes handled (see tests/test_nlp_references.py for one row per shape and per decoy):
`Kết luận 57-KL/TW`, `Nghị quyết số 59-NQ/TW ngày 24/01/2025 của Bộ Chính trị`, lists that
share a type, date and issuer (`Nghị quyết số 18-NQ/TW, số 19-NQ/TW ngày 25/10/2017`), a date
earlier in the sentence (`Ngày 19/4/2024, … ban hành Công văn số 1337-CV/BTGTU`), the type
word before a name (`Luật Tổ chức Chính phủ số 63/2025/QH15`), short forms of an earlier
citation (`Kết luận 57`), and laws cited by name and date alone (`code: null`); in gazette
tables, a code cut at a cell's end (`09/2026/NĐ-`) is completed from its whole mention elsewhere
in the text (or dropped), and a mention without a date takes the one its other mentions agree on.
Codes are found before anything else looks at the text: underthesea would split them."""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.codes import Code, code_key, compact, parse_code, without_debris
from nlp.dates import NUMERIC, WORDY, match_iso
from nlp.doctypes import NAMED_TYPES, TYPE_WORDS, canonical_type, type_from_abbrev
from nlp.models import Reference
from nlp.places import body_place
from text.chars import UPPER
from text.fold import fold

_P = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
# Party `số-LOẠI/CQ` and state `số/LOẠI-CQ`, `số/năm/LOẠI-CQ`, `số/CQ-ĐV`; a number is
# required in running text (blank draft numbers only occur in a document's own header).
CODE = (
    rf"(?<![\w/.-])\d{{1,5}}(?:\.\d{{1,3}})?[a-z]?(?:\s?-\s{{0,3}}{_P}\s?/\s?{_P}(?:-{_P})*"
    rf"|[ ]?/[ ]?(?:(?:19|20)\d\d[ ]?/[ ]?)?{_P}(?:[ ]?-[ ]?{_P})*"  # `NĐ - CP`, `5771 / VPCP`: spaced text
    r"|-(?:CP|TTg|HĐBT))(?![\w/])"  # `61-CP`, `12-TTg`: decrees and decisions before 2000, no type letters
)
# Such an old code is a reference only after its type word or `số` (`từ 61-CP` alone is not read).
_OLD_FORM = re.compile(r"^\d+[a-z]?-(?:CP|TTg|HĐBT)$")


def _spaced(words: tuple[str, ...]) -> str:
    """An alternation of type words whose words a line break may part (`Nghị` / `định số …`)."""
    return "|".join(re.escape(t).replace("\\ ", r"\s+") for t in words)


_TYPES = _spaced(TYPE_WORDS + ("văn bản", "công văn"))
CODE_RE = re.compile(CODE)
# A type word right before the code, with or without `số` (matched on the text before it).
BEFORE = re.compile(
    rf"(?:(?P<type>(?<!\w)(?:{_TYPES}))\s+)?(?P<so>(?:số|Số|SỐ)\s*:?\s*)?$",
    re.I,
)
# A capitalised type word further back, with the document's name between it and `số`.
TYPE_BEFORE_NAME = re.compile(rf"(?<!\w)(?P<type>{_spaced(NAMED_TYPES)})(?!\w)")
DATE_AFTER = re.compile(  # a stray OCR letter after the code (`241/2026/NĐ-CP l ngày …`) is debris
    r"(?:\s+[a-zA-Z](?=\s+ngày\b))?\s*,?\s*(?:được\s+|đã\s+được\s+)?(?:ban\s+hành\s+|ký\s+|thông\s+qua\s+)?(?:vào\s+|cùng\s+)?")
OF_ISSUER = re.compile(
    r"\s*,?\s*(?:của|do)\s+(?P<who>(?:\bT[Pp]\.\s*|[^,;.:()\n]){2,80}?)(?=\s+(?:về|ban\s+hành|đã|đề\s+nghị|hướng\s+dẫn|quy\s+định|"
    r"triển\s+khai|thực\s+hiện|tại|thì|được|gửi|nhằm|trong|có|với|ngày|số|năm|và\s+[a-zđ]|sửa\s+đổi|ký|"
    r"phê\s+duyệt|trình|v/v|về\s+việc|tiếp\s+tục|cho|nay)\b|\s*[,;.:()\n]|\s*$)",
)
# Between two codes of one list: `, số`, `và`, a repeated type word.
LIST_GAP = re.compile(rf"^\s*(?:,|;|và|cùng)?\s*(?:,|và)?\s*(?:(?:{_TYPES})\s+)?(?:số\s*)?$", re.I)
# A date that opens the sentence, then the citation: `Ngày 19/4/2024, Ban … ban hành Công văn số …`
LEADING_DATE = re.compile(r"(?:^|[,.;:]\s*|\n)\s*(?:Ngày|ngày|Vào ngày|vào ngày)\s*(?=\d)")
NAMED_LAW = re.compile(
    rf"(?<!\w)(?P<type>Bộ luật|Luật|Pháp lệnh|Hiến pháp)\s+(?P<name>[{UPPER}][^;:()\n\d]{{2,120}}?)\s*"
    r"(?:,\s*)?(?:(?P<date>ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*(?:19|20)\d\d)|năm\s+(?P<year>(?:19|20)\d\d))"
    r"(?![\s,]*(?:số\s*)?\d)",
)


@dataclass
class _Found:
    start: int
    end: int
    code: str | None
    doc_type: str | None
    date: str | None
    issuer: str | None
    type_given: bool


# An authority of one letter and digits (`06/S0`) is OCR noise, never an agency's code.
_NOISE_PART = re.compile(r"^[A-ZĐ]\d+$")
# A form's number (`Mẫu số 01/PLI`, `Biểu mẫu số 05/TNCN`) names no document, nor does an
# address numbered the same way (`Tổ 5/KP3`, `số nhà 12/4A`).
_FORM_BEFORE = re.compile(
    r"(?<!\w)(?:[Mm]ẫu|[Bb]iểu|[Tt]ổ|[Ấấ]p|[Kk]hu\s+phố|[Ss]ố\s+nhà|[Nn]hà|[Kk]m)\s+(?:số\s*)?:?\s*$")
_FORM_LIST = re.compile(r"^\s*(?:,|;|và|hoặc)\s*(?:(?:[Mm]ẫu\s+)?số\s*)?$")
# A code cut at a table cell's end runs into the next line's word (`12/2017/TT-Lao động`): an
# authority code is an abbreviation, never a capitalised word.
_WORD_PART = re.compile(r"-[A-ZĐ][a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]{2,}$")
# A code cut at a line or table-cell end: `Nghị định số 09/2026/NĐ-` then a newline.
_DANGLING = re.compile(r"\s?-(?=\s|$)")
# Types whose issuer the law fixes (Luật Ban hành văn bản QPPL): a cut `…/NĐ-` can only be `NĐ-CP`.
_FIXED_ISSUER = {"NĐ": "CP"}
# Type words that a `số/năm/CQ` code (a law or resolution of Quốc hội, Ủy ban thường vụ) can carry.
_YEAR_ONLY_TYPES = {"Luật", "Bộ luật", "Nghị quyết", "Pháp lệnh", "Nghị quyết liên tịch", "Lệnh", "Hiến pháp",
                    "Văn bản hợp nhất", "văn bản"}


def _cut(parsed: Code) -> bool:
    """A code whose symbol ends in its type letters (`09/2026/NĐ`, `05/2024/TT`) lacks its issuer;
    `27/2016/TT-BLĐTBXH - Điều 4` in a table is whole, whatever dash follows it."""
    last = re.split(r"[-/]", parsed.symbol)[-1]
    return type_from_abbrev(last, parsed.system) is not None


def _complete(code: str, codes: dict[str, str]) -> str | None:
    """The whole code of one cut at a line end (`09/2026/NĐ-`): another mention in the text
    (`codes`: key → code) that starts the same way and is the only one that does, else the fixed
    issuer of its type."""
    prefix = code_key(code) + "-"
    whole = {k: v for k, v in codes.items() if k.startswith(prefix)}
    if len(whole) == 1:
        return next(iter(whole.values()))
    last = code.rsplit("/", 1)[-1]
    if not whole and last in _FIXED_ISSUER:
        return f"{code}-{_FIXED_ISSUER[last]}"
    return None


# In a gazette table the rest of a cut code opens a later line of the cell, the other column's
# text between: `Thông tư số 05/2023/TT-` / `Thông tư số 36/2017/…` / `BLĐTBXH ngày 15/6/2023 …`
_REST = re.compile(r"(?<![\w/-])(?P<a>[A-ZĐ]{3,}(?:-[A-ZĐ]{2,})*)(?=\s+ngày\b)")


def _continued(code: str, text: str, pos: int) -> tuple[str, int] | None:
    """The cut code completed by the authority that opens one of the next three lines: (code,
    where the authority ends, so that the date after it is read)."""
    first = text.find("\n", pos, pos + 300)
    if first < 0:
        return None
    stop = first
    for _ in range(3):
        nxt = text.find("\n", stop + 1, pos + 300)
        stop = nxt if nxt >= 0 else min(len(text), pos + 300)
        if nxt < 0:
            break
    m = _REST.search(text, first + 1, stop)
    return (f"{code}-{m.group('a')}", m.end()) if m else None


def _type_fits(word: str, parsed: Code) -> bool:
    """Whether a lower-case type word before a code can name it: `theo hợp đồng số 72/2006/QH11`
    is the law's name running on, not a contract (a law's code carries its year and no type), and
    `… pháp luật 09/2026/NĐ-CP` is a Nghị định (the type letters of a symbol are fixed by the standards)."""
    word = canonical_type(word)
    if parsed.year and parsed.type_abbrev is None:
        return word in _YEAR_ONLY_TYPES
    if word == "văn bản" or parsed.doc_type is None:
        return True
    # `Thông báo kết luận số 15-TB/TU`: the lower-case word describes, the letters name the type;
    # only a Quy định may stand behind `QĐ` letters (Hướng dẫn 36)
    return word == parsed.doc_type or (word == "Quy định" and (parsed.type_abbrev or "").upper() == "QĐ")


def _date_after(text: str, pos: int) -> tuple[int, str] | None:
    m = DATE_AFTER.match(text, pos)
    p = m.end() if m else pos
    wm = WORDY.match(text, p)
    if wm:
        return wm.end(), match_iso(wm)
    nm = re.match(r"(?:ngày|Ngày)\s*", text[p:p + 8])
    q = p + nm.end() if nm else p
    dm = NUMERIC.match(text, q)
    # a bare date on the next line is another cell of a table row (the day a text lost effect);
    # a date that wraps onto the next line keeps its `ngày`
    if dm and match_iso(dm) and (nm or "\n" not in text[pos:dm.start()]):
        return dm.end(), match_iso(dm)
    ym = re.match(r"\s*năm\s+((?:19|20)\d\d)(?!\d)", text[pos:pos + 12])
    if ym:
        return pos + ym.end(), ym.group(1)
    return None


def _sentence_start(text: str, pos: int) -> int:
    """Where the clause holding `pos` begins: after the last `;`, `.` + space, or blank line."""
    lo = max(0, pos - 400)
    window = text[lo:pos]
    cut = max(window.rfind(";"), window.rfind(". "), window.rfind(".\n"), window.rfind("\n\n"))
    return lo + cut + 1 if cut >= 0 else lo


def _type_before_name(text: str, start: int, floor: int) -> tuple[int, str] | None:
    """`Luật Tổ chức Chính phủ số …`: the last capitalised type word of the clause."""
    lo = max(floor, _sentence_start(text, start), start - 140)
    best = None
    for m in TYPE_BEFORE_NAME.finditer(text, lo, start):
        if m.group("type")[0].isupper():
            best = (m.start(), m.group("type"))
    return best


def _leading_date(text: str, start: int, floor: int) -> str | None:
    lo = max(floor, _sentence_start(text, start))
    found = None
    for m in LEADING_DATE.finditer(text, lo, start):
        at = m.end() - 5 if text[m.end() - 5:m.end()].lower().startswith("ngày") else m.end()
        dm = NUMERIC.match(text, m.end()) or WORDY.match(text, at)
        if dm and match_iso(dm) and text[dm.end():dm.end() + 2].lstrip().startswith(","):
            found = match_iso(dm)
    return found


def find_references(text: str, skip: tuple[tuple[int, int], ...] = (), own_code: str | None = None) -> list[Reference]:
    """Every citation in `text`, in order; `skip` spans (the header's own number) are ignored."""
    own = code_key(own_code) if own_code and any(ch.isdigit() for ch in own_code) else None
    found: list[_Found] = []
    last_end = 0
    codes: dict[str, str] | None = None
    cont_end = 0  # where the rest of a code cut at a line end ends (`…/TT-` / `BKHCN ngày …`)
    form_end = 0  # end of the last form number: `Mẫu số 03/PLI, 03a/PLI` lists forms
    for m in CODE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in skip):
            continue
        code = compact(m.group())
        if _FORM_BEFORE.search(text, max(0, m.start() - 20), m.start()) or (
                form_end and _FORM_LIST.match(text[form_end:m.start()])):
            last_end = form_end = m.end()
            continue
        word = _WORD_PART.search(code)
        if word:
            code = code[:word.start()]
        code = without_debris(code)
        parsed = parse_code(code)
        if parsed is not None and _cut(parsed) and (word or _DANGLING.match(text, m.end())):
            if codes is None:  # built once, only for a text that has a cut code
                codes = {code_key(x.group()): compact(x.group()) for x in CODE_RE.finditer(text)
                         if not _WORD_PART.search(compact(x.group()))}
            whole = _complete(code, codes)
            rest = None if whole else _continued(code, text, m.end())
            if rest:
                whole, cont_end = rest
            parsed = parse_code(whole) if whole else None
            code = whole or code
        if parsed is None or (own and code_key(code) == own) or _NOISE_PART.match(parsed.symbol.split("/")[-1]):
            last_end = m.end()
            continue
        lo = max(last_end, m.start() - 40)
        bm = BEFORE.search(text, lo, m.start())
        if _OLD_FORM.match(code) and not (bm and (bm.group("type") or bm.group("so"))):
            last_end = m.end()
            continue
        start = bm.start() if bm and (bm.group("type") or bm.group("so")) else m.start()
        doc_type = bm.group("type") if bm else None
        if doc_type and doc_type[0].islower() and not _type_fits(doc_type, parsed):
            doc_type = None
        if doc_type is None and bm and bm.group("so"):
            back = _type_before_name(text, bm.start(), last_end)
            if back:
                start, doc_type = back
        type_given = doc_type is not None
        doc_type = canonical_type(doc_type) if doc_type else parsed.doc_type
        if doc_type and parsed.doc_type and parsed.doc_type.startswith(doc_type + " "):
            doc_type = parsed.doc_type  # `Thông tư số 23/2005/TTLT-…` is a Thông tư liên tịch
        end = max(m.end(), cont_end)
        cont_end = 0
        date = None
        got = _date_after(text, end)
        if got:
            end, date = got
        issuer = None
        im = OF_ISSUER.match(text, end)
        if im:
            issuer = im.group("who").strip()
            end = im.end("who")
        found.append(_Found(start, end, code, doc_type, date, issuer, type_given))
        last_end = end
    _share_across_lists(text, found)
    for f in found:
        if f.date is None and f.code:
            f.date = _leading_date(text, f.start, 0)
    _date_from_other_mentions(found)
    found.extend(_short_forms(text, found))
    found.extend(_named_laws(text, found))
    found.sort(key=lambda f: f.start)
    return describe(text, [Reference(text=" ".join(text[f.start:f.end].split()), code=f.code, doc_type=f.doc_type,
                                     date=f.date, issuer=f.issuer, start=f.start, end=f.end) for f in found])


# -- what the text does to a cited document (SCHEMA.md `relation`) ---------------------------------
FORWARDS = re.compile(r"(?:gửi\s+kèm|sao\s+gửi|chuyển\s+tiếp)[^().;\n]{0,30}$", re.I)
# `Trả lời Công văn số …`, `Phúc đáp …`: the letter answers the one it names right after the verb
# (`trả lời theo hướng dẫn tại Công văn số …` answers nothing of it).
ANSWERS = re.compile(r"(?<!\w)(?:trả\s+lời|phúc\s+đáp)\s*$", re.I)
_VERBS = [
    ("replaces", r"thay\s+thế"),
    ("amends", r"sửa\s+đổi(?:\s*,\s*bổ\s+sung)?|đính\s+chính"),
    ("repeals", r"bãi\s+bỏ|hủy\s+bỏ|huỷ\s+bỏ"),
    ("guides", r"hướng\s+dẫn\s+(?:thi\s+hành|thực\s+hiện|triển\s+khai|chi\s+tiết)|quy\s+định\s+chi\s+tiết"),
]
PASSIVE = {"replaces": "replaced_by", "amends": "amended_by", "repeals": "repealed_by", "guides": "guided_by"}
_VERB = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _VERBS), re.I)
_PASSIVE = re.compile(r"(?:được|bị)\s*$", re.I)
_BY = re.compile(r"^\s*bởi\b", re.I)
# What may stand between the verb and the cited code: `một số điều của`, `khoản 2 Điều 3`, a type word.
_GAP_MAX = 70
_CLAUSE_END = re.compile(r"[;:]|\.\s|\n\s*\n")


# A first part that says it sends something along is a cover letter for the parts after it.
_COVER = re.compile(r"gửi\s+kèm|kèm\s+theo|sao\s+gửi|bản\s+(?:pho\s*-?\s*tô|photo|sao)|chuyển\s+tiếp|xin\s+gửi", re.I)


def is_cover_letter(text: str | None) -> bool:
    """Whether a letter's text says it sends documents along (`gửi kèm`, `sao gửi`, `bản photo`…):
    as the first part of a file, it forwards the parts after it (`index.graph`'s `forwards` edges)."""
    return bool(text and _COVER.search(text))


def relation_at(text: str, start: int, other_starts: list[int] = ()) -> str:
    """The relation the text states between the citing document and the citation at `start`:
    `forwards` (`gửi kèm`, `sao gửi`), `answers` (`Trả lời`, `Phúc đáp`), `replaces`, `amends`,
    `repeals`, `guides`, their passive forms (`amended_by`…) when the text says the citing
    document is what was changed (`được sửa đổi bởi …`), else `cites`. A verb counts in the
    citation's own clause, at most `_GAP_MAX` characters before it, and not when another
    citation (`other_starts`) stands between the clause start and the verb: that one is the
    verb's subject (`Nghị định 47/2024/NĐ-CP sửa đổi, bổ sung Nghị định 30/2020/NĐ-CP` cites 30)."""
    if start <= 0 or start > len(text):
        return "cites"
    if FORWARDS.search(text, max(0, start - 60), start):
        return "forwards"
    if ANSWERS.search(text, max(0, start - 20), start):
        return "answers"
    window_start = max(0, start - 200)
    ends = list(_CLAUSE_END.finditer(text, window_start, start))
    if ends:
        window_start = ends[-1].end()
    verbs = list(_VERB.finditer(text, window_start, start))
    if not verbs:
        return "cites"
    m = verbs[-1]
    gap = text[m.end():start]
    if len(gap) > _GAP_MAX:
        return "cites"
    if any(window_start <= other < m.start() for other in other_starts):
        return "cites"
    name = m.lastgroup or "cites"
    if _PASSIVE.search(text[max(0, m.start() - 12):m.start()]) or _BY.match(gap):
        return PASSIVE[name]
    return name


def cited_place(issuer: str | None) -> tuple[str | None, str | None]:
    """(place, level) of the body a citation's `của …` names: `Sở Y tế thành phố Đà Nẵng` →
    (`Đà Nẵng`, `province`); `Ban Tuyên giáo Tỉnh ủy` → (None, `province`), a provincial body
    whose place is unsaid; `Phòng Nội vụ huyện Can Lộc` → (`Can Lộc`, `local`); `Bộ Chính trị` →
    (None, None)."""
    level, place = body_place(issuer)
    return place, level


# `… của Bộ Chính trị về tiếp tục nâng cao …;` → what the letter says the cited document is about.
_ABOUT = re.compile(r"^[^;\n]{0,160}?\bvề\s+(?:việc\s+)?(?P<about>[^;\n]{4,200}?)"
                    r"(?=[;\n]|\.\s|\.$|,\s*(?:trong|Ban|Bộ)\b|$)")


def about_at(text: str, end: int) -> str | None:
    """What the words after a citation ending at `end` say the cited document is about."""
    m = _ABOUT.match(text[end: end + 360])
    return " ".join(m.group("about").split()).rstrip(" ,.") if m else None


def describe(text: str, refs: list[Reference]) -> list[Reference]:
    """Each reference with what the text says of it besides its code: its relation, the place
    of the body that issued it and what it is about (the record stores them; `index/` joins)."""
    starts = [r.start for r in refs]
    for r in refs:
        r.relation = relation_at(text, r.start, [s for s in starts if s != r.start])
        r.place, r.place_level = cited_place(r.issuer)
        r.about = about_at(text, r.end) if r.code else None
    _place_from_other_mentions(refs)
    return refs


def _place_from_other_mentions(refs: list[Reference]) -> None:
    """Mentions of one document (code and date) name one body: a mention whose `của …` names
    no place (`của Huyện ủy` at a title's line end, or no `của` at all) takes the place the others
    name, when they agree on one and its own words begin theirs (`Huyện ủy` → `Huyện ủy Đức Hòa`)."""
    named: dict[tuple[str, str | None], set[tuple[str, str | None, str]]] = {}
    for r in refs:
        if r.code and r.place:
            named.setdefault((code_key(r.code), r.date), set()).add((r.place, r.place_level, fold(r.issuer or "")))
    for r in refs:
        if not r.code or r.place:
            continue
        known = named.get((code_key(r.code), r.date), set())
        if len({(place, level) for place, level, _ in known}) != 1:
            continue
        place, level, words = next(iter(known))
        if words.startswith(fold(r.issuer or "")):
            r.place, r.place_level = place, level


def _share_across_lists(text: str, found: list[_Found]) -> None:
    """`Nghị quyết số 18-NQ/TW, số 19-NQ/TW ngày 25/10/2017 của Bộ Chính trị`: the type flows
    forward through the list, the date and issuer flow back."""
    for a, b in zip(found, found[1:]):
        gap = text[a.end:b.start]
        if a.date is None and a.issuer is None and LIST_GAP.match(gap):
            if not b.type_given and a.type_given:
                b.doc_type, b.type_given = a.doc_type, True
    for a, b in zip(reversed(found[:-1]), reversed(found[1:])):
        gap = text[a.end:b.start]
        # two rows of a table (`… số 74/2024/NĐ-CP` / `Nghị định số 38/2022/NĐ-CP ngày …`) are no list
        if a.date is None and a.issuer is None and LIST_GAP.match(gap) and (
                "\n" not in gap or re.search(r",|;|\bvà\b|\bcùng\b", gap)):
            a.date = b.date
            a.issuer = b.issuer


def _date_from_other_mentions(found: list[_Found]) -> None:
    """A reference's date is taken from any mention (SCHEMA.md): a mention without one (a table
    cell, `Luật … số 51/2024/QH15;`) gets the date that the other mentions of the code agree on."""
    dates: dict[str, set[str]] = {}
    for f in found:
        if f.code and f.date:
            dates.setdefault(code_key(f.code), set()).add(f.date)
    for f in found:
        if f.code and f.date is None:
            known = dates.get(code_key(f.code), set())
            if len(known) == 1:
                f.date = next(iter(known))


def _short_forms(text: str, found: list[_Found]) -> list[_Found]:
    """`Kết luận 57` after (or before) `Kết luận số 57-KL/TW`: a mention of that document."""
    by_short: dict[tuple[str, str], _Found | None] = {}
    for f in found:
        parsed = parse_code(f.code) if f.code else None
        if parsed and parsed.number and f.doc_type:
            k = (f.doc_type.lower(), parsed.number.lstrip("0"))
            other = by_short.get(k)
            by_short[k] = f if other is None or code_key(other.code) == code_key(f.code) else None
    if not by_short:
        return []
    spans = [(f.start, f.end) for f in found]
    out = []
    # only the type words of this document's citations: a small alternation scans fast
    types = sorted({f.doc_type for f in found if f.doc_type}, key=len, reverse=True)
    short = re.compile(rf"(?<!\w)(?P<type>{'|'.join(re.escape(t) for t in types)})\s+(?:số\s+)?"
                       r"(?P<num>\d{1,5}[a-z]?)(?![\w/-]|\s?-\s?[A-ZĐ]|/)", re.I)
    for m in short.finditer(text):
        if any(a <= m.start() < b or a < m.end() <= b for a, b in spans):
            continue
        target = by_short.get((canonical_type(m.group("type")).lower(), m.group("num").lstrip("0")))
        if target is not None:
            out.append(_Found(m.start(), m.end(), target.code, target.doc_type, target.date, target.issuer, True))
    return out


def _named_laws(text: str, found: list[_Found]) -> list[_Found]:
    """`Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015`: cited by name and date."""
    spans = [(f.start, f.end) for f in found]
    out = []
    for m in NAMED_LAW.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        # `Luật …, có hiệu lực kể từ ngày 01 tháng 01 năm 2021`: the date a law takes effect, not its name and date
        if re.search(r"\b(?:này|số)\b|hiệu\s+lực|kể\s+từ", m.group("name")):
            continue
        if m.group("date"):
            dm = WORDY.search(m.group("date"))
            when = match_iso(dm) if dm else None
        else:
            when = m.group("year")
        out.append(_Found(m.start(), m.end(), None, canonical_type(m.group("type")), when, None, True))
    return out
