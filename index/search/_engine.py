"""The small interface that both full-text engines implement, and what they share.

An engine holds only what search needs (no stored texts: documents are shown from the
catalog). Each record becomes the same fields in both engines (`doc_fields`), analysed here
once (`index.search._tokens`), so the engines differ only in how they store and score.

Fields: `id`; `subject`/`subject_f`, `head`/`head_f` (the first syllables of the text) and
`body`/`body_f` (exact and folded syllables); `subject_pairs`/`head_pairs` (adjacent folded
syllables as one term, for proximity);
`signer`/`signer_f`; `code` (the document's own code terms) and `cites` (terms of the codes
it cites), see `index.graph.codequery`; `doc_type`, `issuer` (as printed, for facets), their folded
twins `doc_type_f`, `issuer_f` (for filters); `year`; `date` (yyyymmdd, 0 when unknown;
a day or month left blank counts as 00); `signed`: one term, `unsigned`, `signed` or `altered`
(a digital signature whose file changed after signing, `signed_term`);
a day or month left blank counts as 00); `secrecy` (the level of its secrecy stamp, `index.access`,
empty when unmarked: a viewer's search leaves out the levels they are not cleared for).
"""
from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from index.access import level as secrecy_level
from index.search._document_tokens import code_terms, token_forms
from index.search._query_language import Query
from index.search._tokens import folded_tokens
from nlp.models import Record
from text.fold import fold

ENGINES = ("whoosh", "tantivy")
DEFAULT_ENGINE = "tantivy"  # see README "Search": Whoosh misses the latency target by 70x at 10k

# Text fields a word is looked up in: (exact field, folded field, weight). Proximity looks only
# at the short fields (PAIR_FIELDS below): over whole bodies it is slow and adds little.
# Ranking weights (BM25 per field, multiplied): subject and code above body; the exact
# form above its folded twin so that a word typed with diacritics ranks its own spelling first.
# A word typed without diacritics is looked up in the folded field alone, at full weight: it
# does not say which spelling is meant (and must not favour OCR text that lost its marks).
SUBJECT, HEAD, BODY, SIGNER = 3.0, 2.0, 1.0, 2.0
HEAD_SYLLABLES = 120  # the top of a document: its type and title, even where no subject was parsed
FOLDED = 0.4
PROXIMITY = 2.0  # each pair of adjacent query words found side by side
OWN_CODE, CITED_CODE = 12.0, 3.0
BARE_CODE = 8.0
FACET_FIELDS = ("doc_type", "issuer", "year")
WORD_FIELDS = (("subject", "subject_f", SUBJECT), ("head", "head_f", HEAD), ("body", "body_f", BODY))
# Adjacent folded syllables of the short fields, indexed as one term each ("bo_noi noi_vu"): a
# proximity clause is then a term lookup, not a phrase query that reads positions of words as
# common as every letter's header (at 100k documents those phrases were most of a query's time).
PAIR_FIELDS = (("subject_pairs", SUBJECT), ("head_pairs", HEAD))


def pair_terms(folded: list[str]) -> list[str]:
    """The adjacent pairs of folded syllables, as the pair fields hold them."""
    return [f"{a}_{b}" for a, b in zip(folded, folded[1:])]


@dataclass
class EngineHit:
    id: str
    score: float


@dataclass
class EngineResult:
    total: int
    hits: list[EngineHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


# each document's role in its letter (index/dedup/copies.py): a copy that is not its letter's
# representative, or a letter. An engine that indexes it (`has_roles`) then answers "no copy"
# and "only copies" with one term, where a set of the copies' ids cost ~8 ms per clause at 100k.
# `FullText` writes the roles from the catalog's copy groups (again when a document's role
# changes) and searches by them only while their digest matches the reader's copy groups.
COPY, LETTER = "copy", "letter"


class Engine(Protocol):
    name: str

    def add(self, records: list[Record]) -> None:
        """Add or replace these documents (by id), in one commit."""

    def clear(self) -> None:
        """Drop every document (the index is then refilled from the catalog)."""

    def count(self) -> int: ...

    def ids(self) -> set[str]:
        """The ids of the documents held (`congvan check` compares them with the catalog)."""

    def delete(self, ids: Iterable[str]) -> None:
        """Remove these documents, in one commit."""

    def search(self, query: Query, limit: int = 10, offset: int = 0, sort: str = "score",
               facets: bool = True, any_word: bool = False, exclude: Iterable[str] = (),
               within: Iterable[str] | None = None, also: Iterable[str] | None = None) -> EngineResult:
        """`sort`: score | date (newest first) | date_asc. `any_word`: OR the clauses instead of
        AND (used for precedents and as the fallback when no document has every word).
        `exclude`: ids never found; `within`: only these ids searched; `also`: ids found
        whatever their text, scored by it (letters found through a copy). Filters and NOT
        clauses hold for all of them. An engine with `has_roles` also takes `role`: LETTER
        (no copy) or COPY (only copies), by each document's role term."""

    def matching_ids(self, query: Query, any_word: bool = False, within: Iterable[str] | None = None) -> set[str]:
        """Every document that `search` would find (among `within`), unranked."""

    def doc_freqs(self, field: str, terms: Iterable[str]) -> dict[str, int]: ...

    def terms_with_prefix(self, field: str, prefix: str, limit: int = 2000) -> list[str]: ...

    def close(self) -> None: ...


class IndexLocked(RuntimeError):
    """Another process holds the index's write lock for too long."""


def date_number(iso: str | None) -> int:
    """`2025-08-08` → 20250808, `2026-06` → 20260600, `2023` → 20230000, None → 0."""
    if not iso:
        return 0
    parts = (iso.split("-") + ["0", "0"])[:3]
    try:
        return int(parts[0]) * 10000 + int(parts[1]) * 100 + int(parts[2])
    except ValueError:
        return 0


SIGNED_STATES = ("signed", "unsigned", "altered")


def signed_term(rec: Record) -> str:
    """The `signed` term of REC: what its file's digital signatures say, fixed at ingest
    (intact and whole file do not depend on the trust roots)."""
    if not rec.signatures:
        return "unsigned"
    return "altered" if any(s.altered for s in rec.signatures) else "signed"


def signed_terms(state: str) -> list[str]:
    """The terms a `--signed STATE` filter accepts: a signed letter is one, intact or not."""
    return ["signed", "altered"] if state == "signed" else [state]


def doc_fields(rec: Record) -> dict:
    """The fields of one record as both engines index them (token strings joined by spaces).
    Tokens as `index.search._tokens` makes them, through the write path's cheaper `token_forms`."""
    own = list(code_terms(rec.code)) if rec.code else []
    cited: list[str] = []
    for ref in rec.references:
        if ref.code:
            cited += [t for t in code_terms(ref.code) if t not in cited]
    subject, subject_f = token_forms(rec.subject or "")
    signer, signer_f = token_forms(rec.signer.name or "")
    body, body_f = token_forms(rec.text)
    return {
        "id": rec.id,
        "subject": " ".join(subject),
        "subject_f": " ".join(subject_f),
        "head": " ".join(body[:HEAD_SYLLABLES]),
        "head_f": " ".join(body_f[:HEAD_SYLLABLES]),
        "subject_pairs": " ".join(pair_terms(subject_f)),
        "head_pairs": " ".join(pair_terms(body_f[:HEAD_SYLLABLES])),
        "body": " ".join(body),
        "body_f": " ".join(body_f),
        "signer": " ".join(signer),
        "signer_f": " ".join(signer_f),
        "code": " ".join(own),
        "cites": " ".join(cited),
        "doc_type": rec.doc_type or "",
        "doc_type_f": " ".join(fold(rec.doc_type or "").split()),
        "issuer": rec.issuer.name or "",
        "issuer_f": " ".join(folded_tokens(" ".join(x for x in (rec.issuer.name, rec.issuer.parent) if x))),
        "year": int(rec.issued_date[:4]) if rec.issued_date and rec.issued_date[:4].isdigit() else 0,
        "date": date_number(rec.issued_date),
        "signed": signed_term(rec),
        "secrecy": secrecy_level(rec.marks.secrecy) or "",
    }


@contextmanager
def write_lock(folder: Path, timeout: float = 60.0) -> Iterator[None]:
    """One writer at a time across processes: an exclusive `flock` beside the index."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    path = folder.parent / f".{folder.name}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                if time.monotonic() > deadline:
                    raise IndexLocked(f"the index {folder} is being written by another process") from exc
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def retry(func, attempts: int = 5, delay: float = 0.2, errors: tuple[type[BaseException], ...] = (Exception,)):
    """Call `func`, retrying with a growing pause when the engine reports a lock error."""
    for i in range(attempts):
        try:
            return func()
        except errors as exc:
            if i == attempts - 1 or "lock" not in str(exc).lower():
                raise
            time.sleep(delay * (2 ** i))


def open_engine(name: str, folder: Path) -> Engine:
    if name == "whoosh":
        from index.search._whoosh import WhooshEngine
        return WhooshEngine(folder)
    if name == "tantivy":
        from index.search._tantivy import TantivyEngine
        return TantivyEngine(folder)
    raise ValueError(f"unknown search engine {name!r}; choose one of {', '.join(ENGINES)}")
