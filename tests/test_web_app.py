"""The web page through Starlette's test client: what an office user sees and relies on."""
from __future__ import annotations

import html
import re
import shutil
import time

import pytest
from starlette.testclient import TestClient

from index.archive import Archive
from tests.conftest import CORPUS, ROOT
from web import create_app, entities, service
from web.present import parse_vn_date, safe_snippet, vn_date

WEB_DATA = ROOT / "tests" / "data" / "web"
SCRIPT_LETTER = WEB_DATA / "script-letter.txt"


@pytest.fixture(scope="module")
def web_archive(tmp_path_factory):
    """corpus/text plus the letter whose subject holds a <script> tag (read-only use)."""
    root = tmp_path_factory.mktemp("web-archive")
    arc = Archive(root)
    report = arc.ingest([CORPUS / "text", WEB_DATA], workers=1)
    arc.close()
    assert not report.failed, report.failed
    return root


@pytest.fixture(scope="module")
def client(web_archive):
    with TestClient(create_app(web_archive), base_url="http://localhost") as c:
        yield c


@pytest.fixture(scope="module")
def ids(web_archive) -> dict[str, str]:
    arc = Archive(web_archive)
    out = {code: arc.get(code).id for code in ("1469-CV/BTGTU", "33-CV/TTĐN", "1805-CV/BTGDVTW", "77/STTTT-CNTT")}
    arc.close()
    return out


def doc_links(html: str) -> list[str]:
    return re.findall(r'href="/van-ban/([^"/?]+)"', html)


# -- presentation ----------------------------------------------------------------------
def test_dates_are_shown_and_read_as_dd_mm_yyyy():
    assert vn_date("2025-08-08") == "08/08/2025"
    assert vn_date("2026-06") == "06/2026"
    assert vn_date("2023") == "2023"
    assert vn_date(None) == ""
    assert parse_vn_date("5/3/2025") == "2025-03-05"
    assert parse_vn_date("2025") == "2025-01-01"
    assert parse_vn_date("2025", end=True) == "2025-12-31"
    assert parse_vn_date("02/2024", end=True) == "2024-02-29"
    assert parse_vn_date("31/02/2025") is None
    assert parse_vn_date("hôm qua") is None


def test_snippet_is_escaped_and_marks_the_engine_s_matches():
    # the marks are the engine's (index/search/_snippets.py marks every spelling of a word typed
    # without diacritics); the page only turns them into <mark>, escaping the text once
    html = safe_snippet("về <b>thông</b> <b>tin</b> &lt;script&gt;alert(1)&lt;/script&gt;")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>thông</mark> <mark>tin</mark>" in html
    assert "&lt;b&gt;" not in html


# -- search page -----------------------------------------------------------------------
def test_search_without_diacritics_finds_letters_with_highlights(client, ids):
    r = client.get("/", params={"q": "thong tin doi ngoai"})
    assert r.status_code == 200
    assert ids["1805-CV/BTGDVTW"] in doc_links(r.text)
    assert "<mark>thông</mark>" in r.text or "<mark>Thông</mark>" in r.text
    assert "08/08/2025" in r.text and "kết quả" in r.text


def test_facet_counts_beside_results(client):
    r = client.get("/", params={"q": "thong tin doi ngoai"})
    facets = r.text[r.text.index('class="facets"'):]
    assert "Loại văn bản" in facets and "Năm ban hành" in facets
    m = re.search(r'>Công văn</a>\s*<span class="n">(\d+)</span>', facets)
    assert m and int(m.group(1)) == len(doc_links(r.text[:r.text.index('class="facets"')]))


def test_a_code_typed_in_the_box_opens_its_document(client, ids):
    r = client.get("/", params={"q": "1469 - CV/BTGTU"}, follow_redirects=False)
    # the typed code goes along (`?ma=`), so that the page can offer the other letters it names
    assert r.status_code == 303 and r.headers["location"].split("?")[0] == f"/van-ban/{ids['1469-CV/BTGTU']}"
    r = client.get("/", params={"q": "57-KL/TW"}, follow_redirects=False)  # known only by citation
    assert r.status_code == 303 and r.headers["location"].startswith("/trich-dan?ma=57-KL")


def test_filters_by_type_issuer_and_date_range(client, ids):
    base = {"q": "thong tin"}
    all_ids = set(doc_links(client.get("/", params=base).text))
    assert {ids["1469-CV/BTGTU"], ids["1805-CV/BTGDVTW"]} <= all_ids
    since = set(doc_links(client.get("/", params={**base, "tu_ngay": "01/01/2025"}).text))
    assert ids["1805-CV/BTGDVTW"] in since and ids["1469-CV/BTGTU"] not in since
    until = set(doc_links(client.get("/", params={**base, "den_ngay": "31/12/2024"}).text))
    assert ids["1469-CV/BTGTU"] in until and ids["1805-CV/BTGDVTW"] not in until
    issuer = set(doc_links(client.get("/", params={**base, "co_quan": "ban chi dao cong tac"}).text))
    assert issuer == {ids["33-CV/TTĐN"]}
    assert not doc_links(client.get("/", params={**base, "loai": "Nghị định"}).text)
    r = client.get("/", params={**base, "tu_ngay": "32/13/2025"})
    assert "dd/mm/yyyy" in r.text and "Không hiểu ngày" in r.text


def test_sort_by_date_puts_the_newest_first(client, web_archive):
    r = client.get("/", params={"q": "thong tin", "sap_xep": "ngay"})
    arc = Archive(web_archive)
    dates = [arc.catalog.record(i).issued_date or "" for i in dict.fromkeys(doc_links(r.text))]
    arc.close()
    assert len(dates) >= 3 and dates == sorted(dates, reverse=True)


def test_paging_splits_the_results(web_archive):
    arc = Archive(web_archive)
    first = service.search(arc, service.SearchForm(q="thong tin", per_page=2, page=1))
    second = service.search(arc, service.SearchForm(q="thong tin", per_page=2, page=2))
    arc.close()
    assert first.total >= 4 and first.pages == -(-first.total // 2)
    assert len(first.hits) == 2 and second.hits
    assert not {h["id"] for h in first.hits} & {h["id"] for h in second.hits}


def test_pages_sorted_by_date_walk_the_whole_result_set_in_order(web_archive):
    arc = Archive(web_archive)
    form = service.SearchForm(q="thong tin", sort="date", per_page=2, since="2020-01-01")
    first = service.search(arc, form)
    walked = [h["id"] for n in range(1, first.pages + 1)
              for h in service.search(arc, service.SearchForm(**{**form.__dict__, "page": n})).hits]
    everything = arc.search("thong tin", limit=100, sort="date", since="2020-01-01")
    arc.close()
    assert first.pages >= 2 and len(walked) == first.total == everything["total"]
    assert walked == [h["id"] for h in everything["hits"]]
    dates = [h["issued_date"] or "" for h in everything["hits"]]
    assert dates == sorted(dates, reverse=True)


def test_query_length_is_limited(client):
    r = client.get("/", params={"q": "thông tin " * 100})
    assert r.status_code == 400 and "quá dài" in r.text


# -- document page ---------------------------------------------------------------------
def test_document_page_shows_the_metadata_panel(client, ids):
    r = client.get(f"/van-ban/{ids['1805-CV/BTGDVTW']}")
    assert r.status_code == 200
    meta = r.text[r.text.index('class="panel meta"'):]
    for label, value in [("Số, ký hiệu", "1805-CV/BTGDVTW"), ("Ngày ban hành", "08/08/2025"),
                         ("Nơi ban hành", "Hà Nội"), ("Cơ quan ban hành", "BAN TUYÊN GIÁO VÀ DÂN VẬN"),
                         ("Kính gửi", "Bộ Nông nghiệp và Môi trường"), ("Người ký", "Phạm Tất Thắng"),
                         ("Thời hạn", "15/09/2025")]:
        assert label in meta and value in meta, label


def test_references_link_to_archived_documents_or_to_citation_pages(client, ids):
    r = client.get(f"/van-ban/{ids['1469-CV/BTGTU']}")
    links = re.findall(r'<a class="ref-link" href="([^"]+)">([^<]+)</a>', r.text)
    # a reference's link covers its whole mention: type, code, and date or issuer where printed
    by_code = {}
    for href, text in links:
        words = " ".join(text.split())
        for code in ("33-CV/TTĐN", "2929-CV/VPTU"):
            if words.startswith(f"Công văn số {code}"):
                by_code.setdefault(code, href)
    assert by_code["33-CV/TTĐN"] == f"/van-ban/{ids['33-CV/TTĐN']}"
    assert by_code["2929-CV/VPTU"] == "/trich-dan?ma=2929-CV%2FVPTU"


def test_cited_document_lists_the_citing_letter(client, ids):
    r = client.get(f"/van-ban/{ids['33-CV/TTĐN']}")
    cited_by = r.text[r.text.index('id="cited-by"'):r.text.index('id="cites"')]
    assert f"/van-ban/{ids['1469-CV/BTGTU']}" in cited_by


def test_entities_are_marked_displacy_style_without_overlaps(web_archive, ids):
    arc = Archive(web_archive)
    rec = arc.get(ids["1805-CV/BTGDVTW"])
    ents = arc.entities(rec.id)  # the spaCy pass's doc.ents, through the archive
    arc.close()
    spans = entities.spans_of(ents, lambda code: f"/x/{code}")
    labels = {s.label for s in spans}
    assert {"SỐ KÝ HIỆU", "NGÀY BAN HÀNH", "VĂN BẢN DẪN CHIẾU", "THỜI HẠN", "NGƯỜI KÝ", "KÍNH GỬI"} <= labels
    code = next(s for s in spans if s.label == "SỐ KÝ HIỆU")
    assert rec.text[code.start:code.end].replace(" ", "") == "1805-CV/BTGDVTW"
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    html = entities.render(rec.text, ents, lambda code: f"/x/{code}")
    assert 'class="entities"' in html and 'href="/x/57-KL/TW"' in html and "THỜI HẠN" in html


def test_a_letter_containing_script_shows_it_as_text(client, ids):
    r = client.get(f"/van-ban/{ids['77/STTTT-CNTT']}")
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;alert" in r.text and "&lt;img src=x onerror" in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    r = client.get("/", params={"q": "ma doc thu dien tu"})
    assert ids["77/STTTT-CNTT"] in doc_links(r.text) and "<script>alert" not in r.text


def test_original_file_is_served_by_document_id_only(client, ids):
    r = client.get(f"/van-ban/{ids['77/STTTT-CNTT']}/ban-goc")
    assert r.status_code == 200 and r.content == SCRIPT_LETTER.read_bytes()
    assert r.headers["content-type"].startswith("text/plain")  # never rendered as HTML
    r = client.get(f"/van-ban/{ids['77/STTTT-CNTT']}/ban-goc", params={"tai_ve": "1"})
    assert r.headers["content-disposition"].startswith("attachment") and "script-letter.txt" in r.headers[
        "content-disposition"]
    for bad in ("khong-co", "..%2F..%2Fcatalog.sqlite3", "%2Fetc%2Fpasswd"):
        assert client.get(f"/van-ban/{bad}/ban-goc").status_code == 404
    assert client.get("/van-ban/khong-co").status_code == 404


# -- trace and citation pages ----------------------------------------------------------
def test_citation_page_for_a_document_known_only_by_citation(client, ids):
    r = client.get("/trich-dan", params={"ma": "57-KL/TW"})
    assert r.status_code == 200 and "chưa có trong kho" in r.text
    assert "Kết luận" in r.text and "15/06/2023" in r.text
    assert ids["1805-CV/BTGDVTW"] in doc_links(r.text)
    r = client.get("/trich-dan", params={"ma": "33-CV/TTĐN"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/van-ban/{ids['33-CV/TTĐN']}"
    assert client.get("/trich-dan", params={"ma": "9999-CV/KHONGCO"}).status_code == 404


def test_trace_page_shows_the_implementing_documents(client, ids):
    r = client.get("/truy-vet", params={"ma": "57-KL/TW"})
    assert r.status_code == 200
    assert ids["1805-CV/BTGDVTW"] in doc_links(r.text)
    assert "chỉ biết qua trích dẫn" in r.text


def test_trace_graph_picture_when_the_archive_draws_graphs(client):
    if not hasattr(Archive, "graph"):
        pytest.skip("Archive.graph is not in this version (graph branch not merged)")
    page = client.get("/truy-vet", params={"ma": "57-KL/TW"})
    assert "/truy-vet/do-thi.svg" in page.text
    r = client.get("/truy-vet/do-thi.svg", params={"ma": "57-KL/TW"})
    # Graphviz when installed, else the pure-Python drawing: a picture either way.
    assert r.status_code == 200, r.status_code
    assert r.headers["content-type"].startswith("image/svg+xml") and b"<svg" in r.content
    assert "1805-CV/BTGDVTW" in html.unescape(r.content.decode("utf-8"))  # the letter implementing it
    assert client.get("/truy-vet/do-thi.svg", params={"ma": "9999-CV/KHONGCO"}).status_code == 404


# -- sections that appear with newer archives --------------------------------------------
def test_similar_letters_section(client, web_archive, ids):
    if not hasattr(Archive, "similar"):
        pytest.skip("Archive.similar is not in this version (search branch not merged)")
    arc = Archive(web_archive)
    expected = service.similar(arc, ids["1805-CV/BTGDVTW"])
    arc.close()
    r = client.get(f"/van-ban/{ids['1805-CV/BTGDVTW']}")
    if not expected:
        assert 'id="similar"' not in r.text
        return
    section = r.text[r.text.index('id="similar"'):]
    assert all(f"/van-ban/{d['id']}" in section for d in expected if d.get("id"))


def test_duplicates_and_series_section(tmp_path):
    if not hasattr(Archive, "duplicates"):
        pytest.skip("Archive.duplicates is not in this version (dedup branch not merged)")
    letter = (CORPUS / "text" / "000_a6851c37ec536b4a.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(letter, encoding="utf-8")
    (folder / "b.txt").write_text(letter.replace("Giải thưởng lần thứ XI tiếp tục", "Giải thưởng lần thứ XI sẽ"),
                                  encoding="utf-8")
    arc = Archive(tmp_path / "arc")
    report = arc.ingest([folder], workers=1)
    ids_ = [i for x in report.ingested for i in x["ids"]]
    dups = {i: arc.duplicates(i) for i in ids_}
    arc.close()
    with TestClient(create_app(tmp_path / "arc"), base_url="http://localhost") as c:
        for doc_id, expected in dups.items():
            r = c.get(f"/van-ban/{doc_id}")
            if not expected:
                assert 'id="duplicates"' not in r.text
                continue
            section = r.text[r.text.index('id="duplicates"'):]
            assert all(f"/van-ban/{d['id']}" in section for d in expected)
    assert any(dups.values()), "a re-sent letter with one word changed should be flagged"


# -- ingest page -----------------------------------------------------------------------
def test_ingest_page_is_off_unless_allowed(client):
    assert client.get("/nhap").status_code == 404
    assert client.post("/nhap", files={"tep": ("a.txt", b"x")}).status_code in (404, 405)


def form_token(c: TestClient) -> dict[str, str]:
    """The ingest form's CSRF field, as a browser that opened the page would send it."""
    m = re.search(r'name="csrf" value="([^"]+)"', c.get("/nhap").text)
    assert m, "the upload form carries a CSRF token"
    return {"csrf": m.group(1)}


def test_ingest_page_reports_like_the_cli(tmp_path):
    root = tmp_path / "arc"
    with TestClient(create_app(root, allow_upload=True, max_upload=200_000), base_url="http://localhost") as c:
        assert "Nhập văn bản" in c.get("/nhap").text
        files = [("tep", ("cảnh báo.txt", SCRIPT_LETTER.read_bytes(), "text/plain")),
                 ("tep", ("../../evil.exe", b"MZ", "application/octet-stream"))]
        r = c.post("/nhap", files=files, data=form_token(c))
        assert r.status_code == 200
        assert "Đã nhập <strong>1</strong> tệp" in r.text and "cảnh báo.txt" in r.text
        assert "evil.exe" in r.text and "định dạng không hỗ trợ" in r.text
        new = doc_links(r.text)
        assert new and c.get(f"/van-ban/{new[0]}").status_code == 200
        r = c.post("/nhap", files=[("tep", ("cảnh báo.txt", SCRIPT_LETTER.read_bytes(), "text/plain"))],
                   data=form_token(c))
        assert "Đã có trong kho" in r.text
        r = c.post("/nhap", files=[("tep", ("lon.txt", b"x" * 300_000, "text/plain"))], data=form_token(c))
        assert r.status_code == 413 and "quá lớn" in r.text
        r = c.post("/nhap", files=[("tep", ("rỗng.txt", b"", "text/plain"))], data=form_token(c))
        assert "Không nhập được" in r.text and "rỗng.txt" in r.text
    # ingested uploads are kept for `check --repair`; failed ones are not
    assert [p.name for p in (root / "uploads").rglob("*.txt")] == ["cảnh báo.txt"] * 2
    assert not (root / "evil.exe").exists() and not list(root.rglob("evil.exe"))
    shutil.rmtree(root)


def test_upload_while_another_ingest_writes_waits_in_the_queue(tmp_path, monkeypatch):
    """Changed by issue 17: an upload is no longer refused after a minute of waiting for the
    writer; it is queued, the page says so at once, and its report appears when it is done."""
    from index.catalog import writer_lock
    from web import uploads

    monkeypatch.setattr(uploads, "REPLY_WAIT", 0.3)
    root = tmp_path / "arc"
    Archive(root).close()
    with TestClient(create_app(root, allow_upload=True, max_upload=200_000), base_url="http://localhost") as c:
        with writer_lock(root):  # a `congvan ingest` in a terminal
            r = c.post("/nhap", files=[("tep", ("thư.txt", SCRIPT_LETTER.read_bytes(), "text/plain"))],
                       data=form_token(c))
            assert r.status_code == 202 and "Kho đang bận" in r.text and "không cần gửi lại" in r.text
            link = re.search(r'href="(/nhap\?lan=[^"]+)"', r.text).group(1)
            assert c.get(link).status_code == 202  # still waiting while the lock is held
        for _ in range(600):  # the queued batch is ingested once the lock is free
            r = c.get(link)
            if r.status_code != 202:
                break
            time.sleep(0.05)
        assert r.status_code == 200 and "Đã nhập <strong>1</strong> tệp" in r.text
