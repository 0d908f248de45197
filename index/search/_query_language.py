"""The query language, parsed once here and compiled by each engine.

    thong tin doi ngoai                 words: every word must match (with or without diacritics)
    "thông tin đối ngoại"               a phrase: consecutive syllables
    a OR b, NOT c, -c, a AND b          boolean operators (OR binds tighter than the implicit AND)
    loai:"công văn"  type:cv            document type (full name or abbreviation)
    coquan:"ban tuyên giáo" issuer:…    issuing body (words of its name, any diacritics)
    so:57-KL/TW  code:"kl 57"           a document code in any spelling (own code or cited)
    ky:thắng  signer:…                  signer's name
    tu:2025-01 since:… den:2025 until:… date range (2025, 2025-08, 8/2025, 15/8/2025)
    nam:2025  year:…                    year of issue

A query that cannot be parsed raises `QueryError` with a message for the user.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.graph.codequery import CodeQuery, find_codes, parse_code_query
from index.search._tokens import syllables
from nlp.doctypes import type_from_abbrev
from text.fold import fold


class QueryError(ValueError):
    """A query the user must fix; the message says how."""


@dataclass
class Word:
    text: str  # exact form (lower case, one tone placement)


@dataclass
class Phrase:
    words: list[str]


@dataclass
class Code:
    query: CodeQuery


@dataclass
class Signer:
    node: Word | Phrase


@dataclass
class Or:
    items: list


@dataclass
class Not:
    item: object


@dataclass
class Filters:
    doc_types: list[str] = field(default_factory=list)  # folded full names: `cong van`
    issuer: list[str] = field(default_factory=list)  # folded words of the issuer's name
    since: int | None = None  # yyyymmdd, inclusive
    until: int | None = None
    year: int | None = None
    signed: str | None = None  # signed | unsigned | altered (index.engine.signed_term)

    # what a viewer may not see (index/access/): the secrecy levels they are not cleared for,
    # and the unmarked documents of letters that a copy makes secret (few: their ids)
    hidden_levels: tuple[str, ...] = ()
    hidden_ids: frozenset[str] = frozenset()


    def empty(self) -> bool:
        return not (self.doc_types or self.issuer or self.since or self.until or self.year or self.signed
                    or self.hidden_levels or self.hidden_ids)


@dataclass
class Query:
    """Clauses that must all match (an `Or` needs one of its items), clauses that must not,
    filters, and the code the whole query is, when it is one (`57 KL TW`)."""

    text: str
    must: list = field(default_factory=list)
    must_not: list = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    bare_code: CodeQuery | None = None
    # adjacent free words as optional phrases: a document that has the words side by side
    # (`luật điện ảnh`) ranks above one that has them scattered; this is what disambiguates
    # a query typed without diacritics, where each folded syllable means many words
    proximity: list[Phrase] = field(default_factory=list)

    def words(self) -> list[str]:
        """Every word of the positive clauses, for snippets and 'did you mean'."""
        out: list[str] = []

        def walk(node) -> None:
            if isinstance(node, Word):
                out.append(node.text)
            elif isinstance(node, Phrase):
                out.extend(node.words)
            elif isinstance(node, Signer):
                walk(node.node)
            elif isinstance(node, Or):
                for item in node.items:
                    walk(item)

        for node in self.must:
            walk(node)
        return out


FIELDS = {
    "loai": "type", "type": "type", "loại": "type",
    "coquan": "issuer", "issuer": "issuer", "cơquan": "issuer",
    "so": "code", "code": "code", "số": "code",
    "ky": "signer", "signer": "signer", "ký": "signer",
    "tu": "since", "since": "since", "từ": "since",
    "den": "until", "until": "until", "đến": "until",
    "nam": "year", "year": "year", "năm": "year",
}
_TOKEN = re.compile(r'\s*(?:(?P<field>[^\W\d_]+):(?:"(?P<fphrase>[^"]*)"|(?P<fvalue>[^\s"]+))'
                    r'|"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+))')


def parse_date(value: str, end: bool = False) -> int:
    """`2025`, `2025-08`, `2025-08-08`, `8/2025`, `15/8/2025` → yyyymmdd (start or end of it)."""
    v = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", v)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
    else:
        m = re.fullmatch(r"(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})", v)
        if not m:
            raise QueryError(f"ngày không hợp lệ: {value!r} (dùng 2025, 2025-08, 8/2025 hoặc 15/8/2025)")
        d, mo, y = m.group(1), m.group(2), m.group(3)
    year, month, day = int(y), int(mo) if mo else None, int(d) if d else None
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        raise QueryError(f"ngày không hợp lệ: {value!r}")
    if end:
        return year * 10000 + (month or 99) * 100 + (day or 99)
    return year * 10000 + (month or 0) * 100 + (day or 0)


def doc_type_filter(value: str) -> str:
    """`CV`, `cong van`, `Công văn` → `cong van` (the folded full name)."""
    full = type_from_abbrev(value.strip(), None) if " " not in value.strip() else None
    return " ".join(fold(full or value).split())


def _text_node(text: str, phrase: bool) -> Word | Phrase | None:
    words = syllables(text)
    if not words:
        return None
    if len(words) == 1:
        return Word(words[0])
    return Phrase(words)


def _free_token(token: str) -> object | None:
    """A bare token: a word, a hyphenated run (a phrase), or a code written with separators."""
    node = _text_node(token, phrase=False)
    codes = find_codes(token)
    if codes and node is not None:
        return Or([Code(codes[0]), node])
    return node


def parse(text: str, filters: Filters | None = None) -> Query:
    """Parse a query typed by a user. Options given outside the text (CLI `--type`…) arrive
    as `filters` and combine with the fields written in the text."""
    text = (text or "").strip()
    if text.count('"') % 2:
        raise QueryError('thiếu dấu ngoặc kép đóng (") trong câu truy vấn')
    q = Query(text, filters=filters or Filters())
    f = q.filters
    pending_or = False
    negate = False
    run: list[str] = []  # the current run of adjacent free words

    def end_run() -> None:
        q.proximity.extend(Phrase(run[i:i + 2]) for i in range(len(run) - 1))
        run.clear()

    for m in _TOKEN.finditer(text):
        node = None
        free = False
        name = m.group("field")
        if name and name.lower() in FIELDS:
            kind = FIELDS[name.lower()]
            value = m.group("fphrase") if m.group("fphrase") is not None else m.group("fvalue")
            value = (value or "").strip()
            if not value:
                raise QueryError(f"trường {name}: cần một giá trị, ví dụ {name}:2025")
            if kind == "type":
                f.doc_types.append(doc_type_filter(value))
            elif kind == "issuer":
                f.issuer += [fold(w) for w in syllables(value)]
            elif kind == "since":
                f.since = parse_date(value)
            elif kind == "until":
                f.until = parse_date(value, end=True)
            elif kind == "year":
                if not value.isdigit() or len(value) != 4:
                    raise QueryError(f"năm không hợp lệ: {value!r}")
                f.year = int(value)
            elif kind == "code":
                cq = parse_code_query(value) or parse_code_query(value + " ")
                if cq is None:
                    raise QueryError(f"không đọc được số ký hiệu {value!r} (ví dụ so:57-KL/TW)")
                node = Code(cq)
            elif kind == "signer":
                inner = _text_node(value, phrase=True)
                node = Signer(inner) if inner else None
        elif m.group("phrase") is not None:
            node = _text_node(m.group("phrase"), phrase=True)
        else:
            token = m.group(0).strip()
            if token.endswith(":") and token[:-1].lower() in FIELDS:
                raise QueryError(f"trường {token} cần một giá trị, ví dụ {token}2025")
            if token in ("AND", "&&"):
                continue
            if token in ("OR", "||"):
                if not q.must or negate:
                    raise QueryError("OR cần một từ ở mỗi bên, ví dụ: thông tin OR tuyên truyền")
                pending_or = True
                continue
            if token == "NOT":
                negate = True
                continue
            if token.startswith("-") and len(token) > 1 and not token[1].isdigit():
                negate, token = True, token[1:]
            node = _free_token(token)
            free = not negate and not pending_or
        if free and isinstance(node, Word | Phrase):
            run.extend([node.text] if isinstance(node, Word) else node.words)
        elif node is not None:
            end_run()
        if node is None:
            continue
        if negate:
            q.must_not.append(node)
            negate = False
        elif pending_or:
            prev = q.must.pop()
            q.must.append(Or([*prev.items, node]) if isinstance(prev, Or) else Or([prev, node]))
            pending_or = False
        else:
            q.must.append(node)
    end_run()
    if pending_or:
        raise QueryError("OR cần một từ ở mỗi bên, ví dụ: thông tin OR tuyên truyền")
    if negate:
        raise QueryError("NOT cần một từ theo sau, ví dụ: thông tin NOT tuyên truyền")
    if not q.must and q.must_not:
        raise QueryError("câu truy vấn chỉ có điều kiện loại trừ (NOT); hãy thêm từ cần tìm")
    q.bare_code = parse_code_query(text) if not any(c in text for c in ':"') else None
    return q
