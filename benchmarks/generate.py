"""Deterministic generator of realistic letters for benchmarks at archive scale.

A seed picks everything: issuers from the authority register (`benchmarks/register.py`),
types, dates, numbers (Nghị định 30/2020: one sequence per body per calendar year;
Hướng dẫn 36: per body and type, per year, and per term for a committee's Nghị quyết,
Chỉ thị and Kết luận), bodies from real sentences (`benchmarks/sentences.py`), and a known
citation graph: central directives → provincial letters → district letters. Known exact
duplicates, near duplicates (a draft of a signed letter, a corrected re-send) and series
(the same template and issuer, a new number) are mixed in.

    python -m benchmarks.generate OUT --docs 1000 --seed 7 --pdf 100

writes
    OUT/text/000/000000.txt …   every letter as text (a few layouts seen in real conversions)
    OUT/pdf/000/000123.pdf …    a subset as PDF (two-column header table, Liberation Serif)
    OUT/truth.jsonl             one line per letter: its fields, references (with targets), relation
    OUT/groups.jsonl            duplicate, near-duplicate and series groups
    OUT/queries.jsonl           a fixed search query mix with the letters each should find
    OUT/manifest.json           seed, counts, generator version
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from benchmarks import register as reg
from benchmarks.sentences import sentence_pools
from nlp.codes import canonical_key
from text.fold import fold

VERSION = 2  # 2: re-sent and OCR'd copies, drafts under DỰ THẢO, codes shared across places and years
START, END = date(2022, 1, 3), date(2025, 12, 31)
PARTY_TERM_TYPES = {"NQ", "CT", "KL"}  # a committee's own resolutions run through its term
PARTY_TERM_START = {"central": 2021, "province": 2020, "district": 2020}

# topic → (sentence pool, subject phrases of the central directive, short name for letters)
TOPICS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "bhxh": ("Bảo hiểm xã hội", ("tăng cường sự lãnh đạo của Đảng đối với công tác bảo hiểm xã hội, bảo hiểm y tế",
                                 "đẩy mạnh phát triển người tham gia bảo hiểm xã hội tự nguyện"), "bảo hiểm xã hội"),
    "datdai": ("dat_dai", ("tăng cường quản lý, sử dụng đất đai trong tình hình mới",
                           "đẩy nhanh công tác giải phóng mặt bằng các dự án trọng điểm"), "quản lý đất đai"),
    "haiquan": ("hai_quan", ("tăng cường công tác phòng, chống buôn lậu, gian lận thương mại và hàng giả",
                             "đẩy mạnh cải cách thủ tục hải quan, tạo thuận lợi thương mại"), "chống buôn lậu"),
    "thue": ("Thuế TNCN", ("nâng cao hiệu quả công tác quản lý thuế, chống thất thu ngân sách",
                           "tăng cường quản lý thu thuế thu nhập cá nhân"), "quản lý thuế"),
    "doanhnghiep": ("Chính sách doanh nghiệp", ("phát triển kinh tế tư nhân, hỗ trợ doanh nghiệp nhỏ và vừa",
                                               "đẩy mạnh chuyển đổi số trong doanh nghiệp"), "hỗ trợ doanh nghiệp"),
    "congdoan": ("Công đoàn", ("đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình hình mới",
                               "chăm lo đời sống, việc làm cho đoàn viên, người lao động"), "công tác công đoàn"),
    "dautu": ("Ưu đãi đầu tư", ("thu hút đầu tư, cải thiện môi trường kinh doanh",
                                "nâng cao hiệu quả thu hút đầu tư trực tiếp nước ngoài"), "thu hút đầu tư"),
    "laodong": ("Hợp đồng lao động", ("tăng cường quản lý lao động, việc làm và quan hệ lao động",
                                      "bảo đảm quyền lợi của người lao động trong doanh nghiệp"), "quan hệ lao động"),
    "kinhte": ("Hợp đồng kinh tế", ("tăng cường quản lý hợp đồng, đẩy nhanh giải ngân vốn đầu tư công",
                                    "siết chặt kỷ luật, kỷ cương trong quản lý dự án đầu tư"),
               "giải ngân vốn đầu tư công"),
    "phapluat": ("dan_su", ("tăng cường công tác phổ biến, giáo dục pháp luật và hòa giải ở cơ sở",
                            "nâng cao hiệu quả công tác trợ giúp pháp lý"), "phổ biến pháp luật"),
    "ttdn": ("khác", ("nâng cao chất lượng, hiệu quả công tác thông tin đối ngoại trong tình hình mới",
                      "đẩy mạnh công tác tuyên truyền, quảng bá hình ảnh quốc gia"), "thông tin đối ngoại"),
}

# Real documents cited from outside the generated set: (type, code, date, issuer, subject).
EXTERNAL = (
    ("Nghị định", "30/2020/NĐ-CP", date(2020, 3, 5), "Chính phủ", "công tác văn thư"),
    ("Hướng dẫn", "36-HD/VPTW", date(2018, 4, 3), "Văn phòng Trung ương Đảng",
     "thể thức và kỹ thuật trình bày văn bản của Đảng"),
    ("Nghị quyết", "18-NQ/TW", date(2017, 10, 25), "Ban Chấp hành Trung ương",
     "một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, "
     "hoạt động hiệu lực, hiệu quả"),
)

TYPE_NAMES = {"CV": "Công văn", "KH": "Kế hoạch", "CT": "Chỉ thị", "KL": "Kết luận", "NQ": "Nghị quyết",
              "QĐ": "Quyết định", "BC": "Báo cáo", "TB": "Thông báo", "HD": "Hướng dẫn", "TT": "Thông tư"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


@dataclass
class Plan:
    """One letter before it is written: who, what, when, whom it cites."""

    idx: int
    body: reg.Body
    abbrev: str                  # type letters (CV for a state công văn too: none is printed)
    when: date
    topic: str
    cites: list[int] = field(default_factory=list)
    external: list[int] = field(default_factory=list)
    unit: str | None = None
    number: int | None = None
    relation: str | None = None  # duplicate | near-duplicate | series
    of: int | None = None        # the letter it duplicates
    variant: str | None = None   # how a duplicate differs: crlf, tones, bytes, draft, edited
    series: int | None = None
    series_no: int = 0
    subject: str = ""
    subject_refs: list[dict] = field(default_factory=list)  # citations inside the subject, in order

    @property
    def doc_type(self) -> str:
        return TYPE_NAMES[self.abbrev]

    @property
    def gid(self) -> str:
        return f"g{self.idx:06d}"


# -- planning --------------------------------------------------------------------------------
def _day(rng: random.Random, lo: date, hi: date) -> date:
    d = lo + timedelta(days=rng.randrange(max(1, (hi - lo).days + 1)))
    return d + timedelta(days=2) if d.weekday() == 5 else d + timedelta(days=1) if d.weekday() == 6 else d


def _province_body(rng: random.Random, province: str, party: bool | None = None) -> reg.Body:
    bodies = reg.province_bodies(province)
    if party is True:
        return rng.choice(bodies[1:3])
    if party is False:
        return rng.choice([bodies[0]] * 3 + bodies[3:])
    return rng.choice([bodies[0]] * 3 + [bodies[1]] * 2 + bodies[2:])


def plan_letters(n: int, seed: int) -> list[Plan]:
    rng = random.Random(seed)
    provinces = sorted(reg.PROVINCES)
    topics = sorted(TOPICS)
    central = [reg.central_party(), reg.prime_minister(), reg.government()]
    ministries = reg.ministries()
    plans: list[Plan] = []

    def add(**kw) -> Plan:
        p = Plan(idx=len(plans), **kw)
        plans.append(p)
        return p

    n_directives = max(3, n // 120)
    directives = []
    for _ in range(n_directives):
        body = rng.choice(central)
        abbrev = {"TW": rng.choice(["CT", "KL", "NQ"]), "TTg": "CT", "CP": "NQ"}[body.code]
        directives.append(add(body=body, abbrev=abbrev, when=_day(rng, START, date(2025, 6, 30)),
                              topic=rng.choice(topics), external=[rng.randrange(3)] if rng.random() < .3 else []))
    provincial: list[Plan] = []
    while len(plans) < n:
        r = rng.random()
        if r < 0.30 or not provincial:  # a provincial letter implementing a directive
            d = rng.choice(directives)
            party = d.body.system == "party"
            body = _province_body(rng, rng.choice(provinces), party if rng.random() < .8 else None)
            abbrev = rng.choice(["KH", "KH", "CV", "CV", "CV", "HD"] if body.system == "party"
                                else ["KH", "KH", "CV", "CV", "CV", "QĐ"])
            p = add(body=body, abbrev=abbrev, when=_day(rng, d.when + timedelta(3), d.when + timedelta(75)),
                    topic=d.topic, cites=[d.idx])
            provincial.append(p)
        elif r < 0.80:  # a district letter implementing a provincial one
            parent = rng.choice(provincial)
            prov = parent.body.province or rng.choice(provinces)
            district = rng.choice(reg.PROVINCES[prov])
            bodies = reg.district_bodies(prov, district)
            body = bodies[1] if parent.body.system == "party" and rng.random() < .8 else rng.choice(bodies)
            cites = [parent.idx] + [c for c in parent.cites if rng.random() < 0.5]
            add(body=body, abbrev=rng.choice(["CV", "CV", "KH", "BC", "TB"]), topic=parent.topic, cites=cites,
                when=_day(rng, parent.when + timedelta(2), parent.when + timedelta(40)))
        elif r < 0.90:  # a ministry's letter, sometimes guiding a directive
            body = rng.choice(ministries)
            d = rng.choice(directives)
            cites = [d.idx] if rng.random() < 0.5 else []
            lo = d.when + timedelta(3) if cites else START
            add(body=body, abbrev=rng.choice(["CV", "CV", "CV", "QĐ", "TT"]), topic=d.topic, cites=cites,
                when=_day(rng, lo, max(lo, END - timedelta(60))), external=[0] if rng.random() < .2 else [])
        else:  # a letter that cites nothing we hold
            prov = rng.choice(provinces)
            body = (_province_body(rng, prov) if rng.random() < .6
                    else rng.choice(reg.district_bodies(prov, rng.choice(reg.PROVINCES[prov]))))
            add(body=body, abbrev=rng.choice(["CV", "CV", "BC", "TB"]), topic=rng.choice(topics),
                when=_day(rng, START, END), external=[rng.randrange(3)] if rng.random() < .3 else [])
    _mix_relations(plans, rng, n)
    _assign_numbers(plans, rng)
    for p in plans:
        if p.body.system == "state" and p.abbrev == "CV":
            p.unit = rng.choice(p.body.units)
    for p in plans:  # copies keep the unit of the letter they copy
        if p.of is not None:
            p.unit = plans[p.of].unit
    assign_subjects(plans, seed)
    return plans


def _mix_relations(plans: list[Plan], rng: random.Random, n: int) -> None:
    """Turn some plans into duplicates, near duplicates and series members."""
    candidates = [p for p in plans if p.body.level != "central"]
    rng.shuffle(candidates)
    k = max(1, n // 30)
    originals = candidates[: 3 * k]
    singles = candidates[3 * k:]
    members: dict[int, int] = {}
    last: dict[int, date] = {}
    for i, orig in enumerate(originals):
        if not singles:
            break
        p = singles.pop()
        kind = ("duplicate", "near-duplicate", "series")[i % 3]
        p.relation, p.body, p.topic, p.abbrev = kind, orig.body, orig.topic, orig.abbrev
        if kind == "series":  # the same template and issuer, later, new number
            orig.series = orig.series if orig.series is not None else orig.idx
            p.series, p.of = orig.series, orig.idx
            p.cites, p.external = list(orig.cites), list(orig.external)
            p.when = min(END, last.get(orig.series, orig.when) + timedelta(days=rng.choice([30, 31, 91, 182, 365])))
            last[orig.series] = p.when
            orig.series_no = 1
            members[orig.series] = members.get(orig.series, 1) + 1
            p.series_no = members[orig.series]
            continue
        p.of, p.cites, p.external, p.when = orig.idx, list(orig.cites), list(orig.external), orig.when
        p.variant = rng.choice(["crlf", "tones", "bytes"]) if kind == "duplicate" else \
            rng.choice(["draft", "edited", "resent", "ocr"])


def _assign_numbers(plans: list[Plan], rng: random.Random) -> None:
    """Numbers in date order per register; copies of a letter share its number."""
    registers: dict[tuple, list[Plan]] = {}
    for p in plans:
        if p.relation in ("duplicate", "near-duplicate"):
            continue
        b = p.body
        if b.system == "state":
            key = (b, p.when.year, "QPPL" if p.abbrev == "TT" else "")
        elif p.abbrev in PARTY_TERM_TYPES and b.level != "district":
            key = (b, p.abbrev, "term", PARTY_TERM_START[b.level])
        else:
            key = (b, p.abbrev, p.when.year)
        registers.setdefault(key, []).append(p)
    for key in sorted(registers, key=lambda k: (k[0].header, str(k[1:]))):
        busy = 40 if key[0].code in ("UBND", "TU", "BTC") and key[0].level == "province" else 8
        # Every province's Tỉnh ủy numbers its công văn from 1 each year: `12-CV/TU` exists in
        # many provinces and many years. Half of the registers draw their numbers from a
        # sequence shared by every register of that body code and type (all places, all
        # years), so the same code recurs across provinces and years as it does in archives.
        shared = rng.random() < 0.5
        nums = random.Random(f"{key[0].code}:{key[0].level}:{key[1] if len(key) > 1 else ''}") if shared else rng
        number = nums.randrange(0, busy)
        for p in sorted(registers[key], key=lambda p: (p.when, p.idx)):
            number += 1 + int(nums.expovariate(1 / busy))  # letters of this body that we do not hold
            p.number = number
    for p in plans:
        if p.of is not None and p.relation in ("duplicate", "near-duplicate"):
            p.number = plans[p.of].number


# -- codes and phrases -----------------------------------------------------------------------
def code_of(p: Plan, blank: bool = False) -> str:
    num = "" if blank else f"{p.number:02d}"
    b = p.body
    if b.system == "party":
        return f"{num}-{p.abbrev}/{b.code}"
    if p.abbrev == "CV":
        return f"{num}/{p.unit}"
    if p.abbrev == "TT":
        return f"{num}/{p.when.year}/TT-{b.code}"
    return f"{num}/{p.abbrev}-{b.code}"


def date_numeric(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d.day < 10 and d.month < 3 else f"{d.day}/{d.month}/{d.year}"


def date_words(d: date | None, year: int | None = None, month: int | None = None) -> str:
    """`ngày 05 tháng 02 năm 2025`: a zero before days below 10 and months below 3 (NĐ 30)."""
    if d is None:
        return f"ngày     tháng {month} năm {year}"
    mm = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {mm} năm {d.year}"


def key_of(p: Plan) -> str:
    return _key(code_of(p), p.when.year, p.body.place)


@cache
def _key(code: str, year: int, place: str) -> str:
    # a cited letter is cited by dozens of others: parse its code once
    return canonical_key(code, year, place)


def subject_of(p: Plan, plans: list[Plan], rng: random.Random) -> tuple[str, int | None]:
    """The trích yếu, and which cited plan it names (its mention counts as a reference)."""
    phrases = TOPICS[p.topic][1]
    short = TOPICS[p.topic][2]
    if p.body.level == "central":
        return phrases[p.idx % len(phrases)], None
    if p.series is not None:
        label = {"BC": f"kết quả công tác {short}", "TB": f"kết luận giao ban về {short}"}.get(p.abbrev)
        if label:
            return f"{label} tháng {p.when.month} năm {p.when.year}", None
        return f"tổ chức Hội thi tìm hiểu về {short} lần thứ {ROMAN[min(p.series_no, 15) - 1]} " \
               f"năm {p.when.year}", None
    if p.cites and p.abbrev in ("KH", "HD", "QĐ") and rng.random() < 0.7:
        return "__CITE__", p.cites[0]
    verbs = ("triển khai thực hiện", "tăng cường", "tổ chức thực hiện", "đẩy mạnh")
    if p.abbrev == "BC":
        return f"kết quả thực hiện công tác {short} năm {p.when.year}", None
    if p.abbrev == "TB":
        return f"ý kiến kết luận của lãnh đạo về công tác {short}", None
    return f"{rng.choice(verbs)} công tác {short}", None


def assign_subjects(plans: list[Plan], seed: int) -> None:
    """Every plan's trích yếu; one that names the letter it implements carries that citation."""
    def subject(p: Plan) -> str:
        if p.subject:
            return p.subject
        if p.of is not None and p.relation in ("duplicate", "near-duplicate"):
            p.subject = subject(plans[p.of])
            p.subject_refs = plans[p.of].subject_refs
            return p.subject
        rng = random.Random(f"{seed}:subject:{p.idx}")
        text, cited = subject_of(p, plans, rng)
        if text == "__CITE__":
            q = plans[cited]
            ref_text, tail, truth = mention(q, plans, rng)
            text = f"triển khai thực hiện {ref_text}{tail} về {subject(q)}"
            p.subject_refs = [truth] + q.subject_refs  # the cited subject may itself cite
        p.subject = text
        return text

    for p in plans:
        subject(p)


def mention(q: Plan, plans: list[Plan], rng: random.Random, with_type: bool = True) -> tuple[str, str, dict]:
    """A citation of plan `q`: (text before, the reference text `Loại số CODE`, tail) and truth."""
    code = code_of(q)
    d = q.when
    date_txt = rng.choice([f"ngày {date_numeric(d)}", date_words(d), f"ngày {date_numeric(d)}"])
    sep = ", " if rng.random() < 0.2 else " "
    ref_text = f"{q.doc_type} số {code}"
    tail = f"{sep}{date_txt} của {q.body.short}"
    truth = {"text": ref_text, "code": code, "doc_type": q.doc_type, "date": d.isoformat(),
             "issuer": q.body.short, "key": key_of(q), "target": q.gid}
    return ref_text, tail, truth


def external_mention(i: int) -> tuple[str, str, dict]:
    typ, code, d, issuer, subject = EXTERNAL[i]
    ref_text = f"{typ} số {code}"
    tail = f" ngày {date_numeric(d)} của {issuer} về {subject}"
    truth = {"text": ref_text, "code": code, "doc_type": typ, "date": d.isoformat(), "issuer": issuer,
             "key": canonical_key(code, d.year, None), "target": None}
    return ref_text, tail, truth


# -- the letter -------------------------------------------------------------------------------
@dataclass
class Letter:
    left: list[str]
    right: list[str]                 # motto lines
    number_line: str
    date_line: str
    vv: list[str]                    # `V/v …` lines of a công văn, under the number
    title: list[str]                 # type name and subject of other types
    kinh_gui: list[str]
    paragraphs: list[str]
    noi_nhan: list[str]
    sign: list[str]
    mentions: list[dict]             # references in reading order
    truth: dict


MOTTO_STATE = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
MOTTO_PARTY = ["ĐẢNG CỘNG SẢN VIỆT NAM"]


def _sentences(rng: random.Random, topic: str, k: int) -> list[str]:
    pools = sentence_pools()
    pool = pools.get(TOPICS[topic][0]) or pools["*"]
    return [rng.choice(pool) for _ in range(k)]


def _recipients(p: Plan, rng: random.Random) -> list[str]:
    b = p.body
    if b.level == "district":
        opts = ["Các cơ quan, ban, ngành, đoàn thể huyện", "Ủy ban nhân dân các xã, thị trấn",
                "Các chi bộ, đảng bộ cơ sở trực thuộc Huyện ủy", "Phòng Văn hóa và Thông tin huyện"]
    elif b.level == "province":
        opts = ["Các sở, ban, ngành cấp tỉnh", "Ủy ban nhân dân các huyện, thành phố, thị xã",
                "Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
                "Các cơ quan báo chí trên địa bàn tỉnh"]
    else:
        opts = ["Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
                "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
                "Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương"]
    return rng.sample(opts, rng.randint(1, min(3, len(opts))))


def _name(rng: random.Random) -> str:
    return f"{rng.choice(reg.SURNAMES)} {rng.choice(reg.MIDDLES)} {rng.choice(reg.GIVEN)}"


def _wrap(text: str, width: int, mentions: list[dict]) -> list[str]:
    """Lines of at most `width` characters that never break inside a citation (`Chỉ thị số
    15/CT-TTg` stays on one line, so the truth's offsets hold)."""
    nbsp = "\u2007"
    for m in mentions:
        text = text.replace(m["text"], m["text"].replace(" ", nbsp))
    lines = textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)
    return [ln.replace(nbsp, " ") for ln in lines]


def build_letter(p: Plan, plans: list[Plan], seed: int) -> Letter:
    """The structured letter of plan `p` (copies are made from their original's letter)."""
    rng = random.Random(f"{seed}:{p.series if p.series is not None else p.idx}:{p.idx}")
    trng = random.Random(f"{seed}:tmpl:{p.series if p.series is not None else p.idx}")  # shared by a series
    b = p.body
    code = code_of(p)
    mentions: list[dict] = [dict(m) for m in p.subject_refs]
    subject = p.subject
    left = list(b.header) + (["*"] if b.system == "party" else [])
    number_line = f"Số {code}" if b.system == "party" else f"Số: {code}"
    if b.system == "party" and rng.random() < 0.2:
        number_line = "Số " + code.replace("-", " - ", 1)
    date_line = f"{b.place}, {date_words(p.when)}"
    vv, title, kinh_gui = [], [], []
    if p.abbrev == "CV":
        vv = _wrap("V/v " + subject, 42, mentions)
        recips = _recipients(p, rng)
        kinh_gui = ([f"Kính gửi: {recips[0]}."] if len(recips) == 1
                    else ["Kính gửi:"] + [f"- {r}{'.' if i == len(recips) - 1 else ';'}" for i, r in enumerate(recips)])
    else:
        title = [p.doc_type.upper()] + _wrap(subject[0].upper() + subject[1:] if p.abbrev in ("QĐ", "TT")
                                             else subject, 70, mentions)
        if p.abbrev == "QĐ":
            title[1:] = _wrap("Về việc " + subject, 70, mentions)
        recips = []
    paragraphs: list[str] = []
    # opening: what the letter implements
    for j, c in enumerate(p.cites):
        ref_text, tail, truth = mention(plans[c], plans, rng)
        lead = "Căn cứ" if p.abbrev in ("QĐ", "TT") else ("Thực hiện" if j == 0 else "Căn cứ")
        paragraphs.append(f"{lead} {ref_text}{tail} về {plans[c].subject};")
        mentions += [truth] + [dict(m) for m in plans[c].subject_refs]
    for e in p.external:
        ref_text, tail, truth = external_mention(e)
        paragraphs.append(f"Căn cứ {ref_text}{tail};")
        mentions.append(truth)
    if p.abbrev == "QĐ":
        paragraphs.append(f"Theo đề nghị của Chánh Văn phòng {b.short}.")
        paragraphs.append("QUYẾT ĐỊNH:")
        paragraphs.append(f"Điều 1. Ban hành kèm theo Quyết định này Kế hoạch {subject}.")
        mentions += [dict(m) for m in p.subject_refs]  # the subject and its citations, repeated
        paragraphs.append("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.")
        paragraphs.append("Điều 3. Chánh Văn phòng và Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm "
                          "thi hành Quyết định này./.")
    else:
        body_sents = _sentences(trng, p.topic, trng.randint(6, 16))
        if p.series is not None:  # a series repeats its template; only the period changes
            paragraphs.append(f"Thực hiện chương trình công tác năm {p.when.year}, {b.short} "
                              f"{'báo cáo' if p.abbrev == 'BC' else 'thông báo'} như sau:")
        elif paragraphs:
            paragraphs.append(f"{b.short} {'ban hành Kế hoạch' if p.abbrev == 'KH' else 'đề nghị'} "
                              f"triển khai một số nội dung sau:")
        numbered = p.abbrev in ("KH", "HD", "BC") or trng.random() < 0.4
        i = 0
        while body_sents:
            take = body_sents[: trng.randint(1, 3)]
            body_sents = body_sents[len(take):]
            i += 1
            paragraphs.append((f"{i}. " if numbered else "") + " ".join(take))
        if p.abbrev == "CV" and p.cites and rng.random() < 0.5:
            short = f"{plans[p.cites[0]].doc_type} {plans[p.cites[0]].number}"
            paragraphs.append(f"Quá trình triển khai {short}, nếu có khó khăn, vướng mắc, đề nghị phản ánh "
                              f"kịp thời về {b.short} để được hướng dẫn.")
    deadlines = []
    if p.abbrev in ("CV", "KH", "HD") and rng.random() < 0.6 and p.series is None:
        dl = p.when + timedelta(days=rng.randrange(10, 60))
        form = rng.choice(["trước ngày {n}", "chậm nhất ngày {w}", "trước ngày {n}"])
        dtext = form.format(n=date_numeric(dl), w=date_words(dl).removeprefix("ngày "))
        paragraphs.append(f"Báo cáo kết quả thực hiện gửi về {b.short} {dtext} để tổng hợp.")
        deadlines.append({"date": dl.isoformat(), "text": dtext})
    paragraphs.append("Trân trọng./." if p.abbrev == "CV" else "")
    paragraphs = [x for x in paragraphs if x]
    first = "- Như trên;" if kinh_gui else "- Như Điều 3;" if p.abbrev == "QĐ" else "- Các đơn vị liên quan;"
    noi_nhan = ["Nơi nhận:", first, "- Lưu: VT."]
    authority, position = b.signers[trng.randrange(len(b.signers))] if b.signers else (None, "Thủ trưởng")
    signer_name = _name(trng)
    sign = ([authority] if authority else []) + [position.upper(), "", signer_name]
    part = code.split("-", 1) if b.system == "party" else code.split("/", 1)
    truth = {
        "gid": p.gid, "code": code, "number": f"{p.number:02d}", "symbol": part[1],
        "system": b.system, "doc_type": p.doc_type, "issued_date": p.when.isoformat(), "place": b.place,
        "issuer": {"name": b.name, "parent": b.parent, "code": b.code},
        "subject": subject, "recipients": recips,
        "signer": {"name": signer_name, "position": position, "authority": authority},
        "deadlines": deadlines, "key": key_of(p), "level": b.level, "province": b.province, "topic": p.topic,
    }
    return Letter(left, MOTTO_PARTY if b.system == "party" else MOTTO_STATE, number_line, date_line, vv, title,
                  kinh_gui, paragraphs, noi_nhan, sign, mentions, truth)


def make_variant(letter: Letter, p: Plan, plans: list[Plan], seed: int) -> Letter:
    """A near duplicate of `letter`: its unsigned draft, or a corrected re-send."""
    rng = random.Random(f"{seed}:variant:{p.idx}")
    t = dict(letter.truth, gid=p.gid)
    if p.variant == "draft":  # the draft (`DỰ THẢO` stamped above, in `generate`): no number yet, an earlier day
        orig = plans[p.of]
        blank = code_of(orig, blank=True)  # `/UBND-KGVX`, `-CV/TU`: the symbol stays (SCHEMA)
        number_line = ("Số:" if orig.body.system == "state" else "Số") + "      " + blank
        if rng.random() < 0.5:  # the day left blank until signing
            t.update(issued_date=f"{orig.when.year}-{orig.when.month:02d}")
            date_line = f"{orig.body.place}, {date_words(None, orig.when.year, orig.when.month)}"
        else:  # the day the draft was written, before the signed letter's
            day = max(date(orig.when.year, 1, 1), orig.when - timedelta(days=rng.randint(2, 12)))
            t.update(issued_date=day.isoformat())
            date_line = f"{orig.body.place}, {date_words(day)}"
        t.update(code=blank, number=None, key=None)
        return Letter(letter.left, letter.right, number_line, date_line, letter.vv, letter.title,
                      letter.kinh_gui, letter.paragraphs, letter.noi_nhan, letter.sign, letter.mentions, t)
    if p.variant in ("resent", "ocr"):  # the letter itself (a line is added to its text in `generate`),
        # or a scan of it read by OCR: its body paragraphs misread here and there
        paragraphs = [ocr_noise(x, rng) for x in letter.paragraphs] if p.variant == "ocr" else letter.paragraphs
        return Letter(letter.left, letter.right, letter.number_line, letter.date_line, letter.vv, letter.title,
                      letter.kinh_gui, paragraphs, letter.noi_nhan, letter.sign, letter.mentions, t)
    paragraphs = list(letter.paragraphs)
    body_idx = [i for i, x in enumerate(paragraphs) if len(x) > 80 and "số" not in x[:40]]
    for i in rng.sample(body_idx, min(2, len(body_idx))):
        paragraphs[i] = paragraphs[i] + " " + _sentences(rng, p.topic, 1)[0]
    kinh_gui = list(letter.kinh_gui)
    extra = "Văn phòng Ủy ban nhân dân tỉnh" if p.body.level == "province" else "Các đơn vị liên quan"
    if kinh_gui and kinh_gui[0] == "Kính gửi:":
        kinh_gui[-1] = kinh_gui[-1].rstrip(".") + ";"
        kinh_gui.append(f"- {extra}.")
        t["recipients"] = letter.truth["recipients"] + [extra]
    return Letter(letter.left, letter.right, letter.number_line, letter.date_line, letter.vv, letter.title,
                  kinh_gui, paragraphs, letter.noi_nhan, letter.sign, letter.mentions, t)


# -- text ------------------------------------------------------------------------------------
def render_text(letter: Letter, layout: str) -> str:
    """The letter as text. `columns`: the left header column, then the right one (how a PDF's
    table is read); `flat`: a word processor's export (seeds in corpus/text); `rows`: a
    table flattened row by row with wide gaps (pdftotext -layout)."""
    head: list[str] = []
    left = letter.left
    if layout == "columns":
        head = left + [letter.number_line] + letter.vv + [""] + letter.right + [letter.date_line]
    elif layout == "flat":
        head = [ln for ln in left if ln != "*"] + [""] + (["*", ""] if "*" in left else []) + letter.right + \
               ["", letter.date_line, "", letter.number_line, ""] + letter.vv
    else:
        lcol = [ln for ln in left] + [letter.number_line]
        rcol = letter.right + [""] * max(0, len(lcol) - len(letter.right) - 1) + [letter.date_line]
        width = max(len(x) for x in lcol) + 8
        for a, b in zip(lcol + [""] * (len(rcol) - len(lcol)), rcol + [""] * (len(lcol) - len(rcol))):
            head.append((a.ljust(width) + b).rstrip())
        head += letter.vv
    out = head + [""]
    if letter.title:
        out += letter.title + [""]
    if letter.kinh_gui:
        out += letter.kinh_gui + [""]
    for para in letter.paragraphs:
        out += [para, ""]
    out += letter.noi_nhan + [""] + letter.sign
    return "\n".join(out) + "\n"


def locate_mentions(text: str, mentions: list[dict]) -> list[dict]:
    """Offsets of each reference text, in reading order."""
    out, pos = [], 0
    for m in mentions:
        start = text.find(m["text"], pos)
        if start < 0:  # wrapped over a line break in the subject: find it with any white space
            start = text.replace("\n", " ").find(m["text"], pos)
        end = start + len(m["text"])
        out.append(dict(m, start=start, end=end))
        pos = end
    return sorted(out, key=lambda m: m["start"])


# Lines a re-sent copy adds: a storage note, a correction, a forwarding line (Nghị định 30:
# the copy is the same letter, number and date; only this line is its own).
RESENT_LINES = (
    "Văn bản này được gửi lại do bản gửi trước thiếu phụ lục kèm theo; lưu hồ sơ {n}.",
    "Sao gửi lại theo đề nghị của đơn vị nhận; bản lưu tại văn thư, hộp {n}.",
    "Gửi bổ sung để {place} tổng hợp; đính chính nơi nhận của bản gửi trước.",
)


def resent(text: str, rng: random.Random) -> str:
    """A re-send of a letter: one line of its own added before `Nơi nhận` (else at the end)."""
    line = rng.choice(RESENT_LINES).format(n=rng.choice(("A", "B", "C", "D", "E")) + str(rng.randint(2, 999)),
                                           place=rng.choice(("Văn phòng", "phòng chuyên môn", "bộ phận một cửa")))
    at = text.find("\nNơi nhận")
    return text + line + "\n" if at < 0 else text[:at] + "\n" + line + "\n" + text[at:]


# What OCR of a scanned Vietnamese letter confuses: marks lost or mistaken, letters that look alike.
_OCR_SWAPS = (("ư", "u"), ("ơ", "o"), ("ạ", "a"), ("ệ", "ê"), ("ề", "è"), ("ộ", "ô"), ("ị", "i"), ("ả", "á"),
              ("m", "rn"), ("đ", "d"), ("l", "I"), ("ũ", "u"), ("ổ", "ô"))


def ocr_noise(text: str, rng: random.Random, rate: float = 0.04) -> str:
    """Body text as OCR of a scan reads it: a share `rate` of its words misread (at least one),
    now and then two words run together. Lines that hold a digit or a slash (dates, codes and
    citations) and short lines are kept, so the copy's references read as the original's."""
    lines: list[list[str | None]] = [list(ln.split(" ")) for ln in text.split("\n")]
    spots = [(i, j) for i, words in enumerate(lines)
             if len(" ".join(words)) >= 50 and not any(c.isdigit() or c == "/" for c in " ".join(words))
             for j, w in enumerate(words) if any(a in w for a, _ in _OCR_SWAPS)]
    for i, j in rng.sample(spots, min(len(spots), max(1, round(rate * len(spots))))):
        word, after = lines[i][j], lines[i][j + 1] if j + 1 < len(lines[i]) else None
        if word is None:  # run into the word before it already
            continue
        a, b = rng.choice([sw for sw in _OCR_SWAPS if sw[0] in word])
        lines[i][j] = word.replace(a, b, 1)
        if rng.random() < 0.25 and after:  # a dropped space; None keeps the place of the word joined
            lines[i][j:j + 2] = [lines[i][j] + after, None]
    return "\n".join(" ".join(w for w in words if w is not None) for words in lines)


_TONES_OLD = {"hòa": "hoà", "Hòa": "Hoà", "HÒA": "HOÀ", "hóa": "hoá", "thủy": "thuỷ", "Ủy": "Uỷ", "ủy": "uỷ",
              "khỏe": "khoẻ", "thụy": "thuỵ"}


def old_tones(text: str) -> str:
    """The same words with the older tone placement (`hoà`, `Uỷ`), as many typists still use."""
    for new, old in _TONES_OLD.items():
        text = text.replace(new, old)
    return text


# -- PDF -------------------------------------------------------------------------------------
_FONTS_READY = False
# Liberation 1.x (Debian `fonts-liberation`) has no Vietnamese letters such as `ệ`; version 2
# (`fonts-liberation2`) has them. Letters drawn without them would lose most of their words.
FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))


def _fonts() -> None:
    global _FONTS_READY
    if _FONTS_READY:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    for folder in FONT_DIRS:
        regular = folder / "LiberationSerif-Regular.ttf"
        if regular.exists() and 0x1EC7 in TTFont("probe", str(regular)).face.charToGlyph:
            break
    else:
        raise RuntimeError("no Liberation Serif with Vietnamese letters: apt-get install fonts-liberation2")
    for name, file in (("Serif", "LiberationSerif-Regular.ttf"), ("Serif-Bold", "LiberationSerif-Bold.ttf"),
                       ("Serif-Italic", "LiberationSerif-Italic.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    _FONTS_READY = True


def render_pdf(letter: Letter, path: Path) -> None:
    """The letter as a text PDF laid out like a real one: A4, the header as a two-column table
    (issuing body, number and V/v left; motto, place and date right), 13–14 pt Liberation Serif."""
    from xml.sax.saxutils import escape

    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _fonts()
    c13 = ParagraphStyle("c13", fontName="Serif", fontSize=13, leading=15, alignment=TA_CENTER)
    c13b = ParagraphStyle("c13b", parent=c13, fontName="Serif-Bold")
    c12 = ParagraphStyle("c12", parent=c13, fontSize=12, leading=14)
    ital = ParagraphStyle("it", parent=c13, fontName="Serif-Italic", fontSize=13)
    body = ParagraphStyle("body", fontName="Serif", fontSize=14, leading=18, alignment=TA_JUSTIFY,
                          firstLineIndent=12 * mm, spaceAfter=6)
    small = ParagraphStyle("small", fontName="Serif", fontSize=11, leading=13, alignment=TA_LEFT)
    P = lambda s, st: Paragraph(escape(s), st)  # noqa: E731
    lcell = [P(x, c13b if i == len(letter.left) - 1 or x == "*" else c13) for i, x in enumerate(letter.left)]
    lcell.append(P(letter.number_line, c13))
    if letter.vv:
        lcell.append(P(" ".join(letter.vv), c12))
    motto = ParagraphStyle("motto", parent=c13b, fontSize=12, leading=14)
    rcell = [P(x, motto if i == 0 else c13b) for i, x in enumerate(letter.right)]
    rcell += [Spacer(1, 6), P(letter.date_line, ital)]
    head = Table([[lcell, rcell]], colWidths=[72 * mm, 93 * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story = [head, Spacer(1, 10)]
    story += [P(t, c13b) for t in letter.title]
    if letter.kinh_gui:
        story.append(Spacer(1, 6))
        story += [P(x, ParagraphStyle("kg", parent=body, alignment=TA_CENTER if len(letter.kinh_gui) == 1 else TA_LEFT,
                                      firstLineIndent=0, leftIndent=0 if i == 0 else 30 * mm))
                  for i, x in enumerate(letter.kinh_gui)]
    story.append(Spacer(1, 6))
    story += [P(x, body) for x in letter.paragraphs]
    nn = [P(x, ParagraphStyle("nn", parent=small, fontName="Serif-Bold" if i == 0 else "Serif"))
          for i, x in enumerate(letter.noi_nhan)]
    sg = [P(x, c13b) if x else Spacer(1, 40) for x in letter.sign]
    foot = Table([[nn, sg]], colWidths=[80 * mm, 85 * mm])
    foot.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 10), foot]
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=letter.truth["code"] or "", author="congvan benchmarks",
                            creator="congvan benchmarks", producer="congvan benchmarks",
                            invariant=1)  # invariant: the same letter gives the same bytes
    doc.build(story)


# -- the whole set ---------------------------------------------------------------------------
def _rel(kind: str, i: int, ext: str) -> str:
    return f"{kind}/{i // 1000:03d}/{i:06d}.{ext}"


def generate(out: str | Path, docs: int = 1000, seed: int = 7, pdf: int = 0,
             progress: bool = False) -> dict:
    """Write `docs` letters under `out` (see the module doc). Returns the manifest."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    plans = plan_letters(docs, seed)
    letters: dict[int, Letter] = {}
    pdf_every = max(1, docs // pdf) if pdf else 0
    rows: dict[int, dict] = {}
    groups: dict[tuple[str, int], list[str]] = {}
    n_pdf = 0
    copies = [p for p in plans if p.of is not None and p.relation in ("duplicate", "near-duplicate")]
    copy_ids = {p.idx for p in copies}  # by index: `p in copies` compared whole plans, quadratic in docs
    folders: set[Path] = set()
    for p in [p for p in plans if p.relation not in ("duplicate", "near-duplicate")] + copies:
        if p.idx in copy_ids:  # written after every original, so the original's letter and file exist
            base = letters[p.of]
            letter = make_variant(base, p, plans, seed) if p.relation == "near-duplicate" else base
        else:
            letter = build_letter(p, plans, seed)
            letters[p.idx] = letter
        layouts = ("columns", "columns", "columns", "flat", "flat", "rows")
        layout = layouts[random.Random(f"{seed}:L:{p.idx}").randrange(len(layouts))]
        if p.relation == "duplicate" or p.variant in ("resent", "ocr"):  # the same file, or its own copy
            layout = rows[p.of]["layout"]
        text = render_text(letter, layout)
        if p.variant == "draft":  # the stamp above the header, at the right of the page
            text = "DỰ THẢO".rjust(72) + "\n" + text
        data = text.encode("utf-8")
        if p.variant == "crlf":  # another machine's save: BOM and Windows line ends
            data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
        elif p.variant == "tones":
            data = old_tones(text).encode("utf-8")
        elif p.variant == "bytes":  # the very same file under another name
            data = (out / rows[p.of]["path"]).read_bytes()
        elif p.variant == "resent":
            text = resent(text, random.Random(f"{seed}:resent:{p.idx}"))
            data = text.encode("utf-8")

        rel = _rel("text", p.idx, "txt")
        path = out / rel
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_bytes(data)
        pdf_rel = None
        if pdf_every and p.relation is None and p.idx % pdf_every == 0 and n_pdf < pdf:
            pdf_rel = _rel("pdf", p.idx, "pdf")
            (out / pdf_rel).parent.mkdir(parents=True, exist_ok=True)
            render_pdf(letter, out / pdf_rel)
            n_pdf += 1
        row = dict(letter.truth, gid=p.gid, path=rel, pdf=pdf_rel, layout=layout,
                   references=locate_mentions(text, letter.mentions),
                   relation=p.relation, of=plans[p.of].gid if p.of is not None else None, variant=p.variant)
        if p.series is not None:
            row["series"] = plans[p.series].gid
            groups.setdefault(("series", p.series), []).append(p.gid)
        elif p.relation in ("duplicate", "near-duplicate"):
            groups.setdefault((p.relation, p.of), [plans[p.of].gid]).append(p.gid)
        rows[p.idx] = row
        if progress and len(rows) % 5000 == 0:
            print(f"  {len(rows)}/{docs} letters", file=sys.stderr)
    truth_rows = [rows[i] for i in sorted(rows)]
    with open(out / "truth.jsonl", "w", encoding="utf-8") as fh:
        for row in truth_rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    with open(out / "groups.jsonl", "w", encoding="utf-8") as fh:
        for (kind, _), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            fh.write(json.dumps({"relation": kind, "members": sorted(set(members))}, ensure_ascii=False) + "\n")
    queries = make_queries(truth_rows, seed)
    with open(out / "queries.jsonl", "w", encoding="utf-8") as fh:
        for q in queries:
            fh.write(json.dumps(q, ensure_ascii=False) + "\n")
    manifest = {
        "generator": "benchmarks.generate", "version": VERSION, "seed": seed, "docs": docs,
        "pdf_requested": pdf, "pdfs": sum(1 for r in truth_rows if r["pdf"]),
        "edges": sum(1 for r in truth_rows for m in r["references"] if m["target"]),
        "groups": {k: sum(1 for g in groups if g[0] == k) for k in ("duplicate", "near-duplicate", "series")},
        "queries": len(queries), "seconds": round(time.perf_counter() - t0, 1),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def make_queries(rows: list[dict], seed: int, n: int = 60) -> list[dict]:
    """A fixed query mix: codes as typed, subject phrases with and without diacritics, issuers.
    `expect` holds the letters that must be among the hits (by gid)."""
    rng = random.Random(f"{seed}:queries")
    signed = [r for r in rows if r["number"] and r["relation"] is None]
    fold_once = cache(fold)  # subjects repeat: a series, a template, copies
    folded = [(x["gid"], fold_once(x["subject"] or "")) for x in rows]
    out: list[dict] = []
    for i in range(n):
        r = rng.choice(signed)
        kind = ("code", "phrase", "folded", "issuer", "words")[i % 5]
        if kind == "code":
            q, expect = r["code"], [x["gid"] for x in rows if x["code"] == r["code"]]
        elif kind in ("phrase", "folded"):
            words = r["subject"].split()
            k = min(len(words), rng.randint(3, 5))
            at = rng.randrange(max(1, len(words) - k + 1))
            phrase = " ".join(words[at: at + k]).strip(",;.")
            q = phrase if kind == "phrase" else fold(phrase)
            # every letter whose subject holds the phrase counts as a right answer
            fphrase = fold(phrase)
            expect = [gid for gid, subject in folded if fphrase in subject]
        elif kind == "issuer":
            q, expect = r["issuer"]["name"].lower(), []
        else:
            words = [w.strip(",.;:") for w in r["subject"].split() if len(w) > 3]
            q, expect = " ".join(rng.sample(words, min(2, len(words)))), []
        out.append({"kind": kind, "query": q, "expect": expect})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--pdf", type=int, default=0, help="how many letters also as PDF")
    args = ap.parse_args(argv)
    manifest = generate(args.out, args.docs, args.seed, args.pdf, progress=True)
    print(json.dumps(manifest, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
