"""Citers of a much-cited document answered in groups a person can read.

A directive such as Kết luận 57 or Nghị định 30 is cited by a large share of an archive:
thousands of letters. `trace` and `cited-by` then answer with the citers grouped by where
they come from (the province of the issuing body, else the central level), each group with
its count, its issuers (with counts) and its date range, and one page of each group. A group
is paged on its own (`group`, `limit`, `offset`). A node with few citers keeps the plain list.

Pure functions over ref-doc entries (SCHEMA.md) and a `where` function giving the group of a
document id; nothing here reads the catalog.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nlp.places import PROVINCES_2025, PROVINCES_BEFORE_2025, slug
from text.fold import fold

# More direct citers than one screen holds: answer grouped (fewer keep the plain list).
GROUP_OVER = 30
# Entries shown of each group in a grouped answer, and of one group asked by `--group`.
FIRST_PAGE = 3
GROUP_PAGE = 20
CENTRAL = "trung-uong"
CENTRAL_NAME = "Trung ương, bộ, ngành (không thuộc tỉnh, thành phố)"
_NAMES = {slug(p): p for p in PROVINCES_BEFORE_2025 + PROVINCES_2025}


@dataclass(frozen=True)
class Paging:
    """What the user asked of a long list: one group, a page size, a start, or everything."""
    group: str | None = None
    limit: int | None = None
    offset: int = 0
    all: bool = False

    def plain(self, total: int) -> bool:
        """Whether the answer keeps the plain shape (every entry, no `groups`)."""
        return self.all or (self.group is None and self.limit is None and self.offset == 0
                            and total <= GROUP_OVER)

    def page_size(self) -> int:
        if self.limit is not None:
            return max(0, self.limit)
        return GROUP_PAGE if self.group is not None else FIRST_PAGE


def group_id(place: str | None, province: str | None) -> str:
    """The group of an issuing body: its province (slug, as `doc_places` stores it), else its
    own place (a district whose province the letter does not say), else the central level."""
    return province or place or CENTRAL


def group_name(group: str) -> str:
    """The group as a person reads it: `hung-yen` → `Hưng Yên`."""
    if group == CENTRAL:
        return CENTRAL_NAME
    return _NAMES.get(group) or group.replace("-", " ").title()


def _match(asked: str, groups: list[str]) -> str | None:
    """The group a user typed: its slug or its name, in any case, with or without diacritics."""
    want = slug(asked) if asked.strip() else ""
    for g in groups:
        if want in (g, slug(group_name(g))):
            return g
    folded = fold(asked).strip()
    hits = [g for g in groups if folded and folded in fold(group_name(g))]
    return hits[0] if len(hits) == 1 else None


def summary(group: str, entries: list[dict]) -> dict:
    """A group's count, date range and issuers (most letters first, each with count and range)."""
    days_of: dict[str, list[str | None]] = {}  # issuer → the dates of its letters
    for e in entries:
        name = e.get("issuer") or "(không rõ)"
        days = days_of.get(name)
        if days is None:
            days_of[name] = [e.get("issued_date")]
        else:
            days.append(e.get("issued_date"))
    issuers = []
    for name, days in days_of.items():
        known = [d for d in days if d]
        issuers.append((name, len(days), min(known) if known else None, max(known) if known else None))
    issuers.sort(key=lambda v: (-v[1], v[0]))
    firsts = [lo for _, _, lo, _ in issuers if lo]
    lasts = [hi for _, _, _, hi in issuers if hi]
    return {"group": group, "name": group_name(group), "count": len(entries),
            "first_date": min(firsts) if firsts else None, "last_date": max(lasts) if lasts else None,
            "issuers": [{"issuer": name, "count": n, "first_date": lo, "last_date": hi}
                        for name, n, lo, hi in issuers]}


def split(entries: list[dict], where: Callable[[str | None], str]) -> dict[str, list[dict]]:
    """Entries by group, groups with the most entries first (of equals, by name); each group
    keeps the entries' order."""
    groups: dict[str, list[dict]] = {}
    for e in entries:
        g = where(e.get("id"))
        rows = groups.get(g)
        if rows is None:
            groups[g] = [e]
        else:
            rows.append(e)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), fold(group_name(kv[0])))))


def paged(entries: list[dict], paging: Paging,
          where: Callable[[str | None], str]) -> tuple[list[dict], list[dict]] | None:
    """(entries shown, group summaries) of a grouped answer, or None for the plain answer.
    Each shown entry carries its `group`; each summary its page (`offset`, `limit`, `shown`).
    An asked group that does not exist gives no entries and no groups."""
    if paging.plain(len(entries)):
        return None
    groups = split(entries, where)
    size, start = paging.page_size(), max(0, paging.offset)
    if paging.group is not None:
        chosen = _match(paging.group, list(groups))
        groups = {chosen: groups[chosen]} if chosen is not None else {}
    shown: list[dict] = []
    out: list[dict] = []
    for g, rows in groups.items():
        page = rows[start:start + size]
        shown += [dict(e, group=g) for e in page]
        out.append(dict(summary(g, rows), offset=start, limit=size, shown=len(page)))
    return shown, out
