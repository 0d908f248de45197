"""The cross-links of corpus/ (the done-when list of issue 6), through the command line."""
from __future__ import annotations

import json

from click.testing import CliRunner

from search_cli import cli


def run(archive, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["--archive", str(archive), *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def codes(docs: list[dict]) -> set[str]:
    return {d["code"] for d in docs}


def test_cited_by_kl57_lists_the_three_implementing_letters(corpus_archive):
    out = run(corpus_archive, "cited-by", "57-KL/TW")
    assert {"1805-CV/BTGDVTW", "-CV/BTGDV", "/BTTTT-TTĐN"} <= codes(out["documents"])
    assert all(d["id"] for d in out["documents"])  # citing letters are archived
    assert set(out) >= {"key", "documents"}
    for d in out["documents"]:
        assert set(d) >= {"id", "key", "code", "doc_type", "issued_date", "subject"}


def test_refs_resolve_archived_and_cited_only(corpus_archive):
    out = run(corpus_archive, "refs", "1469-CV/BTGTU")
    by_code = {d["code"]: d for d in out["documents"]}
    assert {"1337-CV/BTGTU", "2929-CV/VPTU", "33-CV/TTĐN"} <= set(by_code)
    assert by_code["1337-CV/BTGTU"]["id"] is None
    assert by_code["2929-CV/VPTU"]["id"] is None
    assert by_code["2929-CV/VPTU"]["issued_date"] == "2024-07-12"  # what the citation says of it
    target = by_code["33-CV/TTĐN"]
    assert target["id"] is not None and target["id"].endswith("-1")  # part 1 of the same file
    assert len(out["documents"]) == len(by_code)  # two mentions of one document are one entry


def test_trace_shows_the_cover_letter_under_the_forwarded_letter(corpus_archive):
    tree = run(corpus_archive, "trace", "33-CV/TTĐN")
    assert tree["code"] == "33-CV/TTĐN" and tree["id"]
    assert "1469-CV/BTGTU" in codes(tree["children"])


def test_trace_of_a_document_known_only_by_citation(corpus_archive):
    tree = run(corpus_archive, "trace", "1390-CV/BTGDVTW")
    assert tree["id"] is None
    assert tree["key"] == "1390-CV/BTGDVTW@2026"
    assert "-CV/BTGDV" in codes(tree["children"])


def test_terminal_trace_is_a_readable_tree(corpus_archive):
    result = CliRunner().invoke(cli, ["--archive", str(corpus_archive), "trace", "57-KL/TW"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("57-KL/TW") and "chỉ biết qua trích dẫn" in lines[0]
    assert any(line.startswith(("├── 1805-CV/BTGDVTW", "└── 1805-CV/BTGDVTW")) and "2025-08-08" in line
               for line in lines)


def test_stats_counts_documents_and_unresolved(corpus_archive):
    out = run(corpus_archive, "stats")
    assert out["documents"] == sum(out["by_type"].values()) == sum(out["by_year"].values())
    top = out["most_cited"][0]
    assert top["code"] == "57-KL/TW" and top["cited_by"] == 3
    unresolved = {d["code"] for d in out["unresolved"]["top"]}
    assert "57-KL/TW" in unresolved and "33-CV/TTĐN" not in unresolved


def test_unknown_key_is_a_user_error(corpus_archive):
    result = CliRunner().invoke(cli, ["--archive", str(corpus_archive), "trace", "999-XX/KHONGCO"])
    assert result.exit_code == 1
