"""Letters, not files: copies of one letter (duplicates and near-duplicates found by
`index.dedup`) shown as one entry with the others folded under it.

A *letter* is a connected group of documents joined by `duplicate` or `near-duplicate`
relations (never `series` or `conflict`: those are other letters). One member represents
it: the fullest record (a text layer over OCR, more header fields read, the header's own
capitals, a full date, the official PDF/DOCX over a plain-text copy), ties broken by id, so
the choice is the same on every run and every machine. The others are its copies.

Also here: facet values grouped case- and diacritic-insensitively, and references of one
record counted per cited document (for the text views).
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from nlp.codes import code_key
from nlp.models import Record
from text.fold import fold

COPY_RELATIONS = ("duplicate", "near-duplicate")
_METHOD_RANK = {"text": 2, "mixed": 1, "ocr": 0}
_OFFICIAL_FORMATS = ("pdf", "docx")


def fullness(rec: Record) -> tuple:
    """Sort key, larger = fuller record; the id last so ties are settled the same way always."""
    issuer, signer = rec.issuer, rec.signer
    fields = [rec.code, rec.number, rec.doc_type, rec.issued_date, rec.place, issuer.name, issuer.parent,
              issuer.code, rec.subject, rec.recipients, signer.name, signer.position, signer.authority]
    src = rec.source or {}
    return (_METHOD_RANK.get(src.get("method") or "", 0),
            sum(1 for f in fields if f),
            int(is_header_form(issuer.name or "")),
            len(rec.issued_date or ""),
            int((src.get("format") or "") in _OFFICIAL_FORMATS),
            _neg(rec.id))


def _neg(text: str) -> tuple[int, ...]:
    # the smallest id wins a tie: negate its characters so that max() picks it
    return tuple(-ord(c) for c in text)


def is_header_form(name: str) -> bool:
    """A name printed in capitals, as the left header column prints the issuing body."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


@dataclass
class Copy:
    id: str
    path: str | None
    relation: str
    similarity: float | None

    def to_dict(self) -> dict:
        return {"id": self.id, "path": self.path, "relation": self.relation, "similarity": self.similarity}


@dataclass
class Letters:
    """The copy groups of an archive: who represents each group and the copies under it."""

    rep: dict[str, str] = field(default_factory=dict)          # member id -> representative id
    copies: dict[str, list[Copy]] = field(default_factory=dict)  # representative id -> its copies
    paths: dict[str, str | None] = field(default_factory=dict)  # member id -> the path that brought it

    @classmethod
    def load(cls, db: sqlite3.Connection, record: Callable[[str], Record | None] | None = None) -> Letters:
        """The groups of the catalog DB; members are read with RECORD, or by default their
        header fields only (the texts are not needed to choose a representative)."""
        rows = db.execute(
            "SELECT x.id, x.of, x.relation, x.similarity FROM duplicates x "
            "JOIN documents a ON a.id = x.id JOIN documents b ON b.id = x.of "
            f"WHERE x.id != x.of AND x.relation IN ({','.join('?' * len(COPY_RELATIONS))}) "
            "ORDER BY x.id, x.of", COPY_RELATIONS).fetchall()
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        links: dict[frozenset, tuple[str, float | None]] = {}
        for a, b, relation, sim in rows:
            parent[find(a)] = find(b)
            pair = frozenset((a, b))
            old = links.get(pair)
            if old is None or (relation == "duplicate" and old[0] != "duplicate"):
                links[pair] = (relation, sim)
        groups: dict[str, list[str]] = {}
        for x in list(parent):
            groups.setdefault(find(x), []).append(x)
        paths = dict(db.execute("SELECT id, path FROM dedup_signatures").fetchall()) if _has_table(
            db, "dedup_signatures") else {}
        heads = _headers(db, list(parent)) if record is None else {}
        out = cls()
        for members in groups.values():
            found = (heads.get(i) if record is None else record(i) for i in sorted(members))
            recs = [r for r in found if r is not None]
            if len(recs) < 2:
                continue
            best = max(recs, key=fullness)
            for r in recs:
                out.rep[r.id] = best.id
                out.paths[r.id] = paths.get(r.id) or (r.source or {}).get("path")
            out.copies[best.id] = [
                Copy(r.id, out.paths[r.id], *_link(links, best.id, r.id, members))
                for r in sorted(recs, key=fullness, reverse=True) if r.id != best.id]
        return out

    def representative(self, doc_id: str) -> str:
        return self.rep.get(doc_id, doc_id)

    def hidden(self) -> frozenset[str]:
        """Every copy that is not its letter's representative (computed once: every search asks)."""
        cached = self.__dict__.get("_hidden")
        if cached is None or cached[0] != len(self.rep):
            cached = self.__dict__["_hidden"] = (len(self.rep), frozenset(i for i, r in self.rep.items() if i != r))
        return cached[1]

    def fold_docs(self, docs: list[dict]) -> list[dict]:
        """One entry per letter, at the place of its first member in the list; the entry is the
        representative's when it is in the list (the first member's otherwise), with the
        letter's other copies in `copies`, and in a tree the children of all its members.
        Entries of documents without copies are left as they are."""
        order: list[tuple[str, object]] = []
        members: dict[str, list[dict]] = {}
        for d in docs:
            group = self.rep.get(d.get("id")) if d.get("id") else None
            if group is None:
                order.append(("doc", d))
                continue
            if group not in members:
                members[group] = []
                order.append(("letter", group))
            members[group].append(d)
        out: list[dict] = []
        for kind, item in order:
            if kind == "doc":
                out.append(item)
                continue
            group = str(item)
            found = members[group]
            shown = next((d for d in found if d["id"] == group), found[0])
            entry = dict(shown)
            if "children" in shown:
                entry["children"] = [c for d in [shown] + [d for d in found if d is not shown] for c in d["children"]]
            entry["copies"] = self.copies_of(shown["id"])
            out.append(entry)
        return out

    def copies_of(self, doc_id: str) -> list[dict]:
        """The letter's other copies, seen from DOC_ID (its representative first when DOC_ID is a copy)."""
        group = self.representative(doc_id)
        out = [c.to_dict() for c in self.copies.get(group, []) if c.id != doc_id]
        if group != doc_id:
            own = next((c for c in self.copies.get(group, []) if c.id == doc_id), None)
            out.insert(0, {"id": group, "path": self.paths.get(group), "relation": own.relation if own else
                           "near-duplicate", "similarity": own.similarity if own else None})
        return out

    def fold_tree(self, node: dict) -> dict:
        """A trace tree with the copies among each node's children shown once."""
        node["children"] = [self.fold_tree(c) for c in self.fold_docs(node.get("children", []))]
        return node


def _link(links: dict, rep: str, other: str, members: list[str]) -> tuple[str, float | None]:
    """How a copy relates to its representative: their own link, else through the group
    (a duplicate only when every link of the group is exact; the copy's best similarity)."""
    direct = links.get(frozenset((rep, other)))
    if direct is not None:
        return direct
    inside = {k: v for k, v in links.items() if k <= set(members)}
    exact = all(r == "duplicate" for r, _ in inside.values())
    sims = [s for k, (_, s) in inside.items() if other in k and s is not None]
    return ("duplicate" if exact else "near-duplicate"), (max(sims) if sims else None)


def _headers(db: sqlite3.Connection, ids: list[str]) -> dict[str, Record]:
    """Records without their texts and references: SQLite drops those before Python parses
    the JSON, which keeps the cost per copy small in an archive of many copies."""
    out: dict[str, Record] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        rows = db.execute("SELECT id, json_remove(record, '$.text', '$.references') FROM documents "
                          f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        for doc_id, head in rows:
            d = json.loads(head)
            d["text"] = ""
            out[doc_id] = Record.from_dict(d)
    return out


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


# -- facets -------------------------------------------------------------------------------
@lru_cache(maxsize=8192)  # the same issuers and types come back in every search's facets
def _group_key(value: str) -> str:
    return " ".join(fold(value).split())


def group_facet(counts: dict[str, int], prefer_header: bool = False) -> dict[str, int]:
    """Counts of values that differ only in case, diacritics or spacing added together, under
    the form most documents print (with `prefer_header`, a form in capitals first: that is
    how the header prints the body; the same name in running text is a mention of it)."""
    groups: dict[str, Counter] = {}
    for value, n in counts.items():
        groups.setdefault(_group_key(value), Counter())[value] += n
    out: dict[str, int] = {}
    for forms in groups.values():
        best = max(forms, key=lambda v: (prefer_header and is_header_form(v), forms[v], _neg(v)))
        out[best] = out.get(best, 0) + sum(forms.values())
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def group_facets(facets: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    out = dict(facets)
    if "issuer" in out:
        out["issuer"] = group_facet(out["issuer"], prefer_header=True)
    if "doc_type" in out:
        out["doc_type"] = group_facet(out["doc_type"])
    return out


# -- references, once per cited document ----------------------------------------------------
_SPACE = re.compile(r"\s+")


def cited_once(references: Iterable[dict]) -> list[dict]:
    """The references of one record, one entry per cited document (by its code, or by its
    words when it has none), in order of first mention, with `mentions` counted and the first
    date any mention gives."""
    out: list[dict] = []
    at: dict[str, dict] = {}
    for ref in references:
        key = code_key(ref["code"]) if ref.get("code") else "text:" + _SPACE.sub(" ", fold(ref.get("text") or ""))
        entry = at.get(key)
        if entry is None:
            entry = at[key] = {**ref, "mentions": 0}
            out.append(entry)
        entry["mentions"] += 1
        for name in ("date", "doc_type", "issuer"):
            if not entry.get(name) and ref.get(name):
                entry[name] = ref[name]
    return out
