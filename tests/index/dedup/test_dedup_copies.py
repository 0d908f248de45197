"""One line per letter: copies of a letter (its text and PDF versions, a re-sent scan) are
folded under the fullest copy in search, trace, cited-by and refs, on the command line and on
the web page; facet names group across case and diacritics; `show` lists each cited document
once. corpus/ holds each letter twice (text/ and pdf/), which is exactly the case staff meet."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from index.archive import Archive
from index.dedup import Letters, cited_once, fullness, group_facet
from nlp.models import Record
from search_cli import cli
from tests.conftest import CORPUS
from text.fold import fold
from web import create_app


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """corpus/ whole: every letter as a text file and as a PDF made from it."""
    root = tmp_path_factory.mktemp("letters")
    arc = Archive(root)
    report = arc.ingest([CORPUS], workers=1)
    arc.close()
    assert not report.failed, report.failed
    return root


def run(root, *args) -> str:
    result = CliRunner().invoke(cli, ["--archive", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def run_json(root, *args):
    return json.loads(run(root, *args, "--json"))


def letter_of(root) -> dict[str, str]:
    """Each document id -> the code of its letter, from the catalog itself."""
    arc = Archive(root)
    out = {r.id: r.code for r in arc.catalog.documents()}
    arc.close()
    return out


# -- search -------------------------------------------------------------------------------
def test_search_lists_each_letter_once_with_its_copies(both):
    res = run_json(both, "search", "thong", "tin", "doi", "ngoai")
    codes = letter_of(both)
    hit_codes = [codes[h["id"]] for h in res["hits"]]
    assert len(hit_codes) == len(set(hit_codes)), hit_codes
    # every letter of the corpus is here, each with its other copy folded under it
    assert {"1805-CV/BTGDVTW", "1469-CV/BTGTU", "-CV/BTGDV", "/BTTTT-TTĐN"} <= set(hit_codes)
    for h in res["hits"]:
        assert h["copies"], h["code"]
        for c in h["copies"]:
            assert set(c) == {"id", "path", "relation", "similarity"}
            assert c["relation"] in ("duplicate", "near-duplicate")
            assert codes[c["id"]] == h["code"] and c["id"] != h["id"]
            assert "/corpus/" in c["path"]
    # the total and the facets count letters, not files
    assert res["total"] == len(res["hits"])
    assert sum(res["facets"]["doc_type"].values()) == res["total"]
    assert sum(res["facets"]["year"].values()) == res["total"]


def test_the_fullest_copy_stands_for_the_letter_the_same_on_every_run(both, tmp_path):
    res = run_json(both, "search", "thong", "tin", "doi", "ngoai")
    arc = Archive(both)
    for h in res["hits"]:
        kept = arc.catalog.record(h["id"])
        for c in h["copies"]:
            assert fullness(kept) > fullness(arc.catalog.record(c["id"]))
    arc.close()
    # the same files ingested the other way round choose the same copies
    other = Archive(tmp_path / "b")
    other.ingest([CORPUS / "pdf"], workers=1)
    other.ingest([CORPUS / "text"], workers=1)
    other.close()
    again = run_json(tmp_path / "b", "search", "thong", "tin", "doi", "ngoai")
    assert sorted(h["id"] for h in again["hits"]) == sorted(h["id"] for h in res["hits"])


def _rec(method: str, fmt: str, doc_id: str, **fields) -> Record:
    d = {"id": doc_id, "source": {"method": method, "format": fmt}, "issuer": {}, "signer": {}, "text": "", **fields}
    return Record.from_dict(d)


def test_fullness_prefers_a_text_layer_then_more_fields_read_and_breaks_ties_by_id():
    ocr = _rec("ocr", "pdf", "a", code="1-CV/X", subject="s", place="Hà Nội")
    text = _rec("text", "pdf", "b", code="1-CV/X")
    assert fullness(text) > fullness(ocr)
    more = _rec("text", "txt", "c", code="1-CV/X", subject="s")
    assert fullness(more) > fullness(text)
    twin1, twin2 = _rec("text", "pdf", "d", code="1-CV/X"), _rec("text", "pdf", "e", code="1-CV/X")
    assert max([twin1, twin2], key=fullness).id == max([twin2, twin1], key=fullness).id == "d"


def test_search_cli_prints_one_line_per_letter_with_a_copy_count(both):
    out = run(both, "search", "thong", "tin", "doi", "ngoai")
    lines = [x for x in out.splitlines()
             if re.match(r"^\S+\s+\d{4}", x) and not x.startswith(("Loại:", "Năm:", "Cơ quan:"))]
    codes = [x.split()[0] for x in lines]
    assert len(codes) == len(set(codes)) >= 4
    assert all("(+1 bản trùng)" in x for x in lines)
    assert re.match(rf"^{len(codes)} kết quả", out)


def test_pages_of_letters_neither_overlap_nor_skip(both):
    full = [h["id"] for h in run_json(both, "search", "thong", "tin", "doi", "ngoai", "--limit", "10")["hits"]]
    paged: list[str] = []
    for page in (1, 2, 3):
        res = run_json(both, "search", "thong", "tin", "doi", "ngoai", "--limit", "2", "--page", str(page))
        assert res["total"] == len(full)
        paged += [h["id"] for h in res["hits"]]
    assert paged == full


def test_issuer_facet_groups_case_and_diacritics_under_the_header_form(corpus_archive, both):
    # corpus/text alone: 000 reads the issuer from a header in capitals, 001 from running text
    res = run_json(corpus_archive, "search", "giai", "thuong")
    issuers = res["facets"]["issuer"]
    folded = Counter(" ".join(fold(k).split()) for k in issuers)
    assert all(n == 1 for n in folded.values()), issuers
    assert issuers.get("BAN TUYÊN GIÁO VÀ DÂN VẬN") == 2, issuers
    assert "Ban Tuyên giáo và Dân vận" not in issuers
    assert "Bộ Thông tin và Truyền thông" not in run_json(both, "search", "thong", "tin")["facets"]["issuer"]


def test_group_facet_adds_up_forms_and_shows_the_most_printed_one():
    counts = {"Ban Tuyên giáo và Dân vận": 3, "BAN TUYÊN GIÁO VÀ DÂN VẬN": 1, "ban tuyen giao  va dan van": 1,
              "Sở Y tế": 2}
    assert group_facet(counts, prefer_header=True) == {"BAN TUYÊN GIÁO VÀ DÂN VẬN": 5, "Sở Y tế": 2}
    assert group_facet(counts) == {"Ban Tuyên giáo và Dân vận": 5, "Sở Y tế": 2}
    assert group_facet({"Công văn": 4, "công văn": 1, "Công Văn": 2}) == {"Công văn": 7}


# -- the citation graph -------------------------------------------------------------------
def test_trace_shows_copies_once_in_json_and_in_the_tree(both):
    tree = run_json(both, "trace", "57-KL/TW")
    codes = [c["code"] for c in tree["children"]]
    assert len(codes) == len(set(codes)) == 3, codes
    assert all(len(c["copies"]) == 1 for c in tree["children"])
    out = run(both, "trace", "57-KL/TW")
    rows = [x for x in out.splitlines() if x.startswith(("├", "└"))]
    assert len(rows) == 3 and all("(+1 bản trùng)" in x for x in rows)


def test_cited_by_and_refs_list_each_letter_once(both):
    docs = run_json(both, "cited-by", "57-KL/TW")["documents"]
    assert len({d["code"] for d in docs}) == len(docs) == 3
    assert all(d["copies"] for d in docs)
    refs = run_json(both, "refs", "1469-CV/BTGTU")["documents"]
    keys = [d["key"] for d in refs]
    assert len(keys) == len(set(keys))
    held = [d for d in refs if d["id"]]  # 33-CV/TTĐN is in the archive, in both files
    assert held and all(d.get("copies") for d in held)


def test_letters_fold_keeps_other_documents_and_order():
    letters = Letters(rep={"a": "b", "b": "b"}, copies={}, paths={"a": "x.txt", "b": "x.pdf"})
    from index.dedup import Copy
    letters.copies["b"] = [Copy("a", "x.txt", "near-duplicate", 0.9)]
    docs = [{"id": "z"}, {"id": "a", "children": [{"id": "k", "children": []}]},
            {"id": None, "code": "1-KL/TW"}, {"id": "b", "children": []}]
    out = letters.fold_docs(docs)
    assert [d["id"] for d in out] == ["z", "b", None]  # the representative takes the copy's place
    assert out[1]["copies"] == [{"id": "a", "path": "x.txt", "relation": "near-duplicate", "similarity": 0.9}]
    assert [c["id"] for c in out[1]["children"]] == ["k"]  # a copy's citers are the letter's


# -- show ---------------------------------------------------------------------------------
def test_show_lists_each_cited_document_once_with_its_mentions(both):
    data = run_json(both, "show", "1469-CV/BTGTU")
    per_code = Counter(r["code"] for r in data["references"] if r["code"])
    assert max(per_code.values()) > 1  # the JSON keeps every mention
    out = run(both, "show", "1469-CV/BTGTU")
    ref_lines = [x for x in out.splitlines() if x.startswith("  ↳")]
    assert len(ref_lines) == len(per_code)
    for code, n in per_code.items():
        line = next(x for x in ref_lines if code in x)
        assert (f"({n} lần)" in line) == (n > 1), line


def test_cited_once_counts_mentions_by_code_and_by_name():
    refs = [{"code": "57-KL/TW", "text": "Kết luận 57-KL/TW", "date": None},
            {"code": "57-KL/TW", "text": "Kết luận 57", "date": "2023-06-15"},
            {"code": None, "text": "Luật  Báo chí", "date": None},
            {"code": None, "text": "luật báo chí", "date": None}]
    out = cited_once(refs)
    assert [r["mentions"] for r in out] == [2, 2]
    assert out[0]["date"] == "2023-06-15"


def test_show_by_code_opens_the_fullest_copy(both):
    data = run_json(both, "show", "1805-CV/BTGDVTW")
    hit = next(h for h in run_json(both, "search", "1805")["hits"] if h["code"] == "1805-CV/BTGDVTW")
    assert data["id"] == hit["id"]


# -- the web page -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(both):
    with TestClient(create_app(both), base_url="http://localhost") as c:
        yield c


def test_web_search_shows_one_hit_per_letter_with_its_copies(client, both):
    page = client.get("/", params={"q": "thong tin doi ngoai"}).text
    hits = re.findall(r'<li class="hit">.*?</li>\s*(?=<li class="hit">|</ol>)', page, re.S)
    codes = [re.search(r'<span class="code">([^<]*)</span>', h).group(1) for h in hits]
    assert len(codes) == len(set(codes)) >= 4
    codes_of = letter_of(both)
    for h in hits:
        assert "+1 bản trùng" in h
        copy_ids = re.findall(r'<details class="copies">.*?href="/van-ban/([^"]+)"', h, re.S)
        assert copy_ids and all(codes_of[i] == codes_of[re.search(r'href="/van-ban/([^"]+)"', h).group(1)]
                                for i in copy_ids)
    # the issuer facet shows one entry per body
    assert "Bộ Thông tin và Truyền thông" not in page and "BỘ THÔNG TIN VÀ TRUYỀN THÔNG" in page


def test_web_trace_shows_each_letter_once(client):
    page = client.get("/truy-vet", params={"ma": "57-KL/TW"}).text
    shown = re.findall(r'class="code">([^<]*)</a>', page)
    assert Counter(shown)["1805-CV/BTGDVTW"] == 1
    assert page.count("+1 bản trùng") == 3


def test_quiet_ingest_prints_only_the_summary_and_the_copies_found(tmp_path):
    files = [str(CORPUS / "pdf" / "CV-BTGDV.pdf"), str(CORPUS / "text" / "001_c2a7dc2c21a2c490.txt")]
    res = CliRunner().invoke(cli, ["--archive", str(tmp_path / "a"), "ingest", "--quiet", "--workers", "1", *files])
    assert res.exit_code == 0, res.output
    assert "[1/2]" not in res.output
    assert res.output.splitlines()[0] == "ingested 2 file(s), 2 document(s); unchanged 0; failed 0"
    assert "copies of letters already held: 1 (" in res.output
    loud = CliRunner().invoke(cli, ["--archive", str(tmp_path / "b"), "ingest", "--workers", "1", *files])
    assert f"{files[1]} -CV/BTGDV: near-duplicate of {files[0]}" in loud.output


def test_the_same_text_in_two_files_names_the_first_file_as_the_original(tmp_path):
    first, second = tmp_path / "den.txt", tmp_path / "gui-lai.txt"
    text = (CORPUS / "text" / "001_c2a7dc2c21a2c490.txt").read_bytes()
    first.write_bytes(text)
    second.write_bytes(text + b"\n")  # another file (its own digest), the same letter
    res = CliRunner().invoke(cli, ["--archive", str(tmp_path / "a"), "ingest", "--workers", "1", str(first)])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, ["--archive", str(tmp_path / "a"), "ingest", "--workers", "1", str(second)])
    assert f"{second} -CV/BTGDV: duplicate of {first} (1.00)" in res.output, res.output
    both = CliRunner().invoke(cli, ["--archive", str(tmp_path / "b"), "ingest", "--workers", "1",
                                    str(first), str(second)])
    line = next(ln for ln in both.output.splitlines() if ": duplicate of" in ln)
    copy, original = line.split(": duplicate of ")
    assert copy.split()[0] != original.split()[0], line  # never a file named as a copy of itself


def test_similar_leaves_out_the_letters_own_copies_and_folds_the_others(both):
    res = run_json(both, "similar", "1805-CV/BTGDVTW")
    codes = [d["code"] for d in res["documents"]]
    assert "1805-CV/BTGDVTW" not in codes
    assert codes and len(codes) == len(set(codes))
