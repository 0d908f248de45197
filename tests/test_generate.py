"""The benchmark letter generator: deterministic, realistic enough that the parser reads the
number and date of its letters, and its ground truth consistent with the text it wrote."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.generate import generate
from ingest import extract
from nlp import parse
from nlp.codes import canonical_key

N = 40


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(out, docs=N, seed=11, pdf=1)
    return out


def _truth(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "truth.jsonl").read_text(encoding="utf-8").splitlines()]


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}  # the manifest records the generation time


def test_same_seed_gives_same_bytes(generated, tmp_path):
    again = tmp_path / "again"
    generate(again, docs=N, seed=11, pdf=1)
    assert _tree_bytes(again) == _tree_bytes(generated)


def test_another_seed_gives_other_letters(generated, tmp_path):
    other = tmp_path / "other"
    generate(other, docs=N, seed=12, pdf=0)
    assert (other / "text/000/000005.txt").read_bytes() != (generated / "text/000/000005.txt").read_bytes()


def test_truth_describes_every_file_and_the_set_is_varied(generated):
    rows = _truth(generated)
    assert len(rows) == N
    assert all((generated / r["path"]).is_file() for r in rows)
    assert len({r["issuer"]["name"] for r in rows}) >= 8
    assert len({r["doc_type"] for r in rows}) >= 3
    assert {r["system"] for r in rows} == {"party", "state"}
    assert {r["level"] for r in rows} == {"central", "province", "district"}
    assert sum(1 for r in rows if r["pdf"]) == 1
    assert (generated / next(r["pdf"] for r in rows if r["pdf"])).read_bytes().startswith(b"%PDF")


def test_numbers_are_unique_per_key_and_restart_each_year(tmp_path):
    generate(tmp_path, docs=600, seed=3, pdf=0)
    rows = [r for r in _truth(tmp_path) if r["relation"] not in ("duplicate", "near-duplicate")]
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)), "two different letters share a canonical key"
    # a body's yearly register: the first letter of a later year has a smaller number than the
    # last of the year before (state registers restart on 1 January, Nghị định 30/2020)
    by_body: dict[tuple, list[dict]] = {}
    for r in rows:
        if r["system"] == "state" and r["doc_type"] != "Thông tư":  # legal documents have their own register
            by_body.setdefault((r["issuer"]["name"], r["place"]), []).append(r)
    restarts = 0
    for letters in by_body.values():
        letters.sort(key=lambda r: (r["issued_date"], int(r["number"])))
        for a, b in zip(letters, letters[1:]):
            if a["issued_date"][:4] == b["issued_date"][:4]:
                assert int(b["number"]) > int(a["number"]), (a["code"], b["code"])
            elif int(b["number"]) < int(a["number"]):
                restarts += 1
    assert restarts > 0


def test_references_in_truth_appear_in_the_text_and_point_at_letters(generated):
    rows = _truth(generated)
    by_gid = {r["gid"]: r for r in rows}
    n_refs = 0
    for r in rows:
        text = (generated / r["path"]).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        text = text.replace("hoà", "hòa").replace("Uỷ", "Ủy").replace("uỷ", "ủy").replace("thuỷ", "thủy")
        text = text.replace("hoá", "hóa").replace("khoẻ", "khỏe").replace("Hoà", "Hòa").replace("HOÀ", "HÒA")
        for m in r["references"]:
            n_refs += 1
            assert text[m["start"]:m["end"]] == m["text"]
            assert m["text"].endswith(m["code"])
            if m["target"]:
                target = by_gid[m["target"]]
                assert target["code"] == m["code"]
                assert target["issued_date"] == m["date"]
                assert m["key"] == target["key"]
                assert m["date"] <= r["issued_date"]  # a letter cites what came before it
    assert n_refs >= N // 2


def test_citation_graph_runs_from_directives_down_to_districts(tmp_path):
    generate(tmp_path, docs=300, seed=5, pdf=0)
    rows = {r["gid"]: r for r in _truth(tmp_path)}
    levels = set()
    for r in rows.values():
        for m in r["references"]:
            if m["target"]:
                levels.add((r["level"], rows[m["target"]]["level"]))
    assert {("province", "central"), ("district", "province")} <= levels


def test_groups_hold_known_duplicates_and_series(tmp_path):
    generate(tmp_path, docs=300, seed=5, pdf=0)
    rows = {r["gid"]: r for r in _truth(tmp_path)}
    groups = [json.loads(x) for x in (tmp_path / "groups.jsonl").read_text(encoding="utf-8").splitlines()]
    kinds = {g["relation"] for g in groups}
    assert kinds == {"duplicate", "near-duplicate", "series"}
    for g in groups:
        texts = [parse(extract(tmp_path / rows[m]["path"])[0]) for m in g["members"]]
        issuers = {rows[m]["issuer"]["name"] for m in g["members"]}
        assert len(issuers) == 1
        if g["relation"] == "duplicate":  # another save of the same letter: the same document id
            assert len({t.id for t in texts}) == 1
        else:
            assert len({t.id for t in texts}) == len(texts)


def _parsed(generated: Path) -> list[tuple[dict, object]]:
    out = []
    for r in _truth(generated):
        docs = extract(generated / r["path"])
        out.append((r, parse(docs[0]), len(docs)))
    return out


def test_parser_reads_the_number_of_generated_letters(generated):
    for truth, rec, n_docs in _parsed(generated):
        assert n_docs == 1, truth["path"]
        assert rec.code == truth["code"], truth["path"]
        assert rec.number == truth["number"]


def test_parser_reads_the_date_of_generated_letters(generated):
    for truth, rec, _ in _parsed(generated):
        assert rec.issued_date == truth["issued_date"], truth["path"]


def test_parser_finds_the_references_of_generated_letters(generated):
    for truth, rec, _ in _parsed(generated):
        # every full citation the generator wrote is found where it stands; any other mention
        # found is a later short form (`Nghị quyết 2`) of a document cited in full before
        found = {r.start: r.code for r in rec.references}
        for m in truth["references"]:
            assert found.get(m["start"]) == m["code"], (truth["path"], m)
        full = {m["code"] for m in truth["references"]}
        assert {r.code for r in rec.references} <= full, truth["path"]


def test_truth_keys_follow_the_schema_rule(generated):
    for r in _truth(generated):
        if r["key"]:
            assert r["key"] == canonical_key(r["code"], r["issued_date"][:4], r["place"])


@pytest.fixture(scope="module")
def generated_pdfs(tmp_path_factory) -> list[tuple[dict, object]]:
    out = tmp_path_factory.mktemp("genpdf")
    generate(out, docs=60, seed=11, pdf=12)
    rows = [r for r in _truth(out) if r["pdf"]]
    assert any(r["doc_type"] == "Công văn" for r in rows) and any(r["doc_type"] != "Công văn" for r in rows)
    return [(r, parse(extract(out / r["pdf"])[0])) for r in rows]


def test_parser_reads_number_and_references_of_generated_pdfs(generated_pdfs):
    for truth, rec in generated_pdfs:
        assert rec.code == truth["code"], truth["pdf"]
        assert [r.code for r in rec.references] == [m["code"] for m in truth["references"]], truth["pdf"]


def test_parser_reads_the_date_of_generated_pdfs_other_than_cong_van(generated_pdfs):
    for truth, rec in generated_pdfs:
        if truth["doc_type"] != "Công văn":
            assert rec.issued_date == truth["issued_date"], truth["pdf"]


def test_parser_reads_the_date_of_generated_pdf_cong_van(generated_pdfs):
    for truth, rec in generated_pdfs:
        if truth["doc_type"] == "Công văn":
            assert rec.issued_date == truth["issued_date"], truth["pdf"]


def test_copies_drafts_and_shared_codes(tmp_path):
    """The letters journeys and resolution must cope with: re-sent copies with a line of their
    own, OCR'd copies, drafts under `DỰ THẢO` without a number, one code in several places
    and years (never one key for two letters: see the test above)."""
    generate(tmp_path, docs=600, seed=5, pdf=0)
    rows = {r["gid"]: r for r in _truth(tmp_path)}
    text = {g: (tmp_path / r["path"]).read_bytes().decode("utf-8-sig") for g, r in rows.items()}
    by_variant: dict[str, list[dict]] = {}
    for r in rows.values():
        by_variant.setdefault(r["variant"], []).append(r)
    assert {"resent", "ocr", "draft"} <= set(by_variant)
    for r in by_variant["resent"]:  # the original plus one line
        orig, copy = text[r["of"]].splitlines(), text[r["gid"]].splitlines()
        assert len(copy) == len(orig) + 1 or len(copy) == len(orig) + 2
        assert set(orig) <= set(copy)
    for r in by_variant["ocr"]:  # same header and citations, some body words misread
        orig, copy = text[r["of"]], text[r["gid"]]
        assert orig != copy and len(orig.splitlines()) == len(copy.splitlines())
        assert parse(extract(tmp_path / r["path"])[0]).code == rows[r["of"]]["code"]
    for r in by_variant["draft"]:
        assert text[r["gid"]].lstrip().startswith("DỰ THẢO") and r["number"] is None
        assert r["issued_date"] != rows[r["of"]]["issued_date"]
    places: dict[str, set] = {}
    years: dict[str, set] = {}
    for r in rows.values():
        if r["key"]:
            places.setdefault(r["code"], set()).add(r["place"])
            years.setdefault(r["code"], set()).add(r["issued_date"][:4])
    assert sum(1 for c in places if len(places[c]) > 1) >= 10
    assert sum(1 for c in years if len(years[c]) > 1) >= 10
