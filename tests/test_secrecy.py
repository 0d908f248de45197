"""Secrecy marks on every view (issue 20): a viewer without clearance never sees a `MẬT` /
`TỐI MẬT` letter's code, subject, words, id or file name, through any `Archive` method the
command line calls or any route of the web page (JSON and downloads included), and every total
and count is the public letters'; a cleared viewer sees them. Decoy: a public letter that says
"MẬT" in its body stays visible."""
from __future__ import annotations

import io
import json
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote_plus, urlencode

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from index.access import FULL, Viewer, hidden_levels, level, may_see
from index.archive import FORMATS, Archive, Paging
from web.app import create_app

READER = Viewer("an", "doc", None)
CLEARED_MAT = Viewer("binh", "doc", "mat")
CLEARED_ALL = Viewer("chi", "quan-tri", "tuyet-mat")
YEAR = 2025


def letter(code: str, day: int, subject: str, body: str, stamp: str = "") -> str:
    return (f"BỘ NỘI VỤ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
            f"Số: {code}\n{stamp}\n\nHà Nội, ngày {day:02d} tháng 03 năm {YEAR}\n\nV/v {subject}\n\n"
            f"Kính gửi: Các sở, ban, ngành\n\n{body}\n\n"
            "Các đơn vị tổ chức thực hiện nghiêm túc, báo cáo kết quả về Bộ Nội vụ để tổng hợp.\n\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\n\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Văn Bình\n")


@dataclass
class Doc:
    file: str
    code: str
    subject: str
    word: str  # a word only this letter holds
    stamp: str = ""
    cites: str = ""
    deadline: bool = False
    same_as: str = ""  # the file this one is a re-sent copy of (the stamp left off)

    def text(self) -> str:
        body = f"Triển khai nội dung mã hiệu {self.word} theo kế hoạch."
        if self.cites:
            body = f"Thực hiện Công văn số {self.cites} ngày 01/3/{YEAR} của Bộ Nội vụ. " + body
        if self.deadline:
            body += f" Đề nghị các đơn vị báo cáo trước ngày 30/6/{YEAR}."
        return letter(self.code, int(self.code.split("/")[0]) % 27 + 1, self.subject, body, self.stamp)


PUBLIC = [
    Doc("cong-khai-goc.txt", "10/BNV-VP", "tổ chức hội nghị tổng kết công tác văn thư", "Quornavid"),
    # the decoy: says MẬT in its body (not a stamp), and cites a secret letter by its code
    Doc("cong-khai-trich.txt", "11/BNV-VP", "quản lý tài liệu MẬT trong cơ quan", "Plevatrix",
        cites="21/BNV-VP", deadline=True),
    Doc("cong-khai-han.txt", "12/BNV-VP", "báo cáo số liệu biên chế năm", "Turnelsa", deadline=True),
]
SECRET = [
    # a secret letter citing a public one, with a deadline
    Doc("mat-mot.txt", "20/BNV-VP", "phương án bảo vệ mục tiêu trọng yếu Zorvinta", "Zorvinta", stamp="MẬT",
        cites="10/BNV-VP", deadline=True),
    # a secret letter that a public letter cites
    Doc("mat-duoc-trich.txt", "21/BNV-VP", "kế hoạch diễn tập Kelmorath", "Kelmorath", stamp="MẬT"),
    Doc("toi-mat.txt", "22/BNV-VP", "danh mục công trình Vexaldun", "Vexaldun", stamp="TỐI MẬT"),
    # a secret letter and its re-sent copy without the stamp: the copy is as secret as the letter
    Doc("mat-ban-goc.txt", "23/BNV-VP", "phân công nhiệm vụ Grophelin", "Grophelin", stamp="MẬT"),
    Doc("ban-sao-khong-dau.txt", "23/BNV-VP", "phân công nhiệm vụ Grophelin", "Grophelin", same_as="mat-ban-goc.txt"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    root = tmp_path_factory.mktemp("secrecy")
    inbox = root / "inbox"
    inbox.mkdir()
    for d in PUBLIC + SECRET:
        (inbox / d.file).write_text(d.text(), encoding="utf-8")
    arc = Archive(root / "archive")
    report = arc.ingest([inbox], workers=1)
    assert not report.failed
    arc.set_office("Bộ Nội vụ", ["BNV"])
    yield arc
    arc.close()


def ids_of(arc: Archive, docs: list[Doc]) -> dict[str, str]:
    """File name → the id of the document read from it."""
    rows = arc.catalog.db.execute("SELECT id, record FROM documents").fetchall()
    return {Path(json.loads(r[1])["source"]["path"]).name: r[0] for r in rows
            if Path(json.loads(r[1])["source"]["path"]).name in {d.file for d in docs}}


def forbidden(arc: Archive, viewer: Viewer) -> dict[str, list[str]]:
    """Per secret letter the viewer may not see: what must never appear (the code where no
    visible letter prints it)."""
    ids = ids_of(arc, SECRET)
    printed = {d.cites for d in PUBLIC if d.cites}
    out = {}
    for d in SECRET:
        stamp = d.stamp or next(s.stamp for s in SECRET if s.file == d.same_as)
        if may_see(viewer, {"MẬT": "Mật", "TỐI MẬT": "Tối mật"}[stamp]):
            continue
        marks = [d.subject, d.word, d.word.lower(), ids[d.file], d.file]
        if d.code not in printed:
            marks += [d.code, quote(d.code, safe="")]
        out[d.file] = marks
    return out


def flat(data: object) -> str:
    """Any answer as text: JSON for shapes, the XML of an XLSX, the bytes of a CSV or ICS."""
    if isinstance(data, bytes):
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        return data.decode("utf-8", "replace")
    if hasattr(data, "to_dict"):
        data = data.to_dict()
    elif isinstance(data, list):
        data = [x.to_dict() if hasattr(x, "to_dict") else x for x in data]
    return json.dumps(data, ensure_ascii=False, default=str)


def cli_answers(arc: Archive) -> dict[str, object]:
    """What every command answers with `--json` (or writes as a file), through `Archive`."""
    all_ids = list(ids_of(arc, PUBLIC + SECRET).values())
    typed = [d.code for d in PUBLIC + SECRET] + all_ids
    out: dict[str, object] = {}
    for q in ["", "Bộ Nội vụ", "MẬT", "mật", "phân công", "kế hoạch", *(d.word for d in PUBLIC + SECRET),
              *(d.word[:-1] for d in SECRET), *(d.code for d in SECRET)]:
        for sort in ("score", "date"):
            out[f"search {q} {sort}"] = arc.search(q, limit=50, sort=sort)
        out[f"opens {q}"] = arc.opens(q, arc.search(q).hits) if q else None
        for fmt in FORMATS:
            out[f"export {q} {fmt}"] = arc.export_search(q or "Bộ Nội vụ", fmt)
    for t in typed:
        found = arc.lookup(t)
        out[f"lookup {t}"] = found and found.__dict__
        out[f"show {t}"] = arc.get(t)
        out[f"others {t}"] = arc.others(found)
        out[f"refs {t}"] = arc.references(t)
        out[f"cited-by {t}"] = arc.cited_by(t)
        out[f"cited-by paged {t}"] = arc.cited_by(t, Paging(limit=1))
        out[f"trace {t}"] = arc.trace(t)
        out[f"trace paged {t}"] = arc.trace(t, paging=Paging(limit=1))
        out[f"trace svg {t}"] = arc.trace(t).svg()
        out[f"graph {t}"] = arc.graph(t)
        out[f"similar {t}"] = arc.similar(t)
        out[f"duplicates {t}"] = arc.duplicates(t)
        out[f"entities {t}"] = [e.__dict__ for e in arc.entities(t)]
    for i in all_ids:
        out[f"answers {i}"] = arc.answers(i)
        original = arc.original(i)
        out[f"original {i}"] = original and {"name": original.name, "path": str(original.path)}
        out[f"first path {i}"] = arc.first_path(i)
        out[f"record {i}"] = arc.record(i)
    out["graph"] = arc.graph()
    out["stats"] = arc.stats()
    out["dedup"] = arc.dedup()
    out["deadlines"] = arc.deadlines()
    for direction in ("in", "out"):
        book = arc.register(direction, YEAR)
        out[f"register {direction}"] = book
        for fmt in ("csv", "xlsx"):
            out[f"register {direction} {fmt}"] = book.render(fmt)
    out["deadlines ics"] = arc.deadlines().to_ics()
    return out


def test_the_rule() -> None:
    # levels in order; a mark spelled otherwise is matched; an unknown mark is the highest
    assert [level(s) for s in ("Mật", "Tối mật", "Tuyệt mật", None, "", "TỐI MẬT", "bí mật lạ")] == \
        ["mat", "toi-mat", "tuyet-mat", None, None, "toi-mat", "tuyet-mat"]
    table = {None: (True, False, False, False), "mat": (True, True, False, False),
             "toi-mat": (True, True, True, False), "tuyet-mat": (True, True, True, True)}
    for clearance, sees in table.items():
        v = Viewer("x", "doc", clearance)
        assert tuple(may_see(v, s) for s in (None, "Mật", "Tối mật", "Tuyệt mật")) == sees
        assert len(hidden_levels(v)) == sees.count(False)
    assert FULL.sees_all and not READER.sees_all
    with pytest.raises(ValueError):
        Viewer("x", "doc", "secret")


def test_marks_are_read(archive: Archive) -> None:
    ids = ids_of(archive, PUBLIC + SECRET)
    stamps = {d.file: archive.catalog.record(ids[d.file]).marks.secrecy for d in PUBLIC + SECRET}
    assert stamps["mat-mot.txt"] == "Mật" and stamps["toi-mat.txt"] == "Tối mật"
    assert stamps["cong-khai-trich.txt"] is None  # the decoy: MẬT in its subject, no stamp
    assert stamps["ban-sao-khong-dau.txt"] is None
    letters = archive.letters()  # the copy without the stamp is a copy of the stamped letter
    assert letters.representative(ids["ban-sao-khong-dau.txt"]) == letters.representative(ids["mat-ban-goc.txt"])


@pytest.mark.parametrize("viewer", [READER, CLEARED_MAT], ids=["reader", "cleared-mat"])
def test_every_command_hides_what_the_viewer_may_not_see(archive: Archive, viewer: Viewer) -> None:
    view = archive.as_viewer(viewer)
    banned = forbidden(archive, viewer)
    assert banned  # each viewer here has something hidden
    for name, answer in cli_answers(view).items():
        text = flat(answer)
        for file, marks in banned.items():
            for m in marks:  # what the person typed is echoed back (the query): never more
                assert m in name or m not in text, f"{name}: {m!r} of {file} shown to {viewer.name}"
    # totals and counts are those of the letters the viewer may see
    visible_files = [d.file for d in PUBLIC + SECRET if d.file not in banned]
    visible_letters = {view.letters().representative(i) for i in ids_of(archive, PUBLIC + SECRET).values()
                       if i not in view.hidden()}
    assert view.search("").total == len(visible_letters)
    assert view.search("Bộ Nội vụ").total == len(visible_letters)
    assert sum(view.search("").facets["year"].values()) == len(visible_letters)
    assert view.stats().documents == view.count() == len(visible_files)
    assert view.search("mật").total >= 1  # the decoy stays visible
    for d in SECRET:
        if d.file in banned:
            assert view.search(d.word).total == 0
            assert view.get(d.code) is None or d.code in {p.cites for p in PUBLIC}
            assert view.search(d.word[:-1]).suggestion is None


def test_a_trace_through_a_hidden_letter_says_so_without_naming_it(archive: Archive) -> None:
    view = archive.as_viewer(READER)
    tree = view.trace("10/BNV-VP").to_dict()  # cited only by a secret letter
    assert tree["children"] == [] and tree["restricted"] == 1
    assert "20/BNV-VP" not in flat(tree)
    full = archive.trace("10/BNV-VP").to_dict()
    assert [c["code"] for c in full["children"]] == ["20/BNV-VP"] and "restricted" not in full
    # the secret letter a public one cites: known only by that citation, nothing of its record
    refs = view.references("11/BNV-VP").to_dict()["documents"]
    assert [(r["code"], r.get("id"), r.get("subject")) for r in refs] == [("21/BNV-VP", None, None)]
    assert [d["code"] for d in view.cited_by("21/BNV-VP").documents] == ["11/BNV-VP"]


def test_a_cleared_viewer_and_the_owner_see_everything(archive: Archive) -> None:
    ids = ids_of(archive, PUBLIC + SECRET)
    for viewer in (CLEARED_ALL, FULL):
        view = archive.as_viewer(viewer)
        assert view.hidden() == frozenset()
        answers = flat(list(cli_answers(view).values()))
        for d in SECRET:
            for m in (d.subject, d.word, ids[d.file], d.code):
                assert m in answers
        assert view.search("Zorvinta").total == 1
        assert view.stats().documents == len(ids)
    # the owner's view is the archive itself: the same answers, byte for byte
    assert flat(archive.as_viewer(FULL).search("Bộ Nội vụ")) == flat(archive.search("Bộ Nội vụ"))
    assert flat(archive.as_viewer(FULL).stats()) == flat(archive.stats())
    # a viewer cleared for Mật sees Mật letters but not the Tối mật one
    mat = archive.as_viewer(CLEARED_MAT)
    assert mat.search("Zorvinta").total == 1 and mat.search("Vexaldun").total == 0


def as_person(monkeypatch: pytest.MonkeyPatch, viewer: Viewer) -> None:
    """The person the login hands the page (`request.state.viewer`, web/auth.py), without the
    login itself (tests/test_web_login.py drives that): every request is VIEWER's."""
    import web.auth
    monkeypatch.setattr(web.auth, "_identify", lambda state, cookie: (viewer, None))


def web_urls(archive: Archive, app) -> list[str]:
    """Every route of the page, with each query parameter it takes, for every document and code."""
    ids = list(ids_of(archive, PUBLIC + SECRET).values())
    codes = [d.code for d in PUBLIC + SECRET]
    words = [d.word for d in PUBLIC + SECRET] + ["mật", "Bộ Nội vụ", "phân công"]
    by_path: dict[str, list[str]] = {
        "/": [f"/?{urlencode({'q': q})}" for q in words + codes + ids]
             + [f"/?{urlencode({'q': 'Bộ Nội vụ', 'sap_xep': 'ngay', 'trang': 1})}"],
        "/van-ban/{doc_id}": [f"/van-ban/{i}" for i in ids] + [f"/van-ban/{i}?{urlencode({'ma': c})}"
                                                               for i in ids for c in codes[:2]],
        "/van-ban/{doc_id}/ban-goc": [f"/van-ban/{i}/ban-goc{t}" for i in ids for t in ("", "?tai_ve=1")],
        "/trich-dan": [f"/trich-dan?{urlencode({'ma': c})}" for c in codes + ids],
        "/truy-vet": [f"/truy-vet?{urlencode({'ma': c, 'sau': 3})}" for c in codes + ids],
        "/truy-vet/do-thi.svg": [f"/truy-vet/do-thi.svg?{urlencode({'ma': c})}" for c in codes + ids],
        "/viec-den-han": ["/viec-den-han", "/viec-den-han?tu=1/1/2025&den=31/12/2025"],
        "/viec-den-han.ics": ["/viec-den-han.ics"],
        "/tai-ket-qua": [f"/tai-ket-qua?{urlencode({'q': q, 'dinh_dang': f})}" for q in words for f in ("csv", "xlsx")],
        "/so-dang-ky": [f"/so-dang-ky?nam={YEAR}&so={s}" for s in ("in", "out")],
        "/so-dang-ky/tai": [f"/so-dang-ky/tai?nam={YEAR}&so={s}&dinh_dang={f}" for s in ("in", "out")
                            for f in ("csv", "xlsx")],
        # the login and the administrator's pages name no document; logging out is a POST
        "/dang-nhap": ["/dang-nhap"], "/dang-xuat": [],
        "/quan-tri/tai-khoan": ["/quan-tri/tai-khoan"], "/quan-tri/nhat-ky": ["/quan-tri/nhat-ky"],
    }
    paths = [r.path for r in app.routes if isinstance(r, Route)]
    assert set(paths) <= set(by_path), f"a route this test does not walk: {set(paths) - set(by_path)}"
    return [u for p in paths for u in by_path[p]]


@pytest.mark.parametrize("viewer", [READER, CLEARED_ALL], ids=["reader", "cleared"])
def test_every_route_hides_what_the_viewer_may_not_see(archive: Archive, viewer: Viewer,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    as_person(monkeypatch, viewer)
    app = create_app(archive.root)
    banned = forbidden(archive, viewer)
    ids = ids_of(archive, PUBLIC + SECRET)
    seen = []
    with TestClient(app, base_url="http://localhost") as client:
        for url in web_urls(archive, app):
            r = client.get(url, follow_redirects=True)
            assert r.status_code in (200, 303, 400, 403, 404), url
            text = flat(r.content)
            seen.append(text)
            for file, marks in banned.items():
                for m in marks:  # what the person typed is echoed back (the query): never more
                    assert m in unquote_plus(url) or m in url or m not in text, \
                        f"{url}: {m!r} of {file} shown to {viewer.name}"
        for d in SECRET:  # the page of a hidden letter, its original: as for no letter at all
            status = {client.get(f"/van-ban/{ids[d.file]}").status_code,
                      client.get(f"/van-ban/{ids[d.file]}/ban-goc").status_code}
            assert status == ({404} if d.file in banned else {200}), d.file
    everything = "".join(seen)
    if not banned:
        for d in SECRET:
            assert d.word in everything and d.subject in everything
    else:
        assert "quản lý tài liệu MẬT" in everything  # the decoy


def _visible_letters(view: Archive, docs: list[Doc]) -> set[str]:
    return {view.letters().representative(i) for i in ids_of(view, docs).values() if i not in view.hidden()}


def test_whoosh_leaves_out_the_same_documents(archive: Archive, tmp_path: Path) -> None:
    """The other engine takes the same filter: totals, facets and pages are the reader's."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for d in PUBLIC + SECRET:
        (inbox / d.file).write_text(d.text(), encoding="utf-8")
    with Archive(tmp_path / "archive", engine="whoosh") as arc:
        assert not arc.ingest([inbox], workers=1).failed
        for viewer in (READER, CLEARED_MAT, FULL):
            view, tview = arc.as_viewer(viewer), archive.as_viewer(viewer)
            for q in ["", "Bộ Nội vụ", "mật", *(d.word for d in PUBLIC + SECRET)]:
                got, want = view.search(q, limit=50), tview.search(q, limit=50)
                assert got.total == want.total, (viewer, q)
                assert sorted(h["code"] for h in got.hits) == sorted(h["code"] for h in want.hits), (viewer, q)
                assert got.facets == want.facets, (viewer, q)
            assert view.search("").total == len(_visible_letters(view, PUBLIC + SECRET))


def test_an_older_catalog_learns_its_secrets_on_open(archive: Archive, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalog written before the secrecy table: filled from the records when opened; a
    read-only one that cannot be filled reads the records instead. Either way the same ids."""
    want = archive.as_viewer(READER).hidden()
    copy = tmp_path / "old"
    shutil.copytree(archive.root, copy, ignore=shutil.ignore_patterns("*.lock"))
    db = sqlite3.connect(copy / "catalog.sqlite3")
    db.execute("DROP TABLE secrecy")
    db.execute("DELETE FROM meta WHERE name = 'secrecy.version'")
    db.commit()
    db.close()
    with Archive(copy) as arc:
        assert arc.as_viewer(READER).hidden() == want
    db = sqlite3.connect(copy / "catalog.sqlite3")
    db.execute("DROP TABLE secrecy")
    db.execute("DELETE FROM meta WHERE name = 'secrecy.version'")
    db.commit()
    db.close()
    monkeypatch.setenv("CONGVAN_READ_ONLY", "1")
    with Archive(copy) as arc:
        assert arc.read_only
        assert arc.as_viewer(READER).hidden() == want
        assert arc.as_viewer(READER).search("Zorvinta").total == 0


def cli_runs(archive: Archive, out: Path) -> list[list[str]]:
    """Every reading command of `congvan`, with `--json` or its file formats, for every code and id."""
    ids = list(ids_of(archive, PUBLIC + SECRET).values())
    keys = [d.code for d in PUBLIC + SECRET] + ids
    queries = ["Bộ Nội vụ", "mật", *(d.word for d in PUBLIC + SECRET), *(d.word[:-1] for d in SECRET)]
    runs = [["search", q, "--json", "--limit", "50"] for q in queries]
    runs += [["search", q, "--format", f, "-o", str(out / f"hits.{f}")] for q in queries[:2] for f in FORMATS]
    for k in keys:
        runs += [[c, k, "--json"] for c in ("show", "refs", "cited-by", "trace", "similar")]
        runs += [[c, k] for c in ("show", "refs", "cited-by", "trace", "similar")]
        runs += [["cited-by", k, "--json", "--limit", "1"], ["trace", k, "--json", "--limit", "1"]]
        runs += [["graph", "--around", k, "--format", "json"]]
    runs += [["graph", "--format", f] for f in ("json", "dot", "graphml", "svg")]
    runs += [["stats", "--json"], ["stats"], ["dedup", "--json"], ["deadlines", "--json"], ["deadlines"],
             ["deadlines", "--ics", str(out / "han.ics")]]
    for d in ("in", "out"):
        runs += [["register", d, "--year", str(YEAR), "--json"], ["register", d, "--year", str(YEAR), "--csv", "-"],
                 ["register", d, "--year", str(YEAR), "--xlsx", str(out / f"so-{d}.xlsx")]]
    return runs


@pytest.mark.parametrize("viewer", [READER, CLEARED_ALL], ids=["reader", "cleared"])
def test_every_cli_command_hides_what_the_viewer_may_not_see(archive: Archive, viewer: Viewer,
                                                              tmp_path: Path) -> None:
    """The command line as a given person (the `viewer` that `--as NAME` sets)."""
    from click.testing import CliRunner

    from search_cli import cli
    banned = forbidden(archive, viewer)
    runner = CliRunner()
    ids = ids_of(archive, PUBLIC + SECRET)
    everything = []
    for args in cli_runs(archive, tmp_path):
        for f in tmp_path.iterdir():
            f.unlink()
        r = runner.invoke(cli, ["--archive", str(archive.root), *args], obj={"viewer": viewer})
        assert r.exit_code in (0, 1), (args, r.output, r.exception)
        text = r.output + "".join(flat(f.read_bytes()) for f in tmp_path.iterdir())
        everything.append(text)
        for file, marks in banned.items():
            for m in marks:
                assert m in " ".join(args) or m not in text, f"{args}: {m!r} of {file} shown to {viewer.name}"
    for d in SECRET:  # a hidden letter answers as no letter at all: exit 1, "không có văn bản"
        for key in (d.code, ids[d.file]):
            r = runner.invoke(cli, ["--archive", str(archive.root), "show", key], obj={"viewer": viewer})
            if d.file in banned and d.code not in {p.cites for p in PUBLIC}:
                assert r.exit_code == 1 and "không có văn bản" in r.output, (key, r.output)
            elif d.file not in banned:
                assert r.exit_code == 0 and d.subject in r.output
    whole = "".join(everything)
    if banned:
        r = runner.invoke(cli, ["--archive", str(archive.root), "trace", "10/BNV-VP"], obj={"viewer": viewer})
        assert "1 văn bản hạn chế" in r.output and "20/BNV-VP" not in r.output
        assert "quản lý tài liệu MẬT" in whole  # the decoy
    else:
        assert all(d.word in whole for d in SECRET)


def test_a_real_server_answers_the_reader_as_the_reader(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same rule through uvicorn on loopback (the viewer set as the login sets it)."""
    import threading
    import time
    import urllib.error
    import urllib.request

    import uvicorn
    from serving import free_port

    as_person(monkeypatch, READER)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(archive.root), host="127.0.0.1",
                                           port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started

        def get(path: str) -> tuple[int, str]:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
                    return r.status, r.read().decode("utf-8")
            except urllib.error.HTTPError as e:
                return e.code, e.read().decode("utf-8")

        ids = ids_of(archive, PUBLIC + SECRET)
        status, page = get("/truy-vet?" + urlencode({"ma": "10/BNV-VP"}))
        assert status == 200 and "1 văn bản hạn chế" in page and "20/BNV-VP" not in page
        assert get(f"/van-ban/{ids['mat-mot.txt']}")[0] == 404
        assert get(f"/van-ban/{ids['mat-mot.txt']}/ban-goc")[0] == 404
        assert get(f"/van-ban/{ids['cong-khai-trich.txt']}")[0] == 200
        status, page = get("/?" + urlencode({"q": "Zorvinta"}))
        assert status == 200 and "Zorvinta" in page and ids["mat-mot.txt"] not in page  # the query, echoed
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_a_clerk_ingesting_a_copy_of_a_secret_letter_is_not_told_of_it(tmp_path: Path) -> None:
    """The ingest report names the letters a new file copies: never one the clerk may not see."""
    secret = next(d for d in SECRET if d.file == "mat-ban-goc.txt")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / secret.file).write_text(secret.text(), encoding="utf-8")
    for name, note in (("ban-sao.txt", "Bản gửi lại lần hai."), ("lan-hai.txt", "Bản gửi lại lần ba.")):
        (tmp_path / "b" / name).write_text(secret.text().replace("Nơi nhận:", f"{note}\n\nNơi nhận:"),
                                           encoding="utf-8")
    with Archive(tmp_path / "archive") as arc:
        first = arc.ingest([tmp_path / "a"], workers=1).ingested[0]["ids"][0]
        clerk = arc.as_viewer(Viewer("dung", "van-thu", None))
        report = clerk.ingest([tmp_path / "b" / "ban-sao.txt"], workers=1)
        assert report.ingested and first not in flat(report.to_dict() if hasattr(report, "to_dict") else
                                                     report.__dict__)
        full = arc.ingest([tmp_path / "b" / "lan-hai.txt"], workers=1)  # the owner is told, as before
        assert any(d["of"] == first or d["id"] == first for d in full.duplicates)


def test_accounts_log_in_and_see_what_they_are_cleared_for(archive: Archive, tmp_path: Path) -> None:
    """End to end, with real accounts: the CLI's `--as` and the web page's login hand each
    person their view. A reader without clearance finds no trace of the secret letters; an
    administrator cleared for everything finds them."""
    import re

    from click.testing import CliRunner

    from search_cli import cli

    root = tmp_path / "kho"
    shutil.copytree(archive.root, root)
    passwords = {"an": "mật khẩu của an", "chi": "mật khẩu của chi"}
    with Archive(root) as arc:
        arc.accounts().add("an", "doc", passwords["an"], None)
        arc.accounts().add("chi", "quan-tri", passwords["chi"], "tuyet-mat")
        banned = forbidden(arc, READER)
        secret_ids = [i for d, i in ids_of(arc, SECRET).items() if d in banned]
    assert banned and secret_ids
    marks = [m for ms in banned.values() for m in ms]

    runner = CliRunner()
    for word in {d.word for d in SECRET}:
        reader = runner.invoke(cli, ["--archive", str(root), "--as", "an", "search", word, "--json"])
        assert reader.exit_code == 0 and json.loads(reader.output)["total"] == 0, word
        assert not any(m in reader.output for m in marks if m != word)
        admin = runner.invoke(cli, ["--archive", str(root), "--as", "chi", "search", word, "--json"])
        assert admin.exit_code == 0 and json.loads(admin.output)["total"] >= 1, word
    for i in secret_ids:
        shown = runner.invoke(cli, ["--archive", str(root), "--as", "an", "show", i])
        assert shown.exit_code == 1 and "không có văn bản" in shown.output

    def log_in(client: TestClient, name: str) -> None:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/dang-nhap").text).group(1)
        r = client.post("/dang-nhap", data={"csrf": token, "ten": name, "mat_khau": passwords[name], "tiep": "/"},
                        headers={"origin": "http://localhost"})
        assert r.status_code in (200, 303), r.text

    words = [d.word for d in SECRET]
    with TestClient(create_app(root), base_url="http://localhost") as client:
        assert client.get("/", follow_redirects=False).status_code in (302, 303, 307)  # a login first
        log_in(client, "an")
        pages = [client.get("/?" + urlencode({"q": w})).text for w in words]
        pages += [client.get("/viec-den-han").text, client.get("/so-dang-ky?" + urlencode({"nam": YEAR})).text]
        assert not any(m in p for p in pages for m in marks if m not in words)
        assert {client.get(f"/van-ban/{i}").status_code for i in secret_ids} == {404}
    with TestClient(create_app(root), base_url="http://localhost") as client:
        log_in(client, "chi")
        assert all(client.get(f"/van-ban/{i}").status_code == 200 for i in secret_ids)


def test_an_upload_does_not_name_the_secret_letter_it_copies(archive: Archive, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A clerk without clearance uploads a re-sent copy of a secret letter (the stamp left off):
    it is stored, and the batch's report does not link the letter it copies."""
    import re

    root = tmp_path / "kho"
    shutil.copytree(archive.root, root)
    clerk = Viewer("thu", "van-thu", None)
    as_person(monkeypatch, clerk)
    secret = next(d for d in SECRET if d.stamp)
    copy = Doc("ban-gui-lai.txt", secret.code, secret.subject, secret.word)  # the same letter, no stamp
    with Archive(root) as arc:
        secret_id = ids_of(arc, [secret])[secret.file]
        before = arc.stats().documents
    with TestClient(create_app(root, allow_upload=True), base_url="http://localhost") as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/nhap").text).group(1)
        r = client.post("/nhap", data={"csrf": token}, headers={"origin": "http://localhost"},
                        files=[("tep", (copy.file, copy.text().encode(), "text/plain"))])
        assert r.status_code == 200 and "Đã nhập <strong>1</strong> tệp" in r.text
        assert secret_id not in r.text and secret.subject not in r.text
    with Archive(root) as arc:
        assert arc.stats().documents == before + 1  # stored all the same
        assert arc.duplicates(secret_id)  # and known as its copy, for those cleared to see it
