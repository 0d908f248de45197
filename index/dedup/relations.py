"""The relation of a new document to a stored one: duplicate, near-duplicate, series,
conflict or none (the rules are listed in index/dedup/__init__.py)."""
from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from index.dedup.config import DedupConfig
from index.dedup.models import Match, Signature
from index.dedup.signatures import fold_words
from nlp.codes import code_key, parse_code
from nlp.models import Record
from nlp.places import body_place, clean_place, province, slug


def _year(rec: Record) -> str | None:
    if rec.issued_date:
        return rec.issued_date[:4]
    parsed = parse_code(rec.code) if rec.code else None
    return str(parsed.year) if parsed and parsed.year else None


def _is_ocr(rec: Record) -> bool:
    return (rec.source or {}).get("method") in ("ocr", "mixed")


def same_code(a: Record, b: Record) -> bool | None:
    """True: same number, symbol and year. False: another number or year. None: unknown."""
    if not a.code or not b.code:
        return None
    ka, kb = code_key(a.code), code_key(b.code)
    ya, yb = _year(a), _year(b)
    if ya and yb and ya != yb:
        return False  # even a draft with a blank number: another year is another letter
    if not (a.number and b.number):
        return None
    if ka == kb:
        return True
    # An OCR'd header misreads a character now and then; one edit is the same code.
    if (_is_ocr(a) or _is_ocr(b)) and Levenshtein.distance(ka, kb) <= 1:
        return True
    return False


def _similar_names(a: str | None, b: str | None, cutoff: float) -> bool | None:
    if not a or not b:
        return None
    return fuzz.token_set_ratio(" ".join(fold_words(a)), " ".join(fold_words(b))) >= cutoff * 100


# Stamps printed over or under the issuer (Nghị định 30/2020, Điều 8 and 15: `DỰ THẢO`, the
# urgency marks `HỎA TỐC`, `THƯỢNG KHẨN`, `KHẨN`, the secrecy marks `TUYỆT MẬT`, `TỐI MẬT`, `MẬT`)
# say how a letter travels, not who wrote it: a header read with one glued to the issuer's name
# still names the same body. Words as `fold_words` gives them, longest first.
_STAMPS = (("dự", "thảo"), ("hỏa", "tốc"), ("thượng", "khẩn"), ("tuyệt", "mật"), ("tối", "mật"),
           ("khẩn",), ("mật",))


def _without_stamps(words: list[str]) -> list[str]:
    """The name's words without the stamps glued to either end (`BAN TUYÊN GIÁO DỰ THẢO`,
    `DỰ THẢO LẦN 2`); a stamp word inside a name stays."""
    changed = True
    while changed and words:
        changed = False
        if len(words) >= 2 and words[-2] == "lần" and words[-1].isdigit():
            words, changed = words[:-2], True  # `DỰ THẢO LẦN 2`
        elif words[-1].isdigit() and len(words) >= 3 and tuple(words[-3:-1]) == ("dự", "thảo"):
            words, changed = words[:-1], True  # `DỰ THẢO 2`
        for stamp in _STAMPS:
            k = len(stamp)
            if tuple(words[-k:]) == stamp and len(words) >= k:
                words, changed = words[:-k], True
                break
            if tuple(words[:k]) == stamp:
                words, changed = words[k:], True
                if words[:1] == ["lần"] and words[1:2] and words[1].isdigit():
                    words = words[2:]  # `DỰ THẢO LẦN 3` over the issuer
                break
    return words


def _draft_code(a: Record, b: Record, codes: tuple[str, str]) -> bool:
    """A draft's blank number lets the line under the `Số` line run into its symbol
    (`/SNV-CCVC` + `Cao` …): the one code then starts with the other."""
    blank = not a.number or not b.number
    short, long = sorted(codes, key=len)
    return blank and len(short) >= 2 and long.startswith(short)


def same_issuer(a: Record, b: Record) -> bool | None:
    """Issuer codes are shared by many bodies (every district committee signs `/HU`) and
    names by few (Sở and Bộ Giáo dục differ in one word): both must agree when both are known.
    Header stamps glued to a name are not part of it."""
    codes = (a.issuer.code or "").upper(), (b.issuer.code or "").upper()
    if all(codes) and codes[0] != codes[1]:
        if not ((_is_ocr(a) or _is_ocr(b)) and Levenshtein.distance(*codes) <= 1) and not _draft_code(a, b, codes):
            return False
    na, nb = (" ".join(_without_stamps(fold_words(n or ""))) for n in (a.issuer.name, b.issuer.name))
    if na and nb:
        return fuzz.ratio(na, nb) >= 85
    return True if all(codes) else None


def seat(rec: Record) -> str | None:
    """The province where the issuing body sits, as a slug: the one its own name or the line
    above it names (`UBND TỈNH BẮC NINH` over `SỞ Y TẾ`), else the date line's. Every province has
    a `SỞ Y TẾ`: the name alone does not tell two bodies apart. Only places of the register count,
    so a garbled header (`XÃ H Ộ I`) gives no seat rather than a wrong one."""
    for name in (rec.issuer.name, rec.issuer.parent):
        level, place = body_place(name)
        known = province(place) if level == "province" and place else None
        if known:
            return slug(known)
    known = province(clean_place(rec.place))
    return slug(known) if known else None


def same_body(a: Record, b: Record) -> bool | None:
    """`same_issuer`, and two known seats must be one place. An OCR'd header misreads names
    and places, so for OCR the seats are not compared."""
    issuer = same_issuer(a, b)
    if issuer is False or _is_ocr(a) or _is_ocr(b):
        return issuer
    sa, sb = seat(a), seat(b)
    if sa and sb and sa != sb:
        return False
    return issuer


def body_similarity(a: Signature, b: Signature, cutoff: float = 0.0) -> float:
    if not a.body or not b.body:
        return 0.0
    return fuzz.ratio(a.body, b.body, score_cutoff=cutoff * 100) / 100


def relate(new: Record, new_sig: Signature, old: Record, old_sig: Signature, cfg: DedupConfig,
           sim: float | None = None) -> Match | None:
    """The relation of `new` to `old`, or None when they are unrelated. `sim`: the body
    similarity when already known (the benchmark's threshold sweep)."""
    if new_sig.exact == old_sig.exact:
        return Match(old.id, "duplicate", 1.0)
    codes = same_code(new, old)
    if sim is None:
        sim = body_similarity(new_sig, old_sig, min(cfg.series, cfg.near))
    issuer = same_body(new, old)
    # Two bodies' letters on one template (the same decision from each Sở of a province, or from
    # one Sở of two provinces) are not copies of each other, even when one has a blank number.
    # An OCR'd copy may garble its header, so there only the codes speak.
    if sim >= cfg.near and codes is not False and (issuer is not False or _is_ocr(new) or _is_ocr(old)):
        return Match(old.id, "near-duplicate", round(sim, 4))
    if codes is True and issuer is not False:
        # Same code, year and issuer, different text: one of them is wrong, or a number was reused.
        return Match(old.id, "conflict", round(sim, 4))
    if codes is False and issuer is not False:
        subjects = _similar_names(new.subject, old.subject, cfg.subject)
        # With a subject unread, only the body speaks: ask more of it.
        floor = cfg.series if subjects is True else max(cfg.series, cfg.series_unread)
        if subjects is not False and sim >= floor:
            return Match(old.id, "series", round(sim, 4))
    return None
