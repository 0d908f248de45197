"""The catalog's write path works out where a letter's issuing body sits once and shares it:
the keys it writes are those each function gives on its own, and the stored key is what the
duplicate check is given."""
from __future__ import annotations

import json

import pytest
from conftest import SHARED

import index.catalog._database as catalog_mod
from index.catalog import Catalog, record_key
from index.graph.citations import citation_key, document_where
from ingest.models import Extracted, Source
from nlp import parse
from text.normalize import clean_text

REAL = SHARED / "eval" / "real" / "docs.jsonl"
DISTRICT = """HUYỆN ỦY DIỄN CHÂU
Số 12-CV/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Diễn Châu, ngày 5 tháng 3 năm 2024
V/v triển khai Chỉ thị của Tỉnh ủy

Kính gửi: Các chi bộ trực thuộc

Thực hiện Công văn số 45-CV/TU ngày 1/3/2024 của Tỉnh ủy Nghệ An và Công văn số 7-CV/HU
của Huyện ủy về việc triển khai, Huyện ủy đề nghị các chi bộ thực hiện nghiêm túc.
"""


def records() -> list:
    texts = [DISTRICT]
    if REAL.exists():
        texts += [json.loads(line)["text"] for line in REAL.open(encoding="utf-8")][:30]
    out = []
    for i, text in enumerate(texts):
        src = Source(path=f"doc{i}.txt", sha256="", format="text", part=0, pages=[], method="text")
        out.append(parse(Extracted(clean_text(text), src, [], [])))
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Catalog, list]:
    recs = records()
    cat = Catalog(tmp_path_factory.mktemp("cat") / "catalog.sqlite3")
    for i, rec in enumerate(recs):
        cat.add_file(f"doc{i}.txt", f"{i:064x}", "text", 1, f"doc{i}.txt", [rec])
    return cat, recs


def test_keys_are_those_of_each_function_alone(written) -> None:
    cat, recs = written
    assert any(r.code and r.references for r in recs)
    for rec in recs:
        assert cat.key_of(rec.id) == record_key(rec) == record_key(rec, document_where(rec))
        rows = dict(cat.db.execute("SELECT ord, key FROM refs WHERE src = ?", (rec.id,)).fetchall())
        assert rows == {i: citation_key(ref, rec) for i, ref in enumerate(rec.references) if ref.code}


def test_district_letter_key_carries_its_place(written) -> None:
    cat, recs = written
    key = cat.key_of(recs[0].id)
    assert key is not None and key.endswith("#dien-chau")


def test_where_worked_out_once_per_document(tmp_path, monkeypatch) -> None:
    calls = []
    real = catalog_mod.document_where

    def counting(rec):
        calls.append(rec.id)
        return real(rec)

    import index.graph.citations as citations_mod
    monkeypatch.setattr(catalog_mod, "document_where", counting)
    monkeypatch.setattr(citations_mod, "document_where", counting)
    rec = records()[0]
    Catalog(tmp_path / "c.sqlite3").add_file("a.txt", "0" * 64, "text", 1, "a.txt", [rec])
    assert calls == [rec.id]


def test_key_of_unknown_id_is_none(written) -> None:
    assert written[0].key_of("no-such-id") is None
