"""The citation graph of an archive: who cites whom, resolved at query time.

Every reference is a row of the catalog's `refs` table, keyed by its canonical key (SCHEMA.md:
code, `@year` where the code carries none, `#place` for local authorities). A node is an
archived document when a document with that key is in the catalog, else a document "known
only by citation", described by what its citations say (type, date, issuer, wording).

Resolution happens here, when a question is asked, not when the citing letter is stored: a
citation with a date points at its key exactly; one without a date carries the citing
letter's year as an upper bound and resolves to the latest archived or known document of that
code (and place) issued in or before that year. So a document ingested later takes over its
incoming edges at once, and nobody re-ingests the letters that cite it.

Besides `cites`, an edge may be `replaces`, `amends`, `repeals`, `guides` (or their passive
`…_by` forms), as `index.citations.relation_of` read them from the text, and `forwards`: a
cover letter (part 0 of a file) forwards the documents after it in the same file.
"""
from __future__ import annotations

import gc
import heapq
import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from index.citations import place_named
from index.citer_groups import Paging, group_id, paged
from nlp.codes import canonical_key, code_key

DOC_COLS = "id, key, code, doc_type, issued_date, issuer, subject, sha256, part"
DOC_COLS_D = ", ".join(f"d.{c}" for c in DOC_COLS.split(", "))
# A family needs only these of its documents (resolution); `CitationGraph.doc` reads the rest
# for the few shown: reading whole rows (~3 KB each at 100k) was most of a trace's time.
FAM_DOC_COLS = "id, key, issued_date"
FAM_DOC_COLS_D = ", ".join(f"d.{c}" for c in FAM_DOC_COLS.split(", "))
REF_COLS = "r.src, r.ord, r.key, r.code, r.doc_type, r.date, r.issuer, r.relation"
REF_FROM = "refs r"
_YEAR_IN_CODE = re.compile(r"^\d*[A-Za-z]?/(?:19|20)\d\d/")
_TOP = "\U0010ffff"
# A part 0 that says it sends something along is a cover letter for the parts after it.
_COVER = re.compile(r"gửi\s+kèm|kèm\s+theo|sao\s+gửi|bản\s+(?:pho\s*-?\s*tô|photo|sao)|chuyển\s+tiếp|xin\s+gửi", re.I)
RELATION_RANK = {"forwards": 0, "replaces": 1, "amends": 2, "repeals": 3, "guides": 4}


@contextmanager
def _acyclic() -> Iterator[None]:
    """While a directive's ten thousand citers are read and grouped: rows, tuples and dicts
    that reference counting frees, none in a cycle. The cyclic collector would walk them all
    several times and free nothing (a third of a grouped answer's CPU at 100k documents)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def _forgetting(graph: CitationGraph) -> Iterator[None]:
    """`_acyclic`, the graph's caches dropped before the collector is back: it would otherwise
    walk a directive's ten thousand cached rows once more, for nothing (~17 ms at 100k)."""
    with _acyclic():
        try:
            yield
        finally:
            graph.forget()


def split_key(key: str) -> tuple[str, int | None, str | None]:
    """`57-KL/TW@2023` → (`57-KL/TW`, 2023, None); `1337-CV/BTGTU@2024#hung-yen` → (…, 2024, `hung-yen`)."""
    rest, _, place = key.partition("#")
    code, _, year = rest.partition("@")
    return code, (int(year) if year.isdigit() else None), (place or None)


def join_key(code: str, year: int | None, place: str | None) -> str:
    return code + (f"@{year}" if year is not None else "") + (f"#{place}" if place else "")


def _code_has_year(code: str) -> bool:
    """`30/2020/NĐ-CP` carries its year (only the state form `số/năm/…` does; see nlp.codes)."""
    return bool(_YEAR_IN_CODE.match(code))


def _key_code(key: str) -> str:
    return key.split("#", 1)[0].split("@", 1)[0]


def _needs_family(ref: sqlite3.Row) -> bool:
    """Whether a citation's target depends on what else the archive holds of its code: an
    undated one (latest issued up to the citing year), or one whose place was guessed."""
    key = ref["key"]
    date = ref["date"]
    if "#" in key and not place_named(ref["issuer"]):
        return True
    if date and date[:4].isdigit():
        return False
    return not _code_has_year(_key_code(key))


def _in_key_order(docs: Iterable[sqlite3.Row]) -> list[sqlite3.Row]:
    """A family's documents in the order the `documents_key` scan gives (key, rowid): of equally
    dated copies, the one `Archive.get` picks stays first."""
    return sorted(docs, key=lambda d: (d["key"], d["rowid"]))


def primary_relation(relations: Iterable[str]) -> str:
    """The one relation to show for several mentions: a stated relation beats a plain citation."""
    rels = sorted(set(relations), key=lambda r: RELATION_RANK.get(r, 9 if r == "cites" else 5))
    return rels[0] if rels else "cites"


@dataclass
class Family:
    """Everything the archive holds about one code (all years, all places): the documents
    with that code and every citation of it. Resolution is decided inside a family."""
    code: str
    docs: list[sqlite3.Row] = field(default_factory=list)
    refs: list[sqlite3.Row] = field(default_factory=list)
    province_of: Callable[[str | None], str | None] = field(default=lambda place: None)
    where_of: Callable[[str], tuple[str | None, str | None]] = field(default=lambda doc_id: (None, None))

    def __post_init__(self) -> None:
        self.code_has_year = _code_has_year(self.code)
        self.docs_by_key: dict[str, list[sqlite3.Row]] = defaultdict(list)
        years: dict[str | None, set[int | None]] = defaultdict(set)
        # What is known for sure of each place: archived documents, and citations whose `của …`
        # names the place. A citation whose place was guessed may move to one of these.
        evidence: dict[str | None, set[int | None]] = defaultdict(set)
        for d in self.docs:
            self.docs_by_key[d["key"]].append(d)
            _, y, p = split_key(d["key"])
            years[p].add(y)
            evidence[p].add(y)
        self._guessed: dict[tuple[str, int], bool] = {}
        for r in self.refs:
            if self._dated(r) or self.code_has_year:
                _, y, p = split_key(r["key"])
                years[p].add(y)
                if p is not None and not self.guessed(r):
                    evidence[p].add(y)
        self.years = years
        self.evidence = evidence
        self._resolved: dict[tuple[str, int], str] = {}
        for rows in self.docs_by_key.values():  # the latest issued first, as `Archive.get` picks
            rows.sort(key=lambda d: d["issued_date"] or "", reverse=True)

    def _dated(self, ref: sqlite3.Row) -> bool:
        return bool(ref["date"] and ref["date"][:4].isdigit())

    def guessed(self, ref: sqlite3.Row) -> bool:
        """Whether the place in a citation's key is a guess (its `của …` names no place)."""
        return not place_named(ref["issuer"])

    def resolve(self, ref: sqlite3.Row) -> str:
        """The key of the node a citation points at."""
        memo = (ref["src"], ref["ord"])
        key = self._resolved.get(memo)
        if key is None:
            key = self._resolved[memo] = self._resolve(ref)
        return key

    def _resolve(self, ref: sqlite3.Row) -> str:
        key = ref["key"]
        code, _, place = split_key(key)
        if place is not None and self.guessed(ref):
            # A local code whose place was guessed: the place itself if anything is known
            # there, else the closest place that has the document (the citing letter's
            # province, then one other place of that province), else the guess.
            for alt in [place, *self._nearby(ref, place)]:
                found = self._at(ref, alt, self.evidence)
                if found is not None:
                    return found
        found = self._at(ref, place, self.years)
        return key if found is None else found

    def _at(self, ref: sqlite3.Row, place: str | None, known_years: dict) -> str | None:
        """The key at `place` that the citation resolves to, if `known_years` knows one."""
        code, year, _ = split_key(ref["key"])
        known = known_years.get(place)
        if not known:
            return None
        if self.code_has_year or self._dated(ref):
            return join_key(code, year, place) if year in known else None
        dated = [y for y in known if y is not None and (year is None or y <= year)]
        if dated:
            return join_key(code, max(dated), place)
        if None in known:  # an archived document whose own date is missing
            return join_key(code, None, place)
        return None

    def _nearby(self, ref: sqlite3.Row, place: str) -> list[str]:
        src_place, src_province = self.where_of(ref["src"])
        province = src_province or self.province_of(src_place or place)
        if not province:
            return []
        out = [province] if province != place else []
        same = [p for p in self.evidence if p and p not in (place, province) and self.province_of(p) == province]
        return out + (same if len(same) == 1 else [])  # two districts with that letter: no guessing

    def nodes(self) -> set[str]:
        return set(self.docs_by_key) | {self.resolve(r) for r in self.refs}


class CitationGraph:
    """Queries over one catalog connection. Cheap to make; make one per question so that
    what was ingested since is seen."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self._families: dict[str, Family] = {}
        self._code_refs: dict[str, list[sqlite3.Row]] = {}
        self._code_docs: dict[str, list[sqlite3.Row]] = {}
        self._docs: dict[str, sqlite3.Row | None] = {}
        self._provinces: dict[str, str | None] = {}
        self._all_provinces = False
        self._wheres: dict[str, tuple[str | None, str | None]] = {}
        self._all_wheres = False
        self._groups: dict[str, str] = {}  # citer id → its group, as `lean` read them

    def forget(self) -> None:
        """Drop what was read (the next question reads afresh)."""
        for cache in (self._families, self._code_refs, self._code_docs, self._docs, self._provinces,
                      self._wheres, self._groups):
            cache.clear()
        self._all_provinces = self._all_wheres = False

    def where_of(self, doc_id: str) -> tuple[str | None, str | None]:
        """(place, province) of a document's issuing body, as `index.citations` stored them."""
        if doc_id not in self._wheres and not self._all_wheres:
            row = self.db.execute("SELECT place, province FROM doc_places WHERE id = ?", (doc_id,)).fetchone()
            self._wheres[doc_id] = (row[0], row[1]) if row else (None, None)
        return self._wheres.get(doc_id, (None, None))

    def province_of(self, place: str | None) -> str | None:
        """The province a place lies in, as the archive's own letters say (`HUYỆN ỦY X` under
        `TỈNH ỦY Y`): the province most of its documents name, of equals the first by name.
        Asked per place (a trace meets a few places; reading the whole register cost ~200 ms
        at 100k documents), or read at once by `_load_provinces` when most places are needed."""
        if not place:
            return None
        if place not in self._provinces and not self._all_provinces:
            votes: Counter = Counter()
            for prov, n in self.db.execute(
                    "SELECT province, count(*) FROM doc_places WHERE place = ? AND province IS NOT NULL "
                    "GROUP BY province ORDER BY province", (place,)):
                votes[prov] = n
            self._provinces[place] = votes.most_common(1)[0][0] if votes else None
        return self._provinces.get(place)

    def _load_provinces(self) -> None:
        """The whole register in one read, for questions over the whole graph."""
        votes: dict[str, Counter] = defaultdict(Counter)
        for p, prov, n in self.db.execute(
                "SELECT place, province, count(*) FROM doc_places WHERE province IS NOT NULL "
                "AND place IS NOT NULL GROUP BY place, province ORDER BY place, province"):
            votes[p][prov] += n
        self._provinces = {p: c.most_common(1)[0][0] for p, c in votes.items()}
        self._all_provinces = True

    # -- loading -------------------------------------------------------------------------
    def family(self, code: str) -> Family:
        code = code_key(code)
        fam = self._families.get(code)
        if fam is None:
            docs = self._code_docs.pop(code, None)
            if docs is None:
                docs = _in_key_order(d for d in self.db.execute(
                    f"SELECT {FAM_DOC_COLS}, rowid FROM documents WHERE key >= ? AND key < ?", (code, code + _TOP))
                    if split_key(d["key"])[0] == code)
            refs = self._refs_of(code)
            fam = self._families[code] = Family(code, docs, refs, self.province_of, self.where_of)
        return fam

    def _prefetch_families(self, codes: Iterable[str]) -> None:
        """The documents `family` reads for many codes in one query (a trace level's codes whose
        citations need resolving: a hundred or more per level of a hub's trace)."""
        todo = sorted({c for c in codes if c and c not in self._families and c not in self._code_docs})
        if len(todo) < 2:
            return
        found: dict[str, list[sqlite3.Row]] = {c: [] for c in todo}
        for d in self.db.execute(
                f"SELECT j.value AS wanted, {FAM_DOC_COLS_D}, d.rowid AS rowid FROM json_each(?) j "
                "JOIN documents d ON d.key >= j.value AND d.key < j.value || ?", (json.dumps(todo), _TOP)):
            if split_key(d["key"])[0] == d["wanted"]:
                found[d["wanted"]].append(d)
        self._code_docs.update((c, _in_key_order(rows)) for c, rows in found.items())

    def _refs_of(self, code: str) -> list[sqlite3.Row]:
        """Every citation of a code (canonical, as `code_key` gives it), in citing order."""
        refs = self._code_refs.get(code)
        if refs is None:
            # the code itself, or it followed by `@year` or `#place`: the three ranges of the key
            # index (a Python filter over a directive's thousands of rows cost more than the read)
            refs = self._code_refs[code] = self.db.execute(
                f"SELECT {REF_COLS} FROM {REF_FROM} WHERE r.key = ? OR (r.key > ? AND r.key < ?) "
                "OR (r.key > ? AND r.key < ?) ORDER BY r.src, r.ord",
                (code, code + "@", code + "@" + _TOP, code + "#", code + "#" + _TOP)).fetchall()
        return refs

    def _prefetch_refs(self, codes: Iterable[str]) -> None:
        """`_refs_of` for many codes in one query (a trace level's hundreds of nodes): each
        code's key range read through the key index, rows kept per code as `_refs_of` keeps them."""
        todo = sorted({c for c in codes if c and c not in self._code_refs})
        if len(todo) < 2:
            return
        found: dict[str, list[sqlite3.Row]] = {c: [] for c in todo}
        for row in self.db.execute(
                f"SELECT j.value AS code, {REF_COLS} FROM json_each(?) j JOIN {REF_FROM} "
                "ON r.key >= j.value AND r.key < j.value || ? ORDER BY j.value, r.src, r.ord",
                (json.dumps(todo), _TOP)):
            code, key = row["code"], row["key"]
            if key == code or key[len(code):len(code) + 1] in ("@", "#"):  # not a longer code (1-CV/B1 vs 1-CV/B10)
                found[code].append(row)
        self._code_refs.update(found)

    def doc(self, doc_id: str) -> sqlite3.Row | None:
        if doc_id not in self._docs:
            self._docs[doc_id] = self.db.execute(
                f"SELECT {DOC_COLS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return self._docs[doc_id]

    def docs(self, ids: Iterable[str]) -> None:
        """Read the rows (and places) of many documents at once into the caches of `doc` and
        `where_of`: a directive's thousands of citers, one query per ~900 of them rather than
        one each (one each was most of a hub's `cited-by` time)."""
        todo = [i for i in dict.fromkeys(ids) if i not in self._docs]
        for i in range(0, len(todo), 900):
            chunk = todo[i:i + 900]
            for row in self.db.execute(
                    f"SELECT {DOC_COLS_D}, p.place AS place, p.province AS province FROM documents d "
                    f"LEFT JOIN doc_places p ON p.id = d.id WHERE d.id IN ({','.join('?' * len(chunk))})", chunk):
                self._docs[row["id"]] = row
                if not self._all_wheres:
                    self._wheres[row["id"]] = (row["place"], row["province"])
            for doc_id in chunk:
                self._docs.setdefault(doc_id, None)

    def group_of(self, doc_id: str | None) -> str:
        """The group of a citing document in a grouped answer (`index.citer_groups`)."""
        group = self._groups.get(doc_id) if doc_id else None  # asked once per citer: 10k at 100k
        if group is None:
            group = group_id(*self.where_of(doc_id)) if doc_id else group_id(None, None)
        return group

    def _full(self, row: sqlite3.Row) -> sqlite3.Row:
        """The whole row (DOC_COLS) of a family's lean document row."""
        full = self.doc(row["id"])
        assert full is not None  # read from the same connection a moment ago
        return full

    def _is_cover(self, doc_id: str) -> bool:
        row = self.db.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return False
        text = row[0]
        return bool(_COVER.search(text))

    def forwarded(self, doc: sqlite3.Row) -> list[sqlite3.Row]:
        """The documents a cover letter sends along: the later parts of its file."""
        if doc["part"] != 0:
            return []
        later = self.db.execute(f"SELECT {DOC_COLS} FROM documents WHERE sha256 = ? AND part > 0 ORDER BY part",
                                (doc["sha256"],)).fetchall()
        return later if later and self._is_cover(doc["id"]) else []

    def forwarder(self, doc: sqlite3.Row) -> sqlite3.Row | None:
        if not doc["part"]:
            return None
        first = self.db.execute(f"SELECT {DOC_COLS} FROM documents WHERE sha256 = ? AND part = 0",
                                (doc["sha256"],)).fetchone()
        return first if first is not None and self._is_cover(first["id"]) else None

    # -- nodes ---------------------------------------------------------------------------
    def node(self, key: str) -> dict:
        """A ref-doc for a node key: the archived document, or what the citations say of it."""
        code, year, _ = split_key(key)
        fam = self.family(code)
        docs = fam.docs_by_key.get(key)
        if docs:
            return self.ref_doc(self._full(docs[0]))
        cites = [r for r in fam.refs if fam.resolve(r) == key]
        return self.cited_only(key, cites, year)

    def cited_only(self, key: str, cites: list[sqlite3.Row], year: int | None = None,
                   words: dict[tuple[str, int], tuple[str, str]] | None = None) -> dict:
        dates = Counter(r["date"] for r in cites if r["date"])
        types = Counter(r["doc_type"] for r in cites if r["doc_type"])
        issuers = Counter(r["issuer"] for r in cites if r["issuer"])
        texts: list[str] = []
        abouts: list[str] = []
        for r in cites[:20]:
            if words is not None:
                c = words.get((r["src"], r["ord"]))
            else:
                c = self.db.execute("SELECT text, about FROM citations WHERE src = ? AND ord = ?",
                                    (r["src"], r["ord"])).fetchone()
            if c is None:
                continue
            if c[0] and c[0] not in texts:
                texts.append(c[0])
            abouts.append(c[1]) if c[1] else None
        # What most letters say it is about; of equals, the shortest (least run-on) wording.
        about = min(Counter(abouts).items(), key=lambda kv: (-kv[1], len(kv[0])))[0] if abouts else None
        code = cites[0]["code"] if cites else split_key(key)[0]
        return {"id": None, "key": key, "code": code,
                "doc_type": types.most_common(1)[0][0] if types else None,
                "issued_date": dates.most_common(1)[0][0] if dates else (str(year) if year else None),
                "subject": about, "issuer": issuers.most_common(1)[0][0] if issuers else None,
                "cited_as": texts[:5], "citations": len(cites)}

    def ref_doc(self, d: sqlite3.Row) -> dict:
        return {"id": d["id"], "key": d["key"], "code": d["code"], "doc_type": d["doc_type"],
                "issued_date": d["issued_date"], "subject": d["subject"], "issuer": d["issuer"]}

    # -- lookups -------------------------------------------------------------------------
    def find(self, text: str) -> list[tuple[str, sqlite3.Row | None]]:
        """The nodes a user's KEY names, as (key, archived row or None): an id, a canonical
        key, or a code in any spelling (then every node of that code, the latest first)."""
        text = text.strip()
        d = self.doc(text)
        if d is not None:
            return [(d["key"] or d["id"], d)]
        code, year, place = split_key(text)
        ck = code_key(code)
        fam = self.family(ck)
        if "@" in text or "#" in text:
            key = join_key(ck, year, place.lower() if place else None)
            if key in fam.docs_by_key:
                return [(key, self._full(fam.docs_by_key[key][0]))]
            return [(key, None)] if key in fam.nodes() else []
        if fam.docs_by_key:  # as `Archive.get`: the latest archived document of that code
            best = max((rows[0] for rows in fam.docs_by_key.values()), key=lambda r: r["issued_date"] or "")
            return [(best["key"], self._full(best))]
        keys = sorted(fam.nodes(), key=lambda k: (split_key(k)[1] or 0), reverse=True)
        return [(k, None) for k in keys]

    # -- edges ---------------------------------------------------------------------------
    def citers(self, key: str | None, doc: sqlite3.Row | None = None,
               found: dict[str, list[str]] | None = None) -> list[tuple[sqlite3.Row, list[str]]]:
        """Documents that cite (or forward) a node, each with the relations of its mentions
        (`found`: what `citing` gave for it, when the caller read it already)."""
        if found is None:
            found = self.citing(key, doc)
        self.docs(found)
        out = [(self.doc(src), rels) for src, rels in found.items()]
        out = [(d, rels) for d, rels in out if d is not None]
        out.sort(key=lambda x: (x[0]["issued_date"] or "", x[0]["code"] or ""))
        return out

    def citing(self, key: str | None, doc: sqlite3.Row | None = None) -> dict[str, list[str]]:
        """The ids of the documents that cite (or forward) a node, each with the relations of
        its mentions, in no particular order; no document row is read."""
        found: dict[str, list[str]] = {}
        if key:
            # Most codes a trace meets are cited by no one, or only by dated citations that
            # name their place: those point at their own key (as in `resolve_all`), so the
            # family (its documents, every place's evidence) is read only when one does not.
            code = code_key(split_key(key)[0])
            fam = self._families.get(code)
            refs = fam.refs if fam is not None else self._refs_of(code)
            if fam is None and any(_needs_family(r) for r in refs):
                fam = self.family(code)
            # A citation without a place resolves by its key and whether it is dated alone:
            # a directive's thousands of citations are resolved once per such pair.
            same: dict[tuple[str, bool], str] = {}
            for r in refs:
                if fam is None:
                    target = r["key"]
                elif "#" in r["key"]:
                    target = fam.resolve(r)
                else:
                    pair = (r["key"], bool(r["date"] and r["date"][:4].isdigit()))
                    target = same.get(pair) or same.setdefault(pair, fam.resolve(r))
                if target == key:
                    found.setdefault(r["src"], []).append(r["relation"] or "cites")
        docs = [doc] if doc is not None else [
            self._full(d) for d in (self.family(split_key(key)[0]).docs_by_key.get(key, []) if key else [])]
        for d in docs:
            fw = self.forwarder(d)
            if fw is not None:
                found.setdefault(fw["id"], []).append("forwards")
        for d in docs:
            found.pop(d["id"], None)
        return found

    def lean(self, ids: Iterable[str]) -> list[dict]:
        """What grouping needs of many documents (id, code, date, issuer; their places go to
        `where_of`), in citing order (date, then code): one query, sorted by SQLite, no whole
        rows (a directive's ten thousand citers at 100k documents: ~30 ms)."""
        cur = self.db.cursor()
        cur.row_factory = None  # plain tuples: a Row per citer cost as much as the query
        rows = cur.execute(
            "SELECT d.id, d.code, d.issued_date, d.issuer, p.place, p.province FROM json_each(?) j "
            "JOIN documents d ON d.id = j.value LEFT JOIN doc_places p ON p.id = d.id "
            "ORDER BY coalesce(d.issued_date, ''), coalesce(d.code, '')",
            (json.dumps(list(dict.fromkeys(ids))),)).fetchall()
        if not self._all_wheres:
            self._wheres.update((r[0], (r[4], r[5])) for r in rows)
        self._groups.update((r[0], group_id(r[4], r[5])) for r in rows)
        return [{"id": r[0], "code": r[1], "issued_date": r[2], "issuer": r[3]} for r in rows]

    def hydrate(self, entries: list[dict], relations: dict[str, list[str]]) -> list[dict]:
        """Lean entries made whole (ref-doc fields and relation), keeping what was added to
        them (`copies`, `group`)."""
        self.docs(e["id"] for e in entries)
        out = []
        for e in entries:
            d = self.doc(e["id"])
            if d is not None:
                rels = relations.get(e["id"]) or [r for c in e.get("copies") or [] for r in relations.get(c["id"], [])]
                whole = dict(self.ref_doc(d), relation=primary_relation(rels))
                out.append(dict(whole, **{k: v for k, v in e.items() if k not in whole}))
        return out

    def cited(self, doc: sqlite3.Row) -> list[tuple[str, sqlite3.Row | None, list[str]]]:
        """What a document cites or forwards, in order of first mention: (key, archived row, relations)."""
        found: dict[str, list[str]] = {}
        rows: dict[str, sqlite3.Row | None] = {}
        for r in self.db.execute(f"SELECT {REF_COLS} FROM {REF_FROM} WHERE r.src = ? ORDER BY r.ord", (doc["id"],)):
            fam = self.family(split_key(r["key"])[0])
            key = fam.resolve(r)
            if key == doc["key"]:
                continue
            found.setdefault(key, []).append(r["relation"] or "cites")
            targets = fam.docs_by_key.get(key)
            rows[key] = self._full(targets[0]) if targets else None
        for d in self.forwarded(doc):
            k = d["key"] or d["id"]
            found.setdefault(k, []).append("forwards")
            rows[k] = d
        return [(k, rows[k], rels) for k, rels in found.items()]

    # -- questions -------------------------------------------------------------------------
    def references(self, text: str) -> dict:
        """`congvan refs KEY`: what the document cites, each target resolved."""
        nodes = [(k, d) for k, d in self.find(text) if d is not None]
        if not nodes:
            return {"key": text, "documents": []}
        key, doc = nodes[0]
        out = []
        for k, target, rels in self.cited(doc):
            entry = self.ref_doc(target) if target is not None else self.node(k)
            entry["relation"] = primary_relation(rels)
            entry["mentions"] = len(rels)
            out.append(entry)
        return {"key": key, "id": doc["id"], "documents": out}

    def cited_by(self, text: str) -> dict:
        """`congvan cited-by KEY`: the documents that cite it (every node the KEY names)."""
        nodes = self.find(text)
        seen: set[str] = set()
        out = []
        for key, doc in nodes:
            for d, rels in self.citers(key, doc):
                if d["id"] in seen:
                    continue
                seen.add(d["id"])
                entry = self.ref_doc(d)
                entry["relation"] = primary_relation(rels)
                out.append(entry)
        the_key = nodes[0][0] if len(nodes) == 1 else code_key(split_key(text)[0])
        return {"key": the_key, "documents": out}

    def cited_by_grouped(self, text: str, paging: Paging,
                         fold: Callable[[list[dict]], list[dict]] | None = None) -> dict | None:
        """`cited_by` of a node that many cite, grouped and paged (`index.citer_groups`), the
        citers folded by `fold` (copies of one letter as one); None when the plain answer
        stands (few citers, or `--all`). Only the shown documents are read whole."""
        if paging.all:
            return None
        with _forgetting(self):
            return self._cited_by_grouped(text, paging, fold)

    def _cited_by_grouped(self, text: str, paging: Paging,
                          fold: Callable[[list[dict]], list[dict]] | None) -> dict | None:
        nodes = self.find(text)
        found: dict[str, list[str]] = self.citing(*nodes[0]) if len(nodes) == 1 else {}
        for key, doc in nodes if len(nodes) > 1 else []:
            for src, rels in self.citing(key, doc).items():
                found.setdefault(src, []).extend(rels)
        kids = self.lean(found)
        kids = fold(kids) if fold is not None else kids
        grouped = paged(kids, paging, self.group_of)
        if grouped is None:
            return None
        the_key = nodes[0][0] if len(nodes) == 1 else code_key(split_key(text)[0])
        shown, groups = grouped
        return {"key": the_key, "total": len(kids), "documents": self.hydrate(shown, found), "groups": groups}

    def trace(self, text: str, depth: int = 3, paging: Paging | None = None,
              fold: Callable[[list[dict]], list[dict]] | None = None) -> dict:
        """`congvan trace KEY`: the tree of documents that cite KEY, level by level (each
        document at its shallowest level, once). With `paging`, a root that many cite answers
        grouped (`index.citer_groups`): its direct citers (folded by `fold`, copies of one
        letter as one) in groups with their first pages, and only the shown ones followed
        further; a root with few citers gives the plain tree."""
        if paging is not None and not paging.all:
            with _forgetting(self):
                return self._trace(text, depth, paging, fold)
        return self._trace(text, depth, paging, fold)

    def _trace(self, text: str, depth: int, paging: Paging | None,
               fold: Callable[[list[dict]], list[dict]] | None) -> dict:
        nodes = self.find(text)
        if len(nodes) == 1:
            key, doc = nodes[0]
            root = self._tree_node(key, doc)
            starts = [(root, key, doc)]
        else:
            ck = code_key(split_key(text)[0])
            root = {"key": ck, "code": split_key(text)[0], "id": None, "doc_type": None, "issued_date": None,
                    "issuer": None, "subject": None, "children": []}
            starts = [(root, k, d) for k, d in nodes]
        seen: set[str] = {d["id"] if d is not None else k for k, d in nodes}
        if paging is None or paging.all or depth < 1:
            self._descend(starts, seen, depth)
            return root
        return self._trace_grouped(text, depth, paging, fold, root, starts, seen)

    def _trace_grouped(self, text: str, depth: int, paging: Paging,
                       fold: Callable[[list[dict]], list[dict]] | None, root: dict,
                       starts: list[tuple[dict, str | None, sqlite3.Row | None]], seen: set[str]) -> dict:
        """`trace` with `paging` (see there): the root's citers grouped, the shown ones followed."""
        found: dict[str, list[str]] = {}
        for _, key, doc in starts:  # every start's parent is the root
            for src, rels in self.citing(key, doc).items():
                if src not in seen:
                    found.setdefault(src, []).extend(rels)
        seen.update(found)
        kids = self.lean(found)
        kids = fold(kids) if fold is not None else kids
        grouped = paged(kids, paging, self.group_of)
        if grouped is None:  # few citers: the plain tree, exactly as without paging
            return self.trace(text, depth)
        shown, root["groups"] = grouped
        root["total"] = len(kids)
        root["children"] = [dict(self._tree_node(e["key"], self.doc(e["id"])), **{
            k: e[k] for k in ("relation", "copies", "group") if k in e}) for e in self.hydrate(shown, found)]
        nxt = []
        for child in root["children"]:
            for member in [child["id"], *(c["id"] for c in child.get("copies") or [])]:
                row = self.doc(member)
                if row is not None:
                    nxt.append((child, row["key"], row))
        self._descend(nxt, seen, depth - 1, cap=paging.page_size())
        return root

    def _descend(self, level: list[tuple[dict, str | None, sqlite3.Row | None]], seen: set[str],
                 depth: int, cap: int | None = None) -> None:
        """Hang the citers of each (tree node, key, row) under it, `depth` levels down,
        breadth first: a document already `seen` is not shown again. With `cap`, a node shows
        at most that many (the first by date) and counts the others in `more`."""
        for _ in range(max(depth, 0)):
            nxt = []
            codes = [code_key(split_key(key)[0]) for _, key, _ in level if key]
            self._prefetch_refs(codes)
            self._prefetch_families(c for c in codes if any(_needs_family(r) for r in self._code_refs.get(c, ())))
            citing = [self.citing(key, doc) for _, key, doc in level]
            self.docs(i for found in citing for i in found)  # the level's citers in one read
            for (parent, key, doc), found in zip(level, citing):
                for d, rels in self.citers(key, doc, found):
                    if d["id"] in seen:
                        continue
                    seen.add(d["id"])
                    if cap is not None and len(parent["children"]) >= cap:
                        parent["more"] = parent.get("more", 0) + 1
                        continue
                    child = self._tree_node(d["key"], d)
                    child["relation"] = primary_relation(rels)
                    parent["children"].append(child)
                    nxt.append((child, d["key"], d))
            if not nxt:
                break
            level = nxt

    def _tree_node(self, key: str | None, doc: sqlite3.Row | None) -> dict:
        info = self.ref_doc(doc) if doc is not None else self.node(key or "")
        return {"key": key, "code": info["code"], "id": info["id"], "doc_type": info["doc_type"],
                "issued_date": info["issued_date"], "issuer": info.get("issuer"),
                "subject": info["subject"], "children": []}

    # -- the whole graph ------------------------------------------------------------------------
    def resolve_all(self) -> tuple[list[sqlite3.Row], list[str], dict[str, list[sqlite3.Row]]]:
        """Every citation with the node key it resolves to, and the archived documents by key.
        Most citations need no family: one whose key is an archived document's, or a dated one
        whose place (if any) was named, points at its own key. Only the rest (undated ones,
        guessed places) are resolved inside their code's family."""
        docs_by_key: dict[str, list[sqlite3.Row]] = defaultdict(list)
        for d in self.db.execute("SELECT id, key, code, issued_date FROM documents WHERE key IS NOT NULL"):
            docs_by_key[d["key"]].append(d)
        for rows in docs_by_key.values():
            if len(rows) > 1:  # the latest issued first, as `Family` and `Archive.get` pick
                rows.sort(key=lambda d: d["issued_date"] or "", reverse=True)
        refs = self.db.execute(f"SELECT {REF_COLS} FROM {REF_FROM} ORDER BY r.src, r.ord").fetchall()
        targets: list[str] = [""] * len(refs)
        slow: list[int] = []
        for i, r in enumerate(refs):
            key = r["key"]
            if key in docs_by_key or not _needs_family(r):
                targets[i] = key
            else:
                slow.append(i)
        if slow:
            if len(slow) > 1000:  # many guesses to check: one read of every document's place
                self._wheres.update((r[0], (r[1], r[2])) for r in self.db.execute("SELECT * FROM doc_places"))
                self._all_wheres = True
                self._load_provinces()
            codes = {_key_code(refs[i]["key"]) for i in slow}
            fam_docs: dict[str, list] = defaultdict(list)
            fam_refs: dict[str, list] = defaultdict(list)
            for key, rows in docs_by_key.items():
                code = _key_code(key)
                if code in codes:
                    fam_docs[code].extend(rows)
            for r in refs:
                code = _key_code(r["key"])
                if code in codes:
                    fam_refs[code].append(r)
            # Families of the lean rows above, not kept: `self.family` keeps the full ones.
            families = {code: Family(code, fam_docs[code], fam_refs[code], self.province_of, self.where_of)
                        for code in codes}
            for i in slow:
                targets[i] = families[_key_code(refs[i]["key"])].resolve(refs[i])
        return refs, targets, docs_by_key

    def load_all(self) -> tuple[dict[str, dict], list[dict]]:
        """Every node and edge: nodes by node id (doc id, or key when known only by citation),
        edges `{"source", "target", "relation", "mentions"}`."""
        docs = self.db.execute(f"SELECT {DOC_COLS} FROM documents").fetchall()
        refs, keys, docs_by_key = self.resolve_all()
        nodes: dict[str, dict] = {d["id"]: dict(self.ref_doc(d), archived=True) for d in docs}
        pending: dict[str, list] = defaultdict(list)
        edges: dict[tuple[str, str], list[str]] = defaultdict(list)
        for r, key in zip(refs, keys):
            rows = docs_by_key.get(key)
            if rows:
                target = rows[0]["id"]
            else:
                target = key
                pending[key].append(r)
            if target != r["src"]:
                edges[(r["src"], target)].append(r["relation"] or "cites")
        words = {(r[0], r[1]): (r[2], r[3]) for r in self.db.execute("SELECT src, ord, text, about FROM citations")}
        for key, cites in pending.items():
            nodes[key] = dict(self.cited_only(key, cites, split_key(key)[1], words), archived=False)
        for cover, parts in self._covers(docs):
            for d in parts:
                edges[(cover["id"], d["id"])].append("forwards")
        return nodes, [{"source": s, "target": t, "relation": primary_relation(rels), "mentions": len(rels)}
                       for (s, t), rels in edges.items()]

    def _covers(self, docs: list[sqlite3.Row]) -> list[tuple[sqlite3.Row, list[sqlite3.Row]]]:
        """Cover letters with the documents they forward (the later parts of their files)."""
        by_file: dict[str, list] = defaultdict(list)
        for d in docs:
            by_file[d["sha256"]].append(d)
        out = []
        for parts in by_file.values():
            if len(parts) < 2:
                continue
            parts.sort(key=lambda d: d["part"])
            if parts[0]["part"] == 0 and self._is_cover(parts[0]["id"]):
                out.append((parts[0], parts[1:]))
        return out

    def around(self, text: str, depth: int = 1) -> tuple[dict[str, dict], list[dict], str | None]:
        """The neighbourhood of KEY within `depth` steps along edges either way."""
        found = self.find(text)
        if not found:
            return {}, [], None
        nodes: dict[str, dict] = {}
        edges: dict[tuple[str, str], list[str]] = defaultdict(list)

        def add(key: str | None, doc: sqlite3.Row | None) -> str:
            nid = doc["id"] if doc is not None else key
            if nid not in nodes:
                info = self.ref_doc(doc) if doc is not None else self.node(key or "")
                nodes[nid] = dict(info, archived=doc is not None)
            return nid

        center = [add(k, d) for k, d in found][0]
        frontier = [(k, d) for k, d in found]
        visited = {d["id"] if d is not None else k for k, d in found}
        for _ in range(max(depth, 0)):
            nxt = []
            for key, doc in frontier:
                me = add(key, doc)
                for d, rels in self.citers(key, doc):
                    other = add(d["key"], d)
                    edges[(other, me)].extend(rels)
                    if other not in visited:
                        visited.add(other)
                        nxt.append((d["key"], d))
                if doc is not None:
                    for k, target, rels in self.cited(doc):
                        other = add(k, target)
                        edges[(me, other)].extend(rels)
                        if other not in visited:
                            visited.add(other)
                            nxt.append((k if target is None else target["key"], target))
            frontier = nxt
        return nodes, [{"source": s, "target": t, "relation": primary_relation(r), "mentions": len(r)}
                       for (s, t), r in edges.items()], center

    # -- statistics ------------------------------------------------------------------------
    def stats(self, top: int = 10) -> dict:
        """Counts by SQL; the most cited and the unresolved from the resolved citations alone,
        with node details built only for the few that are shown."""
        def counts(sql: str) -> dict:
            return {(row[0] if row[0] is not None else "(không rõ)"): row[1] for row in self.db.execute(sql)}

        refs, keys, docs_by_key = self.resolve_all()
        citing: dict[str, set[str]] = defaultdict(set)  # node key → citing document ids
        first_code: dict[str, str] = {}
        for r, key in zip(refs, keys):
            rows = docs_by_key.get(key)
            if rows and rows[0]["id"] == r["src"]:
                continue  # a document's mention of itself
            citing[key].add(r["src"])
            first_code.setdefault(key, rows[0]["code"] if rows else r["code"])

        def order(key: str) -> tuple:
            return -len(citing[key]), first_code.get(key) or ""

        most = heapq.nsmallest(top, citing, key=order)
        unresolved = [k for k in citing if k not in docs_by_key]
        top_unresolved = heapq.nsmallest(top, unresolved, key=order)
        shown = set(most) | set(top_unresolved)
        cites: dict[str, list] = defaultdict(list)
        for r, key in zip(refs, keys):
            if key in shown and key not in docs_by_key:
                cites[key].append(r)

        def brief(key: str) -> dict:
            rows = docs_by_key.get(key)
            node = self.ref_doc(self.doc(rows[0]["id"])) if rows else \
                self.cited_only(key, cites[key], split_key(key)[1])
            return dict(self._brief(node), cited_by=len(citing[key]))

        n_docs = self.db.execute("SELECT count(*) FROM documents").fetchone()[0]
        return {
            "documents": n_docs,
            "by_type": counts("SELECT doc_type, count(*) c FROM documents GROUP BY doc_type ORDER BY c DESC"),
            "by_issuer": counts("SELECT issuer, count(*) c FROM documents GROUP BY issuer ORDER BY c DESC"),
            "by_year": counts("SELECT year, count(*) c FROM documents GROUP BY year ORDER BY year"),
            "citations": len(refs),
            "most_cited": [brief(k) for k in most],
            "unresolved": {"count": len(unresolved),
                           "citations": sum(len(citing[k]) for k in unresolved),
                           "top": [brief(k) for k in top_unresolved]},
        }

    @staticmethod
    def _brief(n: dict) -> dict:
        return {"id": n["id"], "key": n["key"], "code": n["code"], "doc_type": n["doc_type"],
                "issued_date": n["issued_date"], "subject": n["subject"]}


def key_for(code: str, year: int | str | None = None, place: str | None = None) -> str:
    """A node key as the catalog writes it (for tests and tools)."""
    return canonical_key(code, year, place)
