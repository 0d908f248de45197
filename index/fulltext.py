"""The Whoosh full-text index, derived from the catalog and rebuildable from it."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as windex
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import And, Term

from index.analysis import exact_analyzer, folded_analyzer
from nlp.codes import code_key
from nlp.fold import fold
from nlp.models import Record


def schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        code=KEYWORD(stored=True, lowercase=True, commas=True),
        doc_type=ID(stored=True),
        issuer=ID(stored=True),
        year=NUMERIC(stored=True),
        issued_date=STORED(),
        subject=TEXT(analyzer=exact_analyzer(), stored=True, field_boost=3.0),
        subject_f=TEXT(analyzer=folded_analyzer(), field_boost=1.5),
        body=TEXT(analyzer=exact_analyzer(), stored=True, field_boost=1.0),
        body_f=TEXT(analyzer=folded_analyzer(), field_boost=0.5),
    )


@dataclass
class Hit:
    id: str
    score: float
    snippet: str


def _doc_fields(rec: Record) -> dict:
    codes = {code_key(rec.code)} if rec.code else set()
    return dict(
        id=rec.id,
        code=",".join(sorted(codes)),
        doc_type=rec.doc_type or "",
        issuer=rec.issuer.name or "",
        year=int(rec.issued_date[:4]) if rec.issued_date else None,
        issued_date=rec.issued_date,
        subject=rec.subject or "",
        subject_f=rec.subject or "",
        body=rec.text,
        body_f=rec.text,
    )


class WhooshIndex:
    def __init__(self, folder: Path):
        self.folder = folder
        if windex.exists_in(str(folder)):
            self.ix = windex.open_dir(str(folder))
        else:
            folder.mkdir(parents=True, exist_ok=True)
            self.ix = windex.create_in(str(folder), schema())

    def count(self) -> int:
        return self.ix.doc_count()

    def add(self, records: list[Record]) -> None:
        writer = self.ix.writer(timeout=30)
        try:
            for rec in records:
                fields = {k: v for k, v in _doc_fields(rec).items() if v is not None}
                writer.update_document(**fields)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, records) -> None:
        self.ix.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)  # a reader may have created it meanwhile
        self.ix = windex.create_in(str(self.folder), schema())
        batch: list[Record] = []
        for rec in records:
            batch.append(rec)
            if len(batch) >= 500:
                self.add(batch)
                batch = []
        if batch:
            self.add(batch)

    def search(self, query: str, limit: int = 10, doc_type: str | None = None,
               year: int | None = None) -> tuple[int, list[Hit]]:
        parser = MultifieldParser(["subject", "body", "subject_f", "body_f"], self.ix.schema,
                                  group=OrGroup.factory(0.9))
        # the folded fields get the folded query; the exact ones the query as typed
        q_exact = parser.parse(query)
        q_folded = parser.parse(fold(query))
        q = q_exact | q_folded
        filters = []
        if doc_type:
            filters.append(Term("doc_type", doc_type))
        if year:
            filters.append(Term("year", year))
        with self.ix.searcher() as searcher:
            results = searcher.search(q, limit=limit, filter=And(filters) if filters else None)
            results.fragmenter = ContextFragmenter(maxchars=160, surround=60)
            results.formatter = HtmlFormatter(tagname="b")
            hits = []
            for r in results:
                snippet = r.highlights("body") or (r.get("body") or "")[:160]
                hits.append(Hit(r["id"], float(r.score), " ".join(snippet.split())))
            return len(results), hits

    def close(self) -> None:
        self.ix.close()
