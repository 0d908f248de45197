"""Resolution: which document a citation, a key or a typed code names.

Every reference is a row of the catalog's `refs` table, keyed by its canonical key (SCHEMA.md:
code, `@year` where the code carries none, `#place` for local authorities). A node is an
archived document when a document with that key is in the catalog, else a document "known
only by citation", described by what its citations say (type, date, issuer, wording).

Resolution happens here, when a question is asked, not when the citing letter is stored: a
citation with a date points at its key exactly; one without a date carries the citing
letter's year as an upper bound and resolves to the latest archived or known document of that
code (and place) issued in or before that year. So a document ingested later takes over its
incoming edges at once, and nobody re-ingests the letters that cite it.


A cover letter (part 0 of a file) forwards the documents after it in the same file; whether a
part 0 is one is `nlp.references.is_cover_letter` of its text.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from index.graph.citations import place_named
from nlp.codes import code_key
from nlp.references import is_cover_letter

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
RELATION_RANK = {"forwards": 0, "replaces": 1, "amends": 2, "repeals": 3, "guides": 4}


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


def key_code(key: str) -> str:
    return key.split("#", 1)[0].split("@", 1)[0]


def needs_family(ref: sqlite3.Row) -> bool:
    """Whether a citation's target depends on what else the archive holds of its code: an
    undated one (latest issued up to the citing year), or one whose place was guessed."""
    key = ref["key"]
    date = ref["date"]
    if "#" in key and not place_named(ref["issuer"]):
        return True
    if date and date[:4].isdigit():
        return False
    return not _code_has_year(key_code(key))


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
        self._know(years, evidence)
        self.years = years
        self.evidence = evidence
        self._resolved: dict[tuple[str, int], str] = {}
        for rows in self.docs_by_key.values():  # the latest issued first, as `Archive.get` picks
            rows.sort(key=lambda d: d["issued_date"] or "", reverse=True)

    def _know(self, years: dict[str | None, set[int | None]], evidence: dict[str | None, set[int | None]]) -> None:
        """The years (and, where `của …` names it, the sure evidence) that the family's dated
        citations give each place. A directive's ten thousand citations carry a few distinct
        keys: each (key, issuer where the key has a place) is read once."""
        seen: set[tuple[str, str | None]] = set()
        for r in self.refs:
            key = r["key"]
            local = "#" in key
            seen_as = (key, r["issuer"] if local else None)
            if seen_as in seen or not (self.code_has_year or self._dated(r)):
                continue
            seen.add(seen_as)
            _, y, p = split_key(key)
            years[p].add(y)
            if local and not self.guessed(r):
                evidence[p].add(y)

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


class GraphReader:
    """The catalog read for the graph: families, documents, places, nodes and lookups, cached
    for one question (make one per question so that what was ingested since is seen)."""

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
        self._indexes: set[str] | None = None

    def indexed_by(self, index: str) -> str:
        """`INDEXED BY index` when the catalog has it, else nothing (a catalog of older code opened
        read-only): without statistics SQLite prefers a table's own id index over a covering one."""
        if self._indexes is None:
            self._indexes = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        return f" INDEXED BY {index}" if index in self._indexes else ""

    def forget(self) -> None:
        """Drop what was read (the next question reads afresh)."""
        for cache in (self._families, self._code_refs, self._code_docs, self._docs, self._provinces,
                      self._wheres, self._groups):
            cache.clear()
        self._all_provinces = self._all_wheres = False

    def where_of(self, doc_id: str) -> tuple[str | None, str | None]:
        """(place, province) of a document's issuing body, as `index.graph.citations` stored them."""
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

    def _full(self, row: sqlite3.Row) -> sqlite3.Row:
        """The whole row (DOC_COLS) of a family's lean document row."""
        full = self.doc(row["id"])
        assert full is not None  # read from the same connection a moment ago
        return full

    def _is_cover(self, doc_id: str) -> bool:
        """Whether a part 0 is a cover letter, as `nlp` reads its text (only the text is read of
        the stored record, never the whole ~3 KB of JSON)."""
        row = self.db.execute("SELECT json_extract(record, '$.text') FROM documents WHERE id = ?",
                              (doc_id,)).fetchone()
        return row is not None and is_cover_letter(row[0])

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
