"""What the duplicate check keeps per document: signatures comparable with datasketch's, and
confirmation from the stored folded body, falling back to the record for older archives."""
from __future__ import annotations

import sqlite3

import numpy as np
from conftest import CORPUS
from datasketch import MinHash

from index.catalog import SCHEMA
from index.dedup import DedupConfig, DedupIndex, char_grams, fold_words, minhash_values, signature
from ingest.models import Extracted, Source
from nlp import parse
from text.normalize import clean_text

LETTERS = sorted((CORPUS / "text").glob("*.txt"))


def rec_of(text: str, name: str):
    src = Source(path=name, sha256="", format="text", part=0, pages=[], method="text")
    return parse(Extracted(clean_text(text), src, [], []))


def test_minhash_values_are_datasketchs():
    """Signatures already in an archive were made by datasketch: new ones must compare with them."""
    words = fold_words(LETTERS[1].read_text(encoding="utf-8"))
    for shingles in ({" ".join(words[i:i + 3]) for i in range(len(words) - 2)}, char_grams(words, 7), {"một"}):
        m = MinHash(num_perm=128)
        m.update_batch([s.encode() for s in shingles])
        assert np.array_equal(minhash_values(shingles, 128), m.hashvalues.astype(np.uint64))


def _index(records: dict) -> tuple[sqlite3.Connection, DedupIndex]:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.executescript(SCHEMA)
    return db, DedupIndex(db, records.get, DedupConfig())


def test_resend_is_confirmed_from_the_stored_body_and_from_the_record_of_an_older_archive():
    text = LETTERS[0].read_text(encoding="utf-8")
    a = rec_of(text, "a.txt")
    a.id = "a"
    lines = text.split("\n")
    i = max(range(len(lines)), key=lambda k: len(lines[k]))
    b = rec_of("\n".join(lines[:i] + [lines[i] + " Đề nghị các đơn vị thực hiện nghiêm."] + lines[i + 1:]), "b.txt")
    b.id = "b"
    for older in (False, True):
        db, index = _index({"a": a})
        index.store(a, signature(a, index.config), "a.txt")
        if older:  # an archive from before the stored bodies: the record is loaded instead
            db.execute("DELETE FROM dedup_bodies")
        matches = index.check(b)
        assert [(m.of, m.relation, m.path) for m in matches] == [("a", "near-duplicate", "a.txt")]
        assert matches[0].similarity >= index.config.near
