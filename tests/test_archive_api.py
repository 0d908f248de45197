"""`Archive` is the whole API of the shells: typed results whose `to_dict()` is what the
command line prints with `--json`, one code resolver, one rule for what a text typed in a
search box opens. Checked over every document of the corpus archive, with decoys."""
from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from index.archive import (
    Archive,
    Citations,
    Duplicate,
    IngestError,
    Lookup,
    SearchResult,
    Similar,
    Stats,
    Trace,
)
from search_cli import cli
from tests.conftest import CORPUS
from web import service


def cli_json(root, *args: str):
    result = CliRunner().invoke(cli, ["--archive", str(root), *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def printed(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@pytest.fixture(scope="module")
def arc(corpus_archive):
    with Archive(corpus_archive) as archive:
        yield archive


@pytest.fixture(scope="module")
def docs(arc) -> list[tuple[str, str | None]]:
    rows = arc.catalog.db.execute("SELECT id, code FROM documents ORDER BY id").fetchall()
    assert len(rows) >= 4  # the rules below read real documents
    return [(r[0], r[1]) for r in rows]


def test_every_answer_is_typed_and_prints_as_the_cli_prints_it(corpus_archive, arc, docs):
    """For every document: each answer is its result type, reads like its dict, and its
    `to_dict()` is, key for key and in order, what `congvan … --json` prints."""
    for doc_id, _ in docs:
        answers = [
            (arc.references(doc_id), Citations, ("refs", doc_id)),
            (arc.cited_by(doc_id), Citations, ("cited-by", doc_id, "--all")),
            (arc.trace(doc_id, depth=2), Trace, ("trace", doc_id, "--depth", "2", "--all")),
            (arc.similar(doc_id), Similar, ("similar", doc_id)),
        ]
        for result, kind, command in answers:
            assert isinstance(result, kind), command
            as_dict = result.to_dict()
            assert dict(result) == as_dict and list(result) == list(as_dict), command
            assert cli_json(corpus_archive, *command) == printed(as_dict), command
        shown = json.loads(cli_json(corpus_archive, "show", doc_id))
        assert shown["duplicates"] == [d.to_dict() for d in arc.duplicates(doc_id)]
        assert all(isinstance(d, Duplicate) for d in arc.duplicates(doc_id))


def test_search_stats_and_dedup_print_as_their_to_dict(corpus_archive, arc, docs):
    for query in ("thông tin", "thong tin", "giải thưởng", "zzzz không có từ này"):
        result = arc.search(query, limit=5)
        assert isinstance(result, SearchResult)
        assert cli_json(corpus_archive, "search", query, "--limit", "5") == printed(result.to_dict())
        assert result["total"] == result.total and result.hits == result.to_dict()["hits"]
    stats = arc.stats()
    assert isinstance(stats, Stats) and stats.documents == len(docs)
    assert cli_json(corpus_archive, "stats") == printed(stats.to_dict())
    assert cli_json(corpus_archive, "dedup") == printed(arc.dedup().to_dict())


def test_the_command_line_resolves_what_was_typed_once(corpus_archive, docs, monkeypatch):
    """`show`, `refs`, `cited-by`, `trace`, `similar` and a bare code searched each ask the
    resolver once, whatever they go on to read."""
    calls: list[str] = []
    real = Archive.lookup

    def counted(self, typed):
        calls.append(typed)
        return real(self, typed)

    monkeypatch.setattr(Archive, "lookup", counted)
    coded = [(i, c) for i, c in docs if c and any(ch.isdigit() for ch in c)]
    assert coded
    for doc_id, code in coded:
        for typed in (code, code.lower(), doc_id):
            for command in (("show", typed), ("refs", typed), ("cited-by", typed), ("trace", typed),
                            ("similar", typed), ("search", typed)):
                calls.clear()
                result = CliRunner().invoke(cli, ["--archive", str(corpus_archive), *command])
                assert result.exit_code == 0, (command, result.output)
                assert calls == [typed], (command, calls)


def _web_opens(arc: Archive, typed: str) -> tuple[str, str] | None:
    found = arc.opens(typed)
    if found is None:
        return None
    return ("doc", found.doc_id) if found.doc_id else ("cite", found.key)


def test_what_a_typed_code_opens_is_one_rule_for_both_shells(corpus_archive, arc, docs):
    """Every code and id opens its document on the command line and the web page alike;
    ordinary words (the letters' own subjects, a word, a phrase) open nothing."""
    cases: list[tuple[str, str | None]] = []
    for doc_id, code in docs:
        cases.append((doc_id, doc_id))
        if code and any(ch.isdigit() for ch in code):
            rep = arc.lookup(code).doc_id
            cases += [(code, rep), (code.lower(), rep), (" ".join(code.replace("/", "-").split("-")), rep)]
        rec = arc.record(doc_id)
        if rec.subject:
            cases.append((rec.subject, None))
            cases.append((rec.subject.split()[0], None))
    cases += [("thông tin đối ngoại", None), ("nghị quyết", None), ("", None), ("   ", None)]
    for typed, opens in cases:
        found = arc.opens(typed)
        assert (found.doc_id if found is not None else None) == opens, typed
        assert service.open_by_code(arc, typed) == _web_opens(arc, typed), typed
        if opens is not None:
            out = CliRunner().invoke(cli, ["--archive", str(corpus_archive), "search", *typed.split()]).output
            assert f"id {opens}\n" in out, (typed, out)


def test_a_cited_code_opens_its_citation_page_not_a_document(arc):
    cited = {r[0] for r in arc.catalog.db.execute("SELECT code FROM refs WHERE code IS NOT NULL")}
    own = {r[0] for r in arc.catalog.db.execute("SELECT code FROM documents WHERE code IS NOT NULL")}
    only_cited = sorted(c for c in cited - own if any(ch.isdigit() for ch in c))
    assert only_cited
    for code in only_cited:
        found = arc.lookup(code)
        if found is None or found.doc_id:  # another letter's code in another spelling
            continue
        assert arc.opens(code) == found
        assert service.open_by_code(arc, code) == ("cite", found.key)
        assert arc.get(found) is None and arc.get(code) is None


def test_parse_reads_a_file_as_the_command_line_prints_it(tmp_path):
    for path in sorted((CORPUS / "text").iterdir()):
        records = Archive.parse(path)
        assert records and all(r.text for r in records)
        out = CliRunner().invoke(cli, ["parse", str(path), "--json"], catch_exceptions=False).output
        assert out == printed([r.to_dict() for r in records])
    for bad in (tmp_path / "missing.pdf", tmp_path / "bad.pdf"):
        if bad.name == "bad.pdf":
            bad.write_bytes(b"%PDF-1.4 not really")
        with pytest.raises(IngestError):
            Archive.parse(bad)


def test_get_takes_a_lookup_and_a_closed_archive_is_closed(corpus_archive, docs):
    with Archive(corpus_archive) as archive:
        for doc_id, _ in docs:
            found = archive.lookup(doc_id)
            assert isinstance(found, Lookup)
            assert archive.get(found).id == archive.get(doc_id).id == archive.record(doc_id).id == doc_id
        assert archive.count() == len(docs)
        assert archive.record("không-có-id-này") is None and archive.others(None) == []
    with pytest.raises(sqlite3.ProgrammingError):
        archive.count()
