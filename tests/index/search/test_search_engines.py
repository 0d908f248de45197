"""Search as staff use it, the same tests against both engines (Whoosh and Tantivy)."""
from __future__ import annotations

import gc
import json
import shutil

import pytest
from click.testing import CliRunner

from index.archive import Archive
from index.search import IndexLocked, QueryError, write_lock
from search_cli import cli
from tests.conftest import CORPUS

ENGINES = ["whoosh", "tantivy"]


@pytest.fixture(scope="session", params=ENGINES)
def arc(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"search-{request.param}")
    archive = Archive(root, engine=request.param)
    report = archive.ingest([CORPUS / "text"], workers=1)
    assert not report.failed
    yield archive
    archive.close()


def codes(result: dict) -> list[str | None]:
    return [h["code"] for h in result["hits"]]


def test_folded_query_finds_the_same_documents(arc):
    exact = arc.search("thông tin đối ngoại")
    folded = arc.search("thong tin doi ngoai")
    assert exact["total"] >= 4
    assert codes(exact)[:1] == codes(folded)[:1]
    assert set(codes(exact)) == set(codes(folded))


def test_subject_ranks_above_a_mention_in_the_body(arc):
    hits = codes(arc.search("giai thuong thong tin doi ngoai lan thu XI"))
    assert hits[0] == "1805-CV/BTGDVTW"


@pytest.mark.parametrize("spelling,code", [
    ("1805-CV/BTGDVTW", "1805-CV/BTGDVTW"), ("1805/CV-BTGDVTW", "1805-CV/BTGDVTW"),
    ("1805 cv btgdvtw", "1805-CV/BTGDVTW"), ("cv 1805", "1805-CV/BTGDVTW"),
    ("1469-cv/btgtu", "1469-CV/BTGTU"), ("1469 CV BTGTU", "1469-CV/BTGTU"),
    ("33-CV/TTDN", "33-CV/TTĐN"), ("33/CV-TTĐN", "33-CV/TTĐN"), ("33 cv ttdn", "33-CV/TTĐN"),
])
def test_every_code_spelling_finds_its_document_first(arc, spelling, code):
    assert codes(arc.search(spelling))[0] == code


@pytest.mark.parametrize("spelling", ["57-KL/TW", "57/KL-TW", "57 KL TW", "kl 57", "57-kl/tw"])
def test_code_spellings_find_the_letters_citing_it(arc, spelling):
    result = arc.search(spelling)
    assert result["total"] >= 3
    top = arc.get(result["hits"][0]["id"])
    assert "57-KL/TW" in {r.code for r in top.references}


def test_phrase_needs_consecutive_syllables(arc):
    assert arc.search('"thông tin đối ngoại"')["total"] >= 4
    assert arc.search('"ngoại đối thông"')["total"] == 0


def test_boolean_operators(arc):
    with_hy = set(codes(arc.search("giải thưởng thông tin")))
    without = set(codes(arc.search("giải thưởng thông tin NOT Hưng")))
    assert "1469-CV/BTGTU" in with_hy and "1469-CV/BTGTU" not in without
    either = arc.search("ocop OR trailer")
    assert either["total"] >= 1


def test_filters_and_facets(arc):
    result = arc.search("thông tin", since="2025-01-01")
    assert result["total"] >= 1
    assert all(h["issued_date"] >= "2025" for h in result["hits"])
    assert sum(result["facets"]["year"].values()) == result["total"]
    assert all(int(y) >= 2025 for y in result["facets"]["year"])
    only_2024 = arc.search("thông tin", year=2024)
    assert {h["issued_date"][:4] for h in only_2024["hits"]} == {"2024"}
    typed = arc.search("thông tin", doc_type="CV")
    assert typed["total"] == arc.search("thông tin")["total"]
    assert arc.search("thông tin", doc_type="Nghị định")["total"] == 0
    assert arc.search("thông tin coquan:\"ban tuyen giao\"")["total"] >= 1
    assert arc.search("thông tin", until="2023")["total"] <= 1


FACET_QUERIES = ["thông tin đối ngoại", "thong tin doi ngoai", '"thông tin" NOT Hưng', "ocop OR trailer",
                 "giải thưởng thông tin", "57 KL TW", "kl 57", "ky:thắng", "ky:thang tuyên", "1805-CV/BTGDVTW",
                 "thông tin nam:2025", "thong tin coquan:\"ban tuyen giao\"", "báo chí -thông"]


@pytest.mark.parametrize("query", FACET_QUERIES)
def test_facets_count_exactly_the_documents_found(arc, query):
    from index.dedup import group_facet
    result = arc.search(query, limit=1000)
    assert result["total"] == len(result["hits"])
    by = {"doc_type": {}, "issuer": {}, "year": {}}
    for h in result["hits"]:
        for name, value in (("doc_type", h["doc_type"]), ("issuer", h["issuer"]),
                            ("year", (h["issued_date"] or "")[:4])):
            if value:
                by[name][value] = by[name].get(value, 0) + 1
    assert result["facets"]["year"] == by["year"]
    assert result["facets"]["doc_type"] == group_facet(by["doc_type"])
    assert result["facets"]["issuer"] == group_facet(by["issuer"], prefer_header=True)


@pytest.fixture(scope="module")
def small_tantivy(tmp_path_factory):
    """A few letters where the cheap counting query could go wrong if it were not exact: a code
    that the text never spells out, a phrase split across words, exact and folded spellings."""
    from index.search import open_engine
    from nlp.models import Issuer, Record, Reference, Signer
    letters = [
        Record(id="a", source={}, code="57-KL/TW", subject="Kết luận về công tác",
               text="Kết luận về công tác tuyên giáo"),
        Record(id="b", source={}, subject="Thông tin đối ngoại", text="Thông tin đối ngoại năm 2025",
               issuer=Issuer(name="Ban Tuyên giáo"), issued_date="2025-03-02"),
        Record(id="c", source={}, text="Về tin đối ngoại và thỏng tín, không có gì khác", doc_type="Công văn"),
        Record(id="d", source={}, text="Báo cáo công tác", signer=Signer(name="Nguyễn Văn Thắng"),
               references=[Reference(text="Kết luận số 57-KL/TW", code="57-KL/TW")]),
        Record(id="e", source={}, text="Giải thưởng thông tin, tuyên truyền " * 3, issued_date="2024"),
    ]
    engine = open_engine("tantivy", tmp_path_factory.mktemp("small-tantivy"))
    engine.add(letters)
    yield engine
    engine.close()


CHEAP_COUNT_QUERIES = FACET_QUERIES + ['"tin đối" ngoại', "thông tin đối ngoại giải thưởng xyz", "57 KL TW",
                                       "kl 57", "tin đối", '"thông tin" đối', "ky:thắng", "ky:thang",
                                       "công tác -tuyên", "thông OR tín", "thỏng tín", "thong tin nam:2025",
                                       "ngoại-thông tin-tuyên"]


@pytest.mark.parametrize("any_word", [False, True])
def test_tantivy_counts_facets_over_the_very_documents_it_ranks(small_tantivy, any_word):
    # facets are counted with a cheaper query than the ranked one: it must find the same documents
    from index.search._query_language import parse
    searcher = small_tantivy.index.searcher()
    for text in CHEAP_COUNT_QUERIES:
        q = parse(text)
        ranked = {(a.segment_ord, a.doc) for _, a in searcher.search(small_tantivy.compile(q, any_word), limit=10).hits}
        counted = {(a.segment_ord, a.doc) for _, a in
                   searcher.search(small_tantivy.match_query(q, any_word), limit=10).hits}
        assert ranked == counted, text


def test_snippets_highlight_the_words(arc):
    hit = arc.search("thong tin doi ngoai")["hits"][0]
    assert "<b>thông</b>" in hit["snippet"].lower() or "<b>thông</b>" in hit["snippet"]
    exact = arc.search("đối ngoại")["hits"][0]["snippet"]
    assert "<b>" in exact


def test_paging_and_sorting(arc):
    first = arc.search("thông tin", limit=2)
    second = arc.search("thông tin", limit=2, offset=2)
    assert first["total"] == second["total"]
    assert not set(codes(first)) & set(codes(second))
    newest = arc.search("thông tin", sort="date")["hits"]
    dates = [h["issued_date"] for h in newest if h["issued_date"]]
    assert dates == sorted(dates, reverse=True)


def test_did_you_mean_uses_the_index_vocabulary(arc):
    result = arc.search("giai thuongg")
    assert result["suggestion"] == "giai thuong"


def test_bad_query_is_a_query_error(arc):
    with pytest.raises(QueryError):
        arc.search('"thông tin')


def test_similar_finds_precedents_not_itself(arc):
    rec = arc.get("1805-CV/BTGDVTW")
    result = arc.similar("1805-CV/BTGDVTW")
    docs = result["documents"]
    assert docs and rec.id not in {d["id"] for d in docs}
    assert docs[0]["code"] in {"1469-CV/BTGTU", "-CV/BTGDV"}  # the same prize, other years
    assert all(0 < d["similarity"] <= 1 for d in docs)
    assert {"id", "key", "code", "doc_type", "issued_date", "subject", "similarity"} <= docs[0].keys()


@pytest.mark.parametrize("engine", ENGINES)
def test_exact_spelling_ranks_first(tmp_path, engine):
    docs = tmp_path / "docs"
    docs.mkdir()
    # the folded twin appears more often, yet the exact spelling must win
    (docs / "a.txt").write_text("Ghi chép thỏng tín thỏng tín thỏng tín về việc khác.\n", encoding="utf-8")
    (docs / "b.txt").write_text("Báo cáo về thông tin trong quý.\n", encoding="utf-8")
    archive = Archive(tmp_path / "arc", engine=engine)
    archive.ingest([docs], workers=1)
    hits = archive.search("thông tin")["hits"]
    assert archive.get(hits[0]["id"]).text.startswith("Báo cáo")
    assert len(hits) == 2  # the folded match is still found
    archive.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_words_side_by_side_rank_above_the_same_words_apart(tmp_path, engine):
    docs = tmp_path / "docs"
    docs.mkdir()
    # the first letter holds every word more often; only the second has them as the phrase typed
    (docs / "a.txt").write_text("Báo cáo về ngoại giao và thông tin kinh tế đối với doanh nghiệp; "
                                "tin ngoại giao, thông tin đối với doanh nghiệp.\n", encoding="utf-8")
    (docs / "b.txt").write_text("Báo cáo về kinh tế và thông tin đối ngoại với doanh nghiệp.\n",
                                encoding="utf-8")
    archive = Archive(tmp_path / "arc", engine=engine)
    archive.ingest([docs], workers=1)
    for query in ("thông tin đối ngoại", "thong tin doi ngoai"):
        hits = archive.search(query)["hits"]
        assert len(hits) == 2
        assert "thông tin đối ngoại" in archive.get(hits[0]["id"]).text, query
    archive.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_is_kept_and_a_damaged_index_is_rebuilt(tmp_path, engine):
    root = tmp_path / "arc"
    archive = Archive(root, engine=engine)
    archive.ingest([CORPUS / "text" / "000_a6851c37ec536b4a.txt"], workers=1)
    archive.close()
    archive = Archive(root)
    assert archive.engine == engine
    folder = archive.fulltext.folder
    archive.close()
    del archive
    gc.collect()  # no mapping of the index may outlive the archive (Tantivy maps its files)
    for f in folder.iterdir():  # damage every file of the index
        if f.is_file():
            f.write_bytes(b"\0garbage")
    archive = Archive(root)
    assert archive.search("thong tin doi ngoai")["total"] == 1
    folder = archive.fulltext.folder  # a rebuild fills a new folder beside the old one (issue 17)
    archive.close()
    shutil.rmtree(folder)
    archive = Archive(root)
    assert archive.search("thông tin")["total"] == 1
    archive.close()


def test_one_writer_at_a_time(tmp_path):
    folder = tmp_path / "idx"
    with write_lock(folder):
        with pytest.raises(IndexLocked):
            with write_lock(folder, timeout=0.2):
                pass
    with write_lock(folder, timeout=0.2):
        pass


def test_cli_search_json_show_similar_reindex(tmp_path):
    runner = CliRunner()
    arc = str(tmp_path / "arc")

    def run(*args):
        return runner.invoke(cli, ["--archive", arc, *args], catch_exceptions=False)

    assert run("ingest", str(CORPUS / "text"), "--engine", "tantivy").exit_code == 0
    out = run("search", "thong", "tin", "--json", "--type", "Công văn", "--since", "2024")
    data = json.loads(out.output)
    assert {"total", "hits", "facets"} <= data.keys()
    assert set(data["facets"]) == {"doc_type", "issuer", "year"}
    bare = run("search", "1469", "cv", "btgtu")  # a bare code shows the document
    assert bare.exit_code == 0 and "Trích yếu" in bare.output and "1469-CV/BTGTU" in bare.output
    bad = run("search", '"thông tin')
    assert bad.exit_code == 1 and "ngoặc kép" in bad.output
    sim = json.loads(run("similar", "1805-CV/BTGDVTW", "--json").output)
    assert sim["documents"] and "similarity" in sim["documents"][0]
    assert run("similar", "999-XX/YY").exit_code == 1
    out = run("reindex", "--engine", "whoosh")
    assert "with whoosh" in out.output
    reopened = Archive(arc)
    assert reopened.engine == "whoosh"
    reopened.close()
