"""Search results out: `congvan search … --format csv|xlsx|jsonl` and the page's "Tải kết
quả", the same hits as the list, in its order, every one up to the limit."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from starlette.testclient import TestClient

from index.office import HIT_COLUMNS
from search_cli import cli
from tests.office_letters import MAIL, build
from web import create_app

QUERIES = ["báo cáo", "năm 2025", "bao cao", "thiên tai OR ngân sách", "nhà nước"]
TITLES = [c.title for c in HIT_COLUMNS]


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    base = tmp_path_factory.mktemp("export")
    build(base / "archive", base / "mail")
    from index.archive import Archive
    from tests.graph_letters import letter, write

    # more letters than a page of the list shows (10), so that "every hit" is seen to mean it
    more = [write(base / "more", f"m{i}.txt", letter(f"{100 + i}/STC-NS", (2025, 9, 1 + i), (
        f"Sở Tài chính đề nghị các đơn vị rà soát khoản chi thứ {i} của ngân sách nhà nước."),
        issuer="SỞ TÀI CHÍNH", parent="UBND TỈNH HÀ TĨNH", place="Hà Tĩnh", subject=f"rà soát chi ngân sách đợt {i}"))
        for i in range(12)]
    archive = Archive(base / "archive")
    assert not archive.ingest(more, workers=1).failed
    archive.close()
    return base / "archive"


def run(*args: str) -> tuple[int, bytes]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout_bytes


def hits_of(root, query: str, *options: str) -> list[dict]:
    code, out = run("--archive", str(root), "search", query, "--json", "--limit", "100", *options)
    assert code == 0
    return json.loads(out)["hits"]


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("query", QUERIES)
def test_every_format_holds_the_hit_list(root, tmp_path, query):
    hits = hits_of(root, query)
    assert hits, query  # the query finds something, or the test would prove nothing
    code, out = run("--archive", str(root), "search", query, "--format", "jsonl")
    assert code == 0
    lines = [json.loads(x) for x in out.decode("utf-8").splitlines()]
    assert [x["id"] for x in lines] == [h["id"] for h in hits]
    for x, h in zip(lines, hits):
        assert (x["code"], x["doc_type"], x["issued_date"], x["issuer"], x["subject"]) == \
            (h["code"], h["doc_type"], h["issued_date"], h["issuer"], h["subject"])
        assert x["score"] == pytest.approx(h["score"], abs=1e-3)
    code, out = run("--archive", str(root), "search", query, "--format", "csv")
    rows = csv_rows(out)
    assert rows[0] == TITLES
    assert [r[TITLES.index("Mã văn bản")] for r in rows[1:]] == [h["id"] for h in hits]
    assert [r[TITLES.index("Số, ký hiệu")] for r in rows[1:]] == [h["code"] for h in hits]
    target = tmp_path / "kq.xlsx"
    code, _ = run("--archive", str(root), "search", query, "--format", "xlsx", "--output", str(target))
    assert code == 0
    ws = load_workbook(target).active
    assert ws["A1"].value.endswith(query)
    header = [c.value for c in ws[3]]
    assert header == TITLES and all(c.font.bold for c in ws[3]) and ws.freeze_panes == "A4"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert [r[TITLES.index("Mã văn bản")] for r in rows] == [h["id"] for h in hits]
    for r, h in zip(rows, hits):
        day = r[TITLES.index("Ngày ban hành")]
        assert isinstance(day, dt.datetime) and day.date().isoformat() == h["issued_date"]


def test_limit_bounds_the_export_and_the_default_takes_them_all(root):
    hits = hits_of(root, "nhà nước")
    assert len(hits) > 10
    _, out = run("--archive", str(root), "search", "nhà nước", "--format", "jsonl", "--limit", "2")
    assert len(out.splitlines()) == 2
    _, out = run("--archive", str(root), "search", "nhà nước", "--format", "jsonl")  # not the list's 10
    assert len(out.splitlines()) == len(hits)


@pytest.mark.parametrize("options,field,value", [
    (("--issuer", "Bộ Tài chính"), "issuer", "BỘ TÀI CHÍNH"), (("--type", "Kế hoạch"), "doc_type", "Kế hoạch"),
    (("--issuer", "Sở Tài chính", "--sort", "date"), "issuer", "SỞ TÀI CHÍNH"),
    (("--since", "1/6/2025"), None, None), (("--year", "2024"), None, None),
])
def test_export_keeps_the_filters(root, options, field, value):
    hits = hits_of(root, "đề nghị", *options)
    assert hits
    _, out = run("--archive", str(root), "search", "đề nghị", "--format", "jsonl", *options)
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x["id"] for x in lines] == [h["id"] for h in hits]
    if field:
        assert {x[field] for x in lines} == {value}


def test_bad_invocations_say_what_to_do(root, tmp_path):
    result = CliRunner().invoke(cli, ["--archive", str(root), "search", "x", "--format", "xlsx"])
    assert result.exit_code == 2 and "--output" in result.output
    result = CliRunner().invoke(cli, ["--archive", str(root), "search", "x", "--output", str(tmp_path / "a.txt")])
    assert result.exit_code == 2
    code, _ = run("--archive", str(root), "search", "nhà nước", "--output", str(tmp_path / "a.csv"))
    assert code == 0 and (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # the name's format


@pytest.fixture(scope="module")
def client(root):
    with TestClient(create_app(root), base_url="http://localhost") as c:
        yield c


def test_search_page_offers_the_download_of_its_query_and_filters(root, client):
    page = client.get("/", params={"q": "nhà nước", "co_quan": "Bộ Tài chính"})
    assert page.status_code == 200
    assert 'id="tai-csv"' in page.text and 'id="tai-xlsx"' in page.text
    assert "/tai-ket-qua?q=" in page.text and "co_quan=" in page.text
    got = client.get("/tai-ket-qua", params={"q": "nhà nước", "co_quan": "Bộ Tài chính", "dinh_dang": "csv"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    rows = csv_rows(got.content)
    assert rows[0] == TITLES and {r[TITLES.index("Cơ quan ban hành")] for r in rows[1:]} == {"BỘ TÀI CHÍNH"}


@pytest.mark.parametrize("query", QUERIES)
def test_web_xlsx_is_the_whole_hit_list(root, client, query):
    hits = hits_of(root, query)
    got = client.get("/tai-ket-qua", params={"q": query, "dinh_dang": "xlsx"})
    assert got.status_code == 200 and "spreadsheetml" in got.headers["content-type"]
    ws = load_workbook(io.BytesIO(got.content)).active
    assert [r[TITLES.index("Mã văn bản")].value for r in ws.iter_rows(min_row=4)] == [h["id"] for h in hits]


@pytest.mark.parametrize("params", [{"q": "x", "dinh_dang": "exe"}, {"q": "", "dinh_dang": "csv"},
                                    {"q": '"', "dinh_dang": "csv"}, {"dinh_dang": "xlsx"}])
def test_web_download_refuses_what_it_cannot_give(client, params):
    got = client.get("/tai-ket-qua", params=params)
    assert got.status_code in (200, 400)
    if got.status_code == 400:
        assert "text/html" in got.headers["content-type"] and "Không tải được" in got.text
    else:  # a lone quote is read as no phrase: an ordinary (empty) result
        assert got.content.startswith(b"\xef\xbb\xbf")


def test_register_page_and_downloads(client):
    page = client.get("/so-dang-ky", params={"nam": "2025", "so": "out"})
    assert page.status_code == 200 and "Sổ đăng ký văn bản đi" in page.text
    own = [m.code for m in MAIL if m.own and m.date[0] == 2025]
    assert all(code in page.text for code in own)
    got = client.get("/so-dang-ky/tai", params={"nam": "2025", "so": "out", "dinh_dang": "xlsx"})
    assert got.status_code == 200
    ws = load_workbook(io.BytesIO(got.content)).active
    assert sorted(r[0].value for r in ws.iter_rows(min_row=4)) == sorted(own)
    assert client.get("/so-dang-ky/tai", params={"nam": "abc", "so": "out"}).status_code == 400
    assert client.get("/so-dang-ky/tai", params={"nam": "2025", "so": "sideways"}).status_code == 400


def test_register_page_without_an_office(tmp_path):
    with TestClient(create_app(tmp_path / "arc"), base_url="http://localhost") as c:
        page = c.get("/so-dang-ky")
        assert page.status_code == 200 and "config office" in page.text
        assert c.get("/so-dang-ky/tai", params={"nam": "2025", "so": "in"}).status_code == 409
