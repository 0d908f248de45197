"""A code as people type it opens the letter that prints it, through `show`, `refs`, `cited-by`
and `trace` alike (`index/lookup.py`): every code of corpus/ in every common spelling, and
decoys (the same number of another body or year, a code nobody has)."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from graph_letters import letter, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.archive import Archive
from search_cli import cli
from tests.conftest import CORPUS
from text.fold import fold


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def spellings(code: str) -> dict[str, str]:
    """How people type a printed code: each rule of `index.graph.codequery` applied alone."""
    number = re.match(r"\d+", code)
    out = {
        "as printed": code,
        "lower case": code.lower(),
        "spaces added": re.sub(r"\s*([-/])\s*", r" \1 ", code).strip(),
        "separators as spaces": " ".join(p for p in re.split(r"[-/]", code) if p),
        "/ and - swapped": code.translate(str.maketrans("/-", "-/")),
        "without diacritics": fold(code).upper(),
    }
    if number:
        out["leading zero added"] = "0" + code
        out["leading zeros removed"] = code[:number.end()].lstrip("0") + code[number.end():] if code[0] == "0" \
            else code
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("lookup")
    archive = Archive(root)
    report = archive.ingest([CORPUS / "text"], workers=1)
    assert not report.failed
    letters = archive.letters()
    own = {}
    for doc_id, code in archive.catalog.db.execute("SELECT id, code FROM documents WHERE code IS NOT NULL"):
        if any(ch.isdigit() for ch in code):  # a blank draft number (`-CV/BTGDV`) is not typed to open a letter
            own[code] = letters.representative(doc_id)
    cited = {r[0] for r in archive.catalog.db.execute("SELECT code FROM refs")} - set(own)
    archive.close()
    return str(root), own, sorted(cited)


def _cases(corpus) -> list[tuple[str, str, str]]:
    _, own, _ = corpus
    return [(code, how, typed) for code in sorted(own) for how, typed in spellings(code).items()]


def test_every_code_of_the_corpus_opens_its_letter_in_every_spelling(corpus):
    root, own, _ = corpus
    assert len(own) >= 3
    failures = []
    for code, how, typed in _cases(corpus):
        want = own[code]
        got = {}
        status, out = run("--archive", root, "show", typed, "--json")
        got["show"] = json.loads(out)["id"] if status == 0 else out.strip()
        status, out = run("--archive", root, "refs", typed, "--json")
        got["refs"] = json.loads(out).get("id") if status == 0 else out.strip()
        status, out = run("--archive", root, "trace", typed, "--json", "--depth", "1")
        got["trace"] = json.loads(out)["id"] if status == 0 else out.strip()
        status, out = run("--archive", root, "cited-by", typed, "--json")
        _, shown = run("--archive", root, "cited-by", want, "--json")
        got["cited-by"] = want if status == 0 and json.loads(out) == json.loads(shown) else out.strip()
        for command, value in got.items():
            if value != want:
                failures.append(f"{command} {typed!r} ({how} of {code}): {value}")
    assert not failures, "\n".join(failures)


def test_a_code_known_only_by_citation_is_found_in_every_spelling(corpus):
    root, _, cited = corpus
    assert "57-KL/TW" in cited
    failures = []
    for code in cited:
        _, want = run("--archive", root, "cited-by", code, "--json")
        for how, typed in spellings(code).items():
            status, out = run("--archive", root, "cited-by", typed, "--json")
            if status != 0 or json.loads(out) != json.loads(want):
                failures.append(f"cited-by {typed!r} ({how} of {code}): {out.strip()[:120]}")
            status, out = run("--archive", root, "show", typed)
            if status != 1 or "chỉ biết qua trích dẫn" not in out:  # not archived: said so, not "no document"
                failures.append(f"show {typed!r}: {status} {out.strip()[:120]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("typed", ["999-CV/BTGTU", "1469-CV/BTGT", "14690-CV/BTGTU", "1469-KL/BTGTU"])
def test_a_code_nobody_has_is_a_clear_user_error(corpus, typed):
    root, _, _ = corpus
    for command in ("show", "refs", "cited-by", "trace"):
        status, out = run("--archive", root, command, typed)
        assert status == 1, (command, out)
        assert "không có văn bản" in out, (command, out)


# -- several letters print the same code ---------------------------------------------------------
def _committee(province: str, code: str, date: tuple[int, int, int], body: str = "Báo cáo kết quả.") -> str:
    return letter(code, date, body, issuer=f"TỈNH ỦY {province.upper()}", parent=None, place=province)


@pytest.fixture(scope="module")
def shared_codes(tmp_path_factory):
    """`08-CT/TU` of three provincial committees (2024, 2025, 2025) and `12/UBND-VP` of a city;
    the 2024 one is cited twice, the newest of 2025 once."""
    root = tmp_path_factory.mktemp("shared")
    src = tmp_path_factory.mktemp("shared-in")
    files = [
        write(src, "na.txt", _committee("Nghệ An", "08-CT/TU", (2024, 3, 1))),
        write(src, "hy.txt", _committee("Hưng Yên", "08-CT/TU", (2025, 5, 2))),
        write(src, "tb.txt", _committee("Thái Bình", "08-CT/TU", (2025, 2, 3))),
        write(src, "c1.txt", letter("101-CV/BTGTU", (2024, 6, 1), "Thực hiện Chỉ thị số 08-CT/TU ngày 01/3/2024 "
                                    "của Tỉnh ủy Nghệ An, Ban đề nghị.", issuer="BAN TUYÊN GIÁO",
                                    parent="TỈNH ỦY NGHỆ AN", place="Nghệ An")),
        write(src, "c2.txt", letter("102-CV/BTGTU", (2024, 7, 1), "Thực hiện Chỉ thị số 08-CT/TU ngày 01/3/2024 "
                                    "của Tỉnh ủy Nghệ An, Ban đề nghị.", issuer="BAN TUYÊN GIÁO",
                                    parent="TỈNH ỦY NGHỆ AN", place="Nghệ An")),
    ]
    archive = Archive(root)
    report = archive.ingest(files, workers=1)
    assert not report.failed
    ids = {p: i for x in report.ingested for p, i in [(x["path"].rsplit("/", 1)[-1], x["ids"][0])]}
    archive.close()
    return str(root), ids


def test_the_newest_letter_opens_and_the_others_are_listed(shared_codes):
    root, ids = shared_codes
    for typed in ("08-CT/TU", "8-CT/TU", "8/CT-TU", "8 ct tu"):
        status, out = run("--archive", root, "show", typed, "--json")
        assert status == 0, out
        data = json.loads(out)
        assert data["id"] == ids["hy.txt"], typed  # 2025-05-02: the newest
        assert [d["id"] for d in data["others"]] == [ids["tb.txt"], ids["na.txt"]], typed
    for command in (("show", "8-CT/TU"), ("search", "8", "ct", "tu")):  # a bare code searched opens it too
        status, out = run("--archive", root, *command)
        assert "2 văn bản khác cùng số hiệu:" in out, command
        assert ids["tb.txt"] in out and ids["na.txt"] in out, command


def test_the_year_asked_wins_over_the_newest(shared_codes):
    root, ids = shared_codes
    status, out = run("--archive", root, "show", "8-CT/TU@2024", "--json")
    assert status == 0 and json.loads(out)["id"] == ids["na.txt"]
    status, out = run("--archive", root, "show", "08-CT/TU@2024#nghe-an", "--json")
    assert status == 0 and json.loads(out)["id"] == ids["na.txt"]


def test_a_unique_code_lists_no_others(shared_codes):
    root, ids = shared_codes
    status, out = run("--archive", root, "show", "101 cv btgtu", "--json")
    assert status == 0 and json.loads(out)["id"] == ids["c1.txt"] and json.loads(out)["others"] == []


def test_cited_by_and_trace_open_the_letter_show_opens(shared_codes):
    root, ids = shared_codes
    _, out = run("--archive", root, "cited-by", "08-CT/TU@2024#nghe-an", "--json")
    assert {d["id"] for d in json.loads(out)["documents"]} == {ids["c1.txt"], ids["c2.txt"]}
    _, out = run("--archive", root, "trace", "8/CT-TU", "--json")
    assert json.loads(out)["id"] == ids["hy.txt"]  # the same letter that `show` opens


def test_the_web_box_lists_the_others(shared_codes):
    from starlette.testclient import TestClient

    from web.app import create_app

    root, ids = shared_codes
    with TestClient(create_app(root), base_url="http://localhost") as client:
        r = client.get("/", params={"q": "8/CT-TU"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith(f"/van-ban/{ids['hy.txt']}?")
        page = client.get(r.headers["location"]).text
        assert "2 văn bản khác cùng số hiệu" in page
        assert f"/van-ban/{ids['tb.txt']}" in page and f"/van-ban/{ids['na.txt']}" in page
        unique = client.get("/", params={"q": "101 cv btgtu"}, follow_redirects=True).text
        assert "văn bản khác cùng số hiệu" not in unique


@pytest.fixture(scope="module")
def corpus_lookup(corpus):
    archive = Archive(corpus[0])
    yield archive
    archive.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=40),
                 st.from_regex(r"0*\d{1,4}[ -/]{1,3}[A-Za-zĐđ]{1,6}([ -/@#][A-Za-zĐđ0-9-]{0,8}){0,3}", fullmatch=True)))
def test_whatever_is_typed_resolves_to_a_document_a_citation_or_nothing(corpus_lookup, typed):
    found = corpus_lookup.lookup(typed)
    if found is not None:
        assert found.doc_id is None or corpus_lookup.catalog.record(found.doc_id) is not None
        assert found.doc_id not in found.others
        assert all(corpus_lookup.catalog.record(i) is not None for i in found.others)
