"""Duplicate, near-duplicate, series and conflict detection for incoming documents.

Signatures (one row per document in `dedup_signatures`, written by the ingest that adds it):
- exact: a hash of the text folded to what must not count (NFC, one tone placement, lower
  case, punctuation and white space dropped), so a re-typed copy, an NFD file or OCR-level
  punctuation noise still hashes the same.
- MinHash (datasketch) over 3-word shingles of the *body*: the text without its header
  fields (issuer lines, motto, `Số:` line, date line, `V/v` subject), so a re-send with a new
  date or an OCR'd header does not move it.

Candidates come from LSH: the MinHash is cut into `b` bands of `r` rows (datasketch's own
optimiser picks b, r for the Jaccard threshold) and each band's hash is a row of
`dedup_bands`, indexed on (band, hash). A check is then `b` index look-ups in SQLite: its cost
grows with log(n), not n, and no in-memory LSH has to be loaded, so memory stays bounded at any
archive size (datasketch's in-memory `MinHashLSH` would hold every band of every document).

A second MinHash over character 7-grams of the folded, space-free body (OCR splits and joins
words and loses tone marks) has its own bands at Jaccard 0.5, to find OCR'd copies. Band hits
are pruned by their stored MinHash estimates (no record load) and the best `max_candidates`
are confirmed, so the work per check is bounded.

Each candidate is confirmed with rapidfuzz (`fuzz.ratio`, characters, on the folded bodies)
and labelled:
- `duplicate`: same exact hash;
- `near-duplicate`: body similarity >= `near`, and the codes agree (same number, symbol
  and year) or one of them is unknown (a header the parser or OCR could not read);
- `series`: body similarity >= `series`, the same issuer (or unknown), a subject alike, but
  another number or year: next year's letter on the same template, or a later consolidated
  version of a law;
- `conflict`: same code, year and issuer but bodies below `near`: for a person to look at
  (an addition to SCHEMA.md's relations).

Thresholds, chosen from `benchmarks/bench_dedup.py` on the pair set of
`benchmarks/dup_pairs.py` (see docs/dedup.md for the table that picked them):
`near` = 0.80 and `series` = 0.60 (LSH Jaccard threshold 0.20). They are settable per archive: `congvan dedup --near X
--series Y` stores them in the catalog's `meta` table and re-checks the archive;
`congvan ingest --near X --series Y` uses other values for one run.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ingest.normalize import unify_tones
from ingest.split import is_motto
from nlp.codes import code_key, parse_code
from nlp.fold import fold
from nlp.header import is_date_line
from nlp.models import Record

RELATIONS = ("duplicate", "near-duplicate", "series", "conflict")

TABLES = """
CREATE TABLE IF NOT EXISTS dedup_signatures (
    id TEXT PRIMARY KEY,
    exact TEXT NOT NULL,
    minhash BLOB NOT NULL,
    path TEXT,
    added_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS dedup_signatures_exact ON dedup_signatures(exact);
CREATE TABLE IF NOT EXISTS dedup_chars (
    id TEXT PRIMARY KEY,
    minhash BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dedup_bands (
    band INTEGER NOT NULL,
    hash INTEGER NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (band, hash, id)
) WITHOUT ROWID;
"""

_WORD = re.compile(r"\w+")
_NUMBER_LINE = re.compile(r"^\W*S\s*[ốôo]\s*:?\s*\d*\s*[-/]", re.I)
_SUBJECT_LINE = re.compile(r"^\W*V\s*/\s*v\b", re.I)
_BODY_START = re.compile(r"^\W*(kính\s+gửi|căn\s+cứ|điều\s+1\b|chương\s+i\b)", re.I)
_MOTTO_SUB = re.compile(r"độc\s+lập\s*-\s*tự\s+do", re.I)
HEADER_MAX_LINES = 30


@dataclass
class DedupConfig:
    near: float = 0.80     # body similarity (0..1) from which a same-code document is a near-duplicate
    series: float = 0.60   # body similarity from which another number of the same issuer is a series
    subject: float = 0.60  # subject similarity for a series, when both subjects are known
    series_unread: float = 0.75  # body similarity for a series when a subject is not known
    lsh_threshold: float = 0.20  # Jaccard of shingle sets at which LSH returns a candidate
    num_perm: int = 128
    shingle: int = 3
    max_candidates: int = 12  # the best candidates (by MinHash estimate) confirmed per check: keeps the cost flat
    char_gram: int = 7     # OCR-tolerant signature: character 7-grams of the folded, space-free body
    char_lsh_threshold: float = 0.50  # Jaccard of 7-gram sets at which LSH returns a candidate
    # Candidates whose stored MinHash estimate is below both of these are dropped before any
    # record is loaded: the true pairs of the pair set sit far above (words >= 0.22, characters
    # >= 0.83 for copies), chance sharing of stock sentences below.
    min_words_jaccard: float = 0.10
    min_chars_jaccard: float = 0.60
    band_hits: int = 400  # LSH hits read per check (most band hits first) before estimating

    @classmethod
    def from_meta(cls, db: sqlite3.Connection) -> DedupConfig:
        cfg = cls()
        try:
            rows = db.execute("SELECT name, value FROM meta WHERE name LIKE 'dedup.%'").fetchall()
        except sqlite3.Error:
            return cfg
        for name, value in rows:
            attr = name.split(".", 1)[1]
            if attr in ("near", "series", "subject"):
                setattr(cfg, attr, float(value))
        return cfg

    def override(self, near: float | None = None, series: float | None = None) -> DedupConfig:
        """A copy with the thresholds given (None keeps this one's): one ingest's settings."""
        return replace(self, near=self.near if near is None else near,
                       series=self.series if series is None else series)

    def save(self, db: sqlite3.Connection) -> None:
        for attr in ("near", "series", "subject"):
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"dedup.{attr}", str(getattr(self, attr))))


@dataclass
class Signature:
    exact: str
    body: str  # folded body words joined by spaces: what rapidfuzz compares
    minhash: np.ndarray | None  # None when the body has no words
    chars: np.ndarray | None = None  # MinHash of character n-grams (OCR-tolerant)


@dataclass
class Match:
    of: str
    relation: str
    similarity: float
    path: str | None = None


@dataclass
class Edge:
    id: str
    of: str
    relation: str
    similarity: float
    path: str | None = None
    details: dict = field(default_factory=dict)


# -- signatures ------------------------------------------------------------------------
@lru_cache(maxsize=200_000)
def _fold_word(word: str) -> str:
    return unify_tones(word)


def fold_words(text: str) -> list[str]:
    """Lower case, NFC, one tone placement, words only: punctuation and spacing do not count."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower().replace("_", " "))
    return [_fold_word(w) for w in words]  # a word at a time, cached: the vocabulary is small


def exact_hash(text: str) -> str:
    return hashlib.sha256(" ".join(fold_words(text)).encode()).hexdigest()[:24]


def body_text(text: str, code: str | None = None) -> str:
    """The text without its header fields. Works from the text alone (the header lines look
    the same whether or not the parser read them), so missing record fields do not matter."""
    lines = text.split("\n")
    out: list[str] = []
    in_header = True
    in_subject = False
    compact_code = re.sub(r"\s+", "", code) if code else None
    for i, line in enumerate(lines):
        s = line.strip().strip("*_#> ").strip()
        if in_header and (i >= HEADER_MAX_LINES or _BODY_START.match(s)):
            in_header = False
        if in_header:
            if in_subject and s:
                continue
            in_subject = False
            if not s or is_motto(s) or _MOTTO_SUB.search(s) or _NUMBER_LINE.match(s) or is_date_line(s):
                continue
            if _SUBJECT_LINE.match(s):
                in_subject = True
                continue
            letters = [c for c in s if c.isalpha()]
            if letters and all(c.isupper() for c in letters) and len(s) < 120:
                continue  # issuer lines and other all-capital header lines
            if compact_code and compact_code in re.sub(r"\s+", "", s):
                continue
        out.append(line)
    return "\n".join(out)


@lru_cache(maxsize=4)
def _permutations(num_perm: int):
    # MinHash draws the same permutations (seed 1) at every construction: 1.5 ms a time, twice a document
    m = MinHash(num_perm=num_perm)
    return m.permutations, m.scheme


def _minhash(shingles: set[str], num_perm: int) -> np.ndarray:
    perms, scheme = _permutations(num_perm)
    m = MinHash(num_perm=num_perm, permutations=perms, scheme=scheme)
    m.update_batch([s.encode() for s in shingles])
    return m.hashvalues.astype(np.uint64)


def char_grams(words: list[str], k: int) -> set[str]:
    """Character k-grams of the body without diacritics and without spaces: OCR splits and
    joins words and drops or swaps tone marks, which breaks word shingles but few 7-grams."""
    s = "".join(_strip_marks(w) for w in words)
    return {s[i:i + k] for i in range(max(1, len(s) - k + 1))} if s else set()


@lru_cache(maxsize=200_000)
def _strip_marks(word: str) -> str:
    return fold(word)


def signature(rec: Record, cfg: DedupConfig) -> Signature:
    words = fold_words(body_text(rec.text or "", rec.code))
    mh = chars = None
    if words:
        k = cfg.shingle
        mh = _minhash({" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1))}, cfg.num_perm)
        chars = _minhash(char_grams(words, cfg.char_gram), cfg.num_perm)
    return Signature(exact_hash(rec.text or ""), " ".join(words), mh, chars)


@lru_cache(maxsize=16)
def band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) from datasketch's optimiser (an integration: worth computing once)."""
    return _optimal_param(threshold, num_perm, 0.5, 0.5)


CHAR_BANDS = 1000  # band numbers of the character signature start here (one bands table)


def bands(hashvalues: np.ndarray, cfg: DedupConfig, chars: bool = False) -> list[tuple[int, int]]:
    b, r = band_shape(cfg.char_lsh_threshold if chars else cfg.lsh_threshold, cfg.num_perm)
    offset = CHAR_BANDS if chars else 0
    out = []
    for i in range(b):
        digest = hashlib.blake2b(hashvalues[i * r:(i + 1) * r].tobytes(), digest_size=8).digest()
        out.append((offset + i, int.from_bytes(digest, "big", signed=True)))
    return out


def all_bands(sig: Signature, cfg: DedupConfig) -> list[tuple[int, int]]:
    out = bands(sig.minhash, cfg) if sig.minhash is not None else []
    return out + (bands(sig.chars, cfg, chars=True) if sig.chars is not None else [])


def estimate(a: np.ndarray, stored: bytes) -> float:
    """Jaccard estimate from two MinHash value arrays (0 when the stored one is missing)."""
    b = np.frombuffer(stored, dtype=np.uint64)
    return float(np.mean(a == b)) if len(b) == len(a) and len(a) else 0.0


# -- deciding a relation ---------------------------------------------------------------
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


def same_issuer(a: Record, b: Record) -> bool | None:
    """Issuer codes are shared by many bodies (every district committee signs `/HU`) and
    names by few (Sở and Bộ Giáo dục differ in one word): both must agree when both are known."""
    codes = (a.issuer.code or "").upper(), (b.issuer.code or "").upper()
    if all(codes) and codes[0] != codes[1]:
        if not ((_is_ocr(a) or _is_ocr(b)) and Levenshtein.distance(*codes) <= 1):
            return False
    if a.issuer.name and b.issuer.name:
        na, nb = (" ".join(fold_words(n)) for n in (a.issuer.name, b.issuer.name))
        return fuzz.ratio(na, nb) >= 85
    return True if all(codes) else None


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
    if sim >= cfg.near and codes is not False:
        return Match(old.id, "near-duplicate", round(sim, 4))
    issuer = same_issuer(new, old)
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


# -- the index in the catalog ----------------------------------------------------------
class DedupIndex:
    """Signatures and LSH bands in the catalog's SQLite database; relations in `duplicates`."""

    def __init__(self, db: sqlite3.Connection, load: Callable[[str], Record | None],
                 config: DedupConfig | None = None):
        self.db = db
        self.load = load
        self.db.executescript(TABLES)
        self.config = config or DedupConfig.from_meta(db)

    # signatures
    def _stored(self, doc_id: str) -> tuple[Record, Signature] | None:
        rec = self.load(doc_id)
        if rec is None:
            return None
        row = self.db.execute("SELECT exact FROM dedup_signatures WHERE id = ?", (doc_id,)).fetchone()
        # Confirmation needs the body and the exact hash, not the MinHash: skip that cost.
        body = " ".join(fold_words(body_text(rec.text or "", rec.code)))
        return rec, Signature(row[0] if row else exact_hash(rec.text or ""), body, None)

    def has(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM dedup_signatures WHERE id = ?", (doc_id,)).fetchone() is not None

    def first_path(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT path FROM dedup_signatures WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def store(self, rec: Record, sig: Signature, path: str | None) -> None:
        if self.has(rec.id):
            return  # the first path that brought this text stays on record
        mh = sig.minhash if sig.minhash is not None else np.zeros(0, dtype=np.uint64)
        self.db.execute("INSERT INTO dedup_signatures VALUES (?, ?, ?, ?, ?)",
                        (rec.id, sig.exact, mh.tobytes(), path, time.time()))
        if sig.chars is not None:
            self.db.execute("INSERT OR REPLACE INTO dedup_chars VALUES (?, ?)", (rec.id, sig.chars.tobytes()))
        self.db.executemany("INSERT OR IGNORE INTO dedup_bands VALUES (?, ?, ?)",
                            [(b, h, rec.id) for b, h in all_bands(sig, self.config)])

    def band_hits(self, rec: Record, sig: Signature) -> list[str]:
        """Ids sharing at least one LSH band (word or character signature), most bands first."""
        bs = all_bands(sig, self.config)
        if not bs:
            return []
        values = ",".join("(?,?)" for _ in bs)
        params = [x for pair in bs for x in pair]
        rows = self.db.execute(
            f"SELECT id, count(*) AS c FROM dedup_bands WHERE (band, hash) IN (VALUES {values}) "
            "AND id != ? GROUP BY id ORDER BY c DESC LIMIT ?", (*params, rec.id, self.config.band_hits)).fetchall()
        return [r[0] for r in rows]

    def estimates(self, sig: Signature, ids: list[str]) -> dict[str, float]:
        """For each id, the larger of its word and character Jaccard estimates, each relative
        to its pruning floor (>= 1 keeps it): read from the stored signatures, no record load."""
        cfg = self.config
        out = dict.fromkeys(ids, 0.0)
        for table, mine, floor in (("dedup_signatures", sig.minhash, cfg.min_words_jaccard),
                                   ("dedup_chars", sig.chars, cfg.min_chars_jaccard)):
            if mine is None:
                continue
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                marks = ",".join("?" * len(chunk))
                for doc_id, blob in self.db.execute(f"SELECT id, minhash FROM {table} WHERE id IN ({marks})", chunk):
                    out[doc_id] = max(out[doc_id], estimate(mine, blob) / floor)
        return out

    def candidates(self, rec: Record, sig: Signature) -> list[str]:
        """Ids that may be related: same exact hash, or LSH band hits whose MinHash estimate
        clears a floor (the best `max_candidates` of them): only these are loaded and confirmed."""
        found: dict[str, float] = {}
        for (doc_id,) in self.db.execute("SELECT id FROM dedup_signatures WHERE exact = ? AND id != ? LIMIT ?",
                                         (sig.exact, rec.id, self.config.max_candidates)):
            found[doc_id] = float("inf")
        hits = [i for i in self.band_hits(rec, sig) if i not in found]
        for doc_id, score in self.estimates(sig, hits).items():
            if score >= 1.0:
                found[doc_id] = score
        return sorted(found, key=lambda i: -found[i])[: self.config.max_candidates]

    def same_key(self, rec: Record, key: str | None) -> list[str]:
        if not key:
            return []
        try:
            rows = self.db.execute("SELECT id FROM documents WHERE key = ? AND id != ? LIMIT ?",
                                   (key, rec.id, self.config.max_candidates)).fetchall()
        except sqlite3.Error:
            return []
        return [r[0] for r in rows]

    def check(self, rec: Record, sig: Signature | None = None, key: str | None = None) -> list[Match]:
        """What `rec` duplicates or continues among the stored documents (nothing is written)."""
        sig = sig or signature(rec, self.config)
        matches: list[Match] = []
        ids = self.candidates(rec, sig)
        ids += [i for i in self.same_key(rec, key) if i not in ids]
        for doc_id in ids:
            stored = self._stored(doc_id)
            if stored is None:
                continue
            m = relate(rec, sig, stored[0], stored[1], self.config)
            if m is not None:
                m.path = self.first_path(doc_id)
                matches.append(m)
        order = {r: i for i, r in enumerate(RELATIONS)}
        return sorted(matches, key=lambda m: (order[m.relation], -m.similarity))

    def rebuild(self, docs: Iterable[tuple[str, str | None]]) -> None:
        """Check every document again, in ingest order, against those before it (after a
        change of thresholds). Signatures, bands and the relations between distinct documents
        are derived data and are recomputed; copies of one text (same id) are facts and stay."""
        paths = dict(self.db.execute("SELECT id, path FROM dedup_signatures").fetchall())
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DELETE FROM duplicates WHERE id != of")
            self.db.execute("DELETE FROM dedup_bands")
            self.db.execute("DELETE FROM dedup_signatures")
            self.db.execute("DELETE FROM dedup_chars")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        for doc_id, key in docs:
            rec = self.load(doc_id)
            if rec is not None:
                self.check_and_store(rec, paths.get(doc_id) or rec.source.get("path"), key, known=False)

    # relations
    def save_edges(self, doc_id: str, matches: Iterable[Match], path: str | None) -> None:
        for m in matches:
            self.db.execute(
                "INSERT OR REPLACE INTO duplicates VALUES (?, ?, ?, ?, ?, ?)",
                (doc_id, m.of, m.relation, m.similarity, path or "", time.time()))

    def self_match(self, doc_id: str) -> Match:
        """A copy of a text already held: the same id (a hash of the text), another file."""
        return Match(doc_id, "duplicate", 1.0, self.first_path(doc_id))

    def check_and_store(self, rec: Record, path: str | None, key: str | None = None,
                        known: bool | None = None) -> list[Match]:
        """The ingest step: find what `rec` duplicates, then store its signature and relations.
        `known`: the id was in the archive before this file (checked before the catalog write)."""
        sig = signature(rec, self.config)
        if known if known is not None else self.has(rec.id):
            matches = [self.self_match(rec.id)]
        else:
            matches = self.check(rec, sig, key)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.store(rec, sig, path)
            self.save_edges(rec.id, matches, path)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return matches

    def edges_of(self, doc_id: str) -> list[Edge]:
        rows = self.db.execute(
            "SELECT id, of, relation, similarity, path FROM duplicates WHERE id = ? OR of = ? "
            "ORDER BY similarity DESC", (doc_id, doc_id)).fetchall()
        return [Edge(*r) for r in rows]

    def edges(self) -> list[Edge]:
        rows = self.db.execute("SELECT id, of, relation, similarity, path FROM duplicates ORDER BY found_at")
        return [Edge(*r) for r in rows]


def _find(parent: dict[str, str], x: str) -> str:
    while parent.setdefault(x, x) != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def clusters(edges: Iterable[Edge], first_path: Callable[[str], str | None]) -> list[dict]:
    """Connected groups per relation class: duplicates and near-duplicates together (a group
    is `duplicate` when every link is exact), series, conflicts. A member is one arrival: a
    document id and the path that brought it (the same text may arrive under two paths)."""
    classes = {"duplicate": "dup", "near-duplicate": "dup", "series": "series", "conflict": "conflict"}
    out: list[dict] = []
    for cls in ("dup", "series", "conflict"):
        parent: dict[str, str] = {}
        mine = [e for e in edges if classes.get(e.relation) == cls]
        for e in mine:
            parent[_find(parent, e.id)] = _find(parent, e.of)
        by_root: dict[str, list[Edge]] = {}
        for e in mine:
            by_root.setdefault(_find(parent, e.id), []).append(e)
        for es in by_root.values():
            rel = cls if cls != "dup" else (
                "duplicate" if all(e.relation == "duplicate" for e in es) else "near-duplicate")
            members: dict[tuple[str, str | None], float] = {}
            for e in es:
                members.setdefault((e.of, first_path(e.of)), 1.0)
                key = (e.id, e.path)
                members[key] = min(members.get(key, 1.0), e.similarity if e.similarity is not None else 1.0)
            out.append({"relation": rel, "members": [
                {"id": i, "path": p, "similarity": round(s, 4)} for (i, p), s in members.items()]})
    return out


def to_json(obj) -> str:
    return json.dumps(asdict(obj), ensure_ascii=False)
