"""Whether an issuing body is one of a letter's addressees (`Kính gửi`): the question behind
"answered by one of its recipients" (index/office/_answers.py).

Both sides are read the same way: folded (no diacritics, any case or tone placement), the
abbreviations of the authority register spelled out (`UBND` ⇄ `Ủy ban nhân dân`), a trailing
place phrase (`tỉnh Nghệ An`, `huyện Diễn Châu`) split off the body's kind. A recipient names
a body when the kinds are equal and the place it names (if any) is the body's own; a
collective recipient (`Các sở, ban, ngành`, `UBND các huyện, thị xã`) names every body of the
kinds it lists; `các cơ quan, đơn vị` names any body.
"""
from __future__ import annotations

import re
from functools import lru_cache

from nlp.registry import issuer_forms
from text.fold import fold

# `Kính gửi: - Đồng chí …`, list dashes, the honorifics before a body's name
_LEAD = re.compile(r"^(?:kinh gui|dong chi|d/c|đ/c)\b\s*:?\s*", re.I)
# a place phrase at the end of a body's name: the unit word and the name after it
_PLACE = re.compile(r"^(?P<core>.+?)\s+(?P<unit>tinh|thanh pho|tp|huyen|quan|thi xa|thi tran|xa|phuong)\s+"
                    r"(?P<place>\S.*)$")
# collective words that name any body
_TRAILING_UNIT = re.compile(r"\s+(?:tinh|thanh pho|tp|huyen|quan|thi xa|xa|phuong)$")
_ANY_BODY = {"co quan", "don vi", "dia phuong", "to chuc"}


@lru_cache(maxsize=65536)  # an office writes to the same few bodies again and again
def _norm(text: str, keep_lists: bool = False) -> str:
    """Folded, punctuation to spaces (a hyphen too: `Lao động - Thương binh`), one space;
    with `keep_lists`, the commas and semicolons that separate a collective's kinds stay."""
    s = fold(text or "")
    s = re.sub(r"[^\w/,;]+" if keep_lists else r"[^\w/]+", " ", s).strip(" ,;")
    s = " ".join(s.split())
    prev = None
    while prev != s:
        prev, s = s, _LEAD.sub("", s).strip()
    return s


def _split(name: str) -> tuple[str, str | None]:
    """(kind, place) of a folded body name: `so y te tinh nghe an` → (`so y te`, `nghe an`)."""
    m = _PLACE.match(name)
    if m is None:
        return name, None
    return m.group("core"), m.group("place")


@lru_cache(maxsize=16384)
def body_forms(name: str | None, parent: str | None = None,
               code: str | None = None) -> tuple[tuple[str, str, str | None], ...]:
    """Every (kind, place) under which a body may be addressed: its name as printed and with
    abbreviations spelled out, alone and with the body above it (`Ban Tuyên giáo` under
    `Tỉnh ủy Nghệ An`: `ban tuyen giao`, place `uy nghe an` as the recipient's words split the same)."""
    out: list[tuple[str, str, str | None]] = []
    names = [f for f in issuer_forms(name, code) if f and f != code] if name else []
    parents = [f for f in issuer_forms(parent) if f] if parent else []
    for n in names:
        for full in [n] + [f"{n} {p}" for p in parents]:
            whole = _norm(full)
            form = (whole, *_split(whole))
            if whole and form not in out:
                out.append(form)
    return tuple(out)


def _places_of(forms: tuple[tuple[str, str, str | None], ...]) -> set[str]:
    return {p for _, _, p in forms if p}


def _collective(recipient: str) -> tuple[str, list[str]] | None:
    """(`uy ban nhan dan`, [`huyen`, `thi xa`, `thanh pho`]) for `UBND các huyện, thị xã, thành phố`;
    None when the recipient names one body."""
    m = re.match(r"^(?:(?P<head>.*?)\s+)?cac\s+(?P<kinds>.+)$", recipient)
    if m is None:
        return None
    kinds = [k.strip() for k in re.split(r",|\bva\b|/|;", m.group("kinds")) if k.strip()]
    head = (m.group("head") or "").replace(",", " ").replace(";", " ")
    return " ".join(head.split()), kinds


def addressed_to(recipients: list[str], name: str | None, parent: str | None = None,
                 code: str | None = None, place: str | None = None) -> bool:
    """Whether the body (`name` under `parent`, authority `code`, sitting in `place` when
    known) is among `recipients`. Never guesses from a person's name or title."""
    forms = body_forms(name, parent, code)
    if not forms:
        return False
    kinds = {k for _, k, _ in forms}
    places = _places_of(forms) | ({_norm(place)} if place else set())
    for raw in recipients or []:
        r = _norm(raw)
        if not r:
            continue
        group = _collective(_norm(raw, keep_lists=True))
        if group is not None:
            head, listed = group
            if any(k in _ANY_BODY for k in listed):
                return True
            wanted = {k for k in listed} | {_TRAILING_UNIT.sub("", k) for k in listed}
            for whole, _, _ in forms:
                rest = whole[len(head):].strip() if (not head or whole.startswith(head + " ")) else None
                if rest and any(rest == k or rest.startswith(k + " ") for k in wanted if k):
                    return True
            continue
        kind, where = _split(r)
        if kind in kinds and (where is None or where in places):
            return True
    return False
