"""The duplicate check on ingest, `congvan dedup` and `congvan show`'s duplicates list."""
from __future__ import annotations

import json
import re
import shutil

from click.testing import CliRunner
from conftest import CORPUS

from index.archive import Archive
from search_cli import cli

LETTER = sorted((CORPUS / "text").glob("*.txt"))[0]


def _arrivals(tmp_path):
    text = LETTER.read_text(encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(LETTER, inbox / "same-bytes.txt")
    (inbox / "retyped.md").write_text(text.replace("  ", " ").replace("hòa", "hoà") + "\n\n", encoding="utf-8")
    resend = re.sub(r"ngày \d{1,2} tháng", "ngày 21 tháng", text, count=1)
    (inbox / "resend.txt").write_text(resend.replace("Trân trọng cảm ơn", "Xin trân trọng cảm ơn"), encoding="utf-8")
    return inbox


def test_ingest_reports_what_a_new_file_duplicates(tmp_path):
    archive = Archive(tmp_path / "a")
    first = archive.ingest([CORPUS / "text"], workers=1)
    assert first.duplicates == []
    original = next(x["ids"][0] for x in first.ingested if x["path"] == str(LETTER))
    report = archive.ingest([_arrivals(tmp_path)], workers=1)
    by_path = {d["path"].rsplit("/", 1)[1]: d for d in report.duplicates}
    assert set(by_path) == {"same-bytes.txt", "retyped.md", "resend.txt"}
    assert all(d["of"] == original for d in by_path.values())
    assert by_path["same-bytes.txt"]["relation"] == "duplicate"
    assert by_path["retyped.md"]["relation"] == "duplicate"
    assert by_path["resend.txt"]["relation"] == "near-duplicate"
    assert 0.9 < by_path["resend.txt"]["similarity"] < 1.0
    # nothing is deleted: the re-send is a document of its own, the original is still there
    assert archive.catalog.record(original) is not None
    assert archive.catalog.record(by_path["resend.txt"]["id"]) is not None
    dups = archive.duplicates(original)
    assert {d["relation"] for d in dups} == {"duplicate", "near-duplicate"}
    archive.close()


def test_dedup_and_show_commands(tmp_path):
    root = str(tmp_path / "a")
    runner = CliRunner()
    assert runner.invoke(cli, ["--archive", root, "ingest", str(CORPUS / "text")]).exit_code == 0
    out = runner.invoke(cli, ["--archive", root, "ingest", str(_arrivals(tmp_path)), "--json"])
    assert len(json.loads(out.output)["duplicates"]) == 3
    res = runner.invoke(cli, ["--archive", root, "dedup", "--json"])
    assert res.exit_code == 0, res.output
    clusters = json.loads(res.output)["clusters"]
    assert len(clusters) == 1 and clusters[0]["relation"] == "near-duplicate"
    members = clusters[0]["members"]
    assert {m["code"] for m in members} == {"1805-CV/BTGDVTW"}
    assert {m["path"].rsplit("/", 1)[1] for m in members} >= {LETTER.name, "same-bytes.txt", "resend.txt"}
    show = runner.invoke(cli, ["--archive", root, "show", "1805-CV/BTGDVTW", "--json"])
    assert json.loads(show.output)["duplicates"]
    # a threshold above the re-send's similarity unlinks it; the exact copies stay
    res = runner.invoke(cli, ["--archive", root, "dedup", "--near", "0.9999", "--json"])
    relations = sorted(c["relation"] for c in json.loads(res.output)["clusters"])
    assert "near-duplicate" not in relations and "duplicate" in relations


def test_thresholds_given_at_ingest_apply_to_that_run_only(tmp_path):
    root = str(tmp_path / "a")
    runner = CliRunner()
    assert runner.invoke(cli, ["--archive", root, "ingest", str(LETTER)]).exit_code == 0
    inbox = _arrivals(tmp_path)
    (inbox / "same-bytes.txt").unlink()
    strict = runner.invoke(cli, ["--archive", root, "ingest", str(inbox), "--near", "0.9999", "--json"])
    relations = {d["path"].rsplit("/", 1)[1]: d["relation"] for d in json.loads(strict.output)["duplicates"]}
    # the re-send is below 0.9999: same code, text not close enough, so it is left to a person
    assert relations == {"retyped.md": "duplicate", "resend.txt": "conflict"}
    # the archive's own thresholds are untouched: a later file is judged by them
    again = tmp_path / "again.txt"
    again.write_text((inbox / "resend.txt").read_text(encoding="utf-8") + "\nLưu VP.\n", encoding="utf-8")
    res = runner.invoke(cli, ["--archive", root, "ingest", str(again), "--json"])
    assert {d["relation"] for d in json.loads(res.output)["duplicates"]} == {"near-duplicate"}


def test_conflict_is_listed_by_dedup_and_shown_on_the_web_page(tmp_path):
    from starlette.testclient import TestClient

    from web import create_app

    a, b = (p.read_text(encoding="utf-8") for p in sorted((CORPUS / "text").glob("*.txt"))[:2])
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "1-original.txt").write_text(a, encoding="utf-8")
    # b's body under a's header: the same number, year and issuer claimed by another letter
    (inbox / "2-claimed.txt").write_text(a.split("Kính gửi")[0] + "Kính gửi" + b.split("Kính gửi", 1)[1],
                                         encoding="utf-8")
    root = tmp_path / "a"
    runner = CliRunner()
    assert runner.invoke(cli, ["--archive", str(root), "ingest", str(inbox), "--workers", "1"]).exit_code == 0
    res = json.loads(runner.invoke(cli, ["--archive", str(root), "dedup", "--json"]).output)
    assert [c["relation"] for c in res["clusters"]] == ["conflict"]
    members = res["clusters"][0]["members"]
    assert sorted(m["path"].rsplit("/", 1)[1] for m in members) == ["1-original.txt", "2-claimed.txt"]
    assert len({m["code"] for m in members}) == 1
    arc = Archive(root)
    first = arc.get(members[0]["id"]).id
    arc.close()
    with TestClient(create_app(root), base_url="http://localhost") as client:
        page = client.get(f"/van-ban/{first}").text
    section = page[page.index('id="duplicates"'):]
    assert "Trùng số, khác nội dung" in section and f"/van-ban/{members[1]['id']}" in section
