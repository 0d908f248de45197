"""Digital signatures (chữ ký số, issue 21): the eleven signed gazette PDFs, files spoiled after
signing (a byte changed, a page appended, a broken signature), unsigned files, trust roots made
in the test, the ingest report, `--signed`, `verify` and the issuer taken from a signature."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.archive import Archive
from ingest import extract
from ingest.models import Extracted, Signature, Source
from ingest.signatures import may_be_signed, read_hex_string, read_signatures
from nlp import parse
from search_cli import cli
from tests.conftest import CORPUS, SHARED
from tests.signing import (
    append_page,
    break_byte_range,
    break_signature,
    change_signed_byte,
    countersign,
    make_chain,
    sign_pdf,
)

REAL = SHARED / "eval" / "real" / "pdf"
CONG_BAO = "CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
VPCP = "VĂN PHÒNG CHÍNH PHỦ"
# the signing time each gazette file's signature states (its signed attribute), as printed by
# Adobe Reader's signature panel for these files
SIGNED = {
    "congbao_chi-thi-so-21-ct-ttg-469580.pdf": "2026-06-02T08:06:58+07:00",
    "congbao_nghi-dinh-so-132-2026-nd-cp-469348.pdf": "2026-04-22T16:21:09+07:00",
    "congbao_nghi-dinh-so-168-2026-nd-cp-469560.pdf": "2026-05-29T15:16:12+07:00",
    "congbao_nghi-quyet-so-115-nq-cp-469452.pdf": "2026-05-08T16:42:19+07:00",
    "congbao_nghi-quyet-so-27-2026-nq-cp-469546.pdf": "2026-05-29T15:13:29+07:00",
    "congbao_nghi-quyet-so-97-nq-cp-469324.pdf": "2026-04-21T15:32:11+07:00",
    "congbao_quyet-dinh-so-372-qd-btc-469041.pdf": "2026-03-17T17:21:35+07:00",
    "congbao_thong-tu-so-02-2026-tt-btc-468745.pdf": "2026-01-28T14:18:43+07:00",
    "congbao_thong-tu-so-19-2026-tt-btc-469385.pdf": "2026-04-29T09:46:59+07:00",
    "congbao_thong-tu-so-30-2026-tt-bkhcn-469714.pdf": "2026-06-19T08:47:36+07:00",
    "congbao_thong-tu-so-45-2026-tt-btc-469477.pdf": "2026-05-18T08:23:49+07:00",
}
SIGNER, ORG = "Nguyễn Văn Kiểm", "SỞ NỘI VỤ TỈNH KIỂM THỬ"

if not REAL.is_dir():
    pytest.skip("the real gazette PDFs (../shared/eval/real/pdf) are not here", allow_module_level=True)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """Letters signed by a chain made here, each spoiled in one way, and a real gazette spoiled.
    Each spoiled file is another letter: a file whose text is a stored letter's is that same
    document in the archive (one record per text), which the archive tests must tell apart."""
    d = tmp_path_factory.mktemp("signed")
    chain = make_chain(d, SIGNER, ORG)
    pdfs = CORPUS / "pdf"
    signed = sign_pdf(pdfs / "1805-CV-BTGDVTW.pdf", d / "signed.pdf", chain)
    gazette = REAL / "congbao_thong-tu-so-19-2026-tt-btc-469385.pdf"
    return {
        "signed": signed,
        "changed": change_signed_byte(sign_pdf(pdfs / "1469-CV-BTGTU.pdf", d / "b.pdf", chain), d / "changed.pdf"),
        "appended": append_page(sign_pdf(pdfs / "BTTTT-TTDN.pdf", d / "c.pdf", chain), d / "appended.pdf"),
        "broken": break_signature(sign_pdf(pdfs / "CV-BTGDV.pdf", d / "d.pdf", chain), d / "broken.pdf"),
        "gazette_changed": change_signed_byte(gazette, d / "gazette-changed.pdf"),
        "gazette_appended": append_page(gazette, d / "gazette-appended.pdf"),
        "unsigned": REAL / "congbao_nghi-quyet-so-25-2022-ubtvqh15-37724.pdf",
        "root": chain.root_pem, "other_root": chain.other_root_pem, "leaf": chain.leaf_pem,
        "chain": chain, "folder": d,
    }


# -- reading ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(SIGNED))
def test_signed_gazettes_read_intact_and_whole(name):
    sigs = read_signatures(REAL / name)
    assert [s.to_dict() for s in sigs] == [{"signer": CONG_BAO, "organization": VPCP, "signed_at": SIGNED[name],
                                            "intact": True, "whole_file": True, "trusted": None}]


def test_every_real_pdf_is_signed_or_empty():
    """Over all thirty real PDFs: the eleven above carry one intact signature each, every other
    file `[]` (some hold an orphan signature dictionary of another file, in no form field)."""
    found = {p.name: read_signatures(p) for p in sorted(REAL.glob("*.pdf"))}
    assert len(found) == 30
    assert {n for n, s in found.items() if s} == set(SIGNED)
    assert all(s.intact and s.whole_file and not s.altered for sigs in found.values() for s in sigs)


def test_unsigned_and_other_formats_are_empty(tmp_path):
    pdf = CORPUS / "pdf" / "1469-CV-BTGTU.pdf"  # made by reportlab: no signature dictionary at all
    assert not may_be_signed(pdf) and read_signatures(pdf) == []
    txt = next((CORPUS / "text").glob("*.txt"))
    for path in (pdf, txt):
        assert all(doc.signatures == [] for doc in extract(path, ocr="never"))
        assert all(parse(doc).to_dict()["signatures"] == [] for doc in extract(path, ocr="never"))
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert not may_be_signed(empty) and not may_be_signed(tmp_path / "missing.pdf")


@pytest.mark.parametrize("which, intact, whole", [
    ("signed", True, True), ("changed", False, None), ("appended", True, False),
    ("gazette_changed", False, None), ("gazette_appended", True, False),
])
def test_spoiled_after_signing(files, which, intact, whole):
    [sig] = read_signatures(files[which])
    assert sig.intact is intact and sig.error is None
    if whole is not None:
        assert sig.whole_file is whole
    assert sig.altered is not (intact and whole is not False)
    assert sig.signer and sig.organization and sig.signed_at  # who signed is still read


def test_broken_signature_is_reported_not_raised(files):
    [sig] = read_signatures(files["broken"])
    assert sig.error and not sig.intact and sig.altered
    recs = [parse(doc) for doc in extract(files["broken"], ocr="never")]
    assert recs and recs[0].text and recs[0].signatures[0].error  # the file is read all the same


def test_two_signers_in_signing_order(files):
    """A second signature after the first is an allowed update: both whole; a page appended
    after both spoils both."""
    d = files["folder"]
    (d / "second").mkdir(exist_ok=True)
    second = make_chain(d / "second", "Trần Thị Hai", "UBND TỈNH KIỂM THỬ")
    two = countersign(files["signed"], d / "two.pdf", second)
    sigs = read_signatures(two)
    assert [(s.signer, s.organization) for s in sigs] == [(SIGNER, ORG), ("Trần Thị Hai", "UBND TỈNH KIỂM THỬ")]
    assert all(s.intact and s.whole_file for s in sigs)
    after = read_signatures(append_page(two, d / "two-appended.pdf"))
    assert [(s.intact, s.whole_file) for s in after] == [(True, False), (True, False)]


def test_byte_range_past_the_end_is_not_intact(files, tmp_path):
    bad = break_byte_range(files["signed"], tmp_path / "range.pdf")
    [sig] = read_signatures(bad)
    assert not sig.intact and sig.altered
    assert [parse(doc).text for doc in extract(bad, ocr="never")]  # the file is read all the same


def test_nothing_is_fetched_from_the_network(files, monkeypatch):
    """With roots that do not reach the gazette's chain (whose certificates name online CA and
    OCSP addresses), the check stays offline: no socket is opened."""
    import socket

    from index.signing import load_certificates

    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise OSError("network used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    from cryptography.hazmat.primitives.serialization import Encoding
    roots = [c.public_bytes(Encoding.DER) for c in load_certificates(files["other_root"].read_bytes())]
    for path in (REAL / "congbao_thong-tu-so-19-2026-tt-btc-469385.pdf", files["signed"]):
        [sig] = read_signatures(path, roots)
        assert sig.intact and sig.trusted is False and sig.error is None
    assert calls == []


@pytest.mark.parametrize("raw", [
    b"<48656C6C6F>", b"<48 65\n6c\r\n6C\t6f>", b"<4865 6>", b"<>", b"<  >", b"<0A0b0C>",
    b"<48656C6C6F>tail", b"<48%comment\n65>", b"<48zz65>", b"<4865",
])
def test_fast_hex_reader_answers_as_pyhanko(raw):
    """The bulk hex reader is pyHanko's own, faster: same value and same position after, or
    the same error (a comment or a bad digit is left to pyHanko's reader)."""
    from pyhanko.pdf_utils import generic

    import ingest.signatures as sigmod
    sigmod._load()
    original = _pyhanko_original()

    def answer(fn):
        s = io.BytesIO(raw)
        try:
            return fn(s), s.tell()
        except Exception as exc:
            return type(exc).__name__
    assert answer(lambda s: read_hex_string(s, original)) == answer(original)
    assert generic.read_hex_string_from_stream is not original


def _pyhanko_original():
    import importlib.util
    spec = importlib.util.find_spec("pyhanko.pdf_utils.generic")
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)  # an unpatched copy of the module: pyHanko's reader as shipped
    return fresh.read_hex_string_from_stream


# -- the archive -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def archive(files, tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("inbox")
    for name in ("signed", "changed", "appended", "broken", "unsigned"):
        shutil.copyfile(files[name], inbox / f"{name}.pdf")
    shutil.copyfile(REAL / "congbao_thong-tu-so-02-2026-tt-btc-468745.pdf", inbox / "gazette.pdf")
    root = tmp_path_factory.mktemp("archive")
    code, out = run("--archive", str(root), "ingest", "--ocr", "never", "--workers", "1", "--json", str(inbox))
    report = json.loads(out)
    assert code == 0 and not report["failed"] and len(report["ingested"]) == 6
    assert sorted(Path(a["path"]).name for a in report["altered"]) == ["appended.pdf", "broken.pdf", "changed.pdf"]
    return root


def test_ingest_report_names_altered_files(files, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("changed", "appended", "unsigned", "signed"):
        shutil.copyfile(files[name], inbox / f"{name}.pdf")
    code, out = run("--archive", str(tmp_path / "a"), "ingest", "--ocr", "never", "--workers", "1", str(inbox))
    assert code == 0
    warned = [ln for ln in out.splitlines() if "CẢNH BÁO" in ln]
    assert len(warned) == 2
    assert any("changed.pdf" in ln and "đã bị sửa sau khi ký" in ln for ln in warned)
    assert any("appended.pdf" in ln and "có nội dung thêm sau khi ký" in ln for ln in warned)


def _show(root: Path, key: str) -> dict:
    code, out = run("--archive", str(root), "show", key, "--json")
    assert code == 0, out
    return json.loads(out)


def _ids_of(root: Path, name: str) -> set[str]:
    """Every document of one file (a file may hold several)."""
    a = Archive(root)
    try:
        rows = a.catalog.db.execute("SELECT d.id FROM documents d JOIN paths p ON p.sha256 = d.sha256 "
                                    "WHERE p.path LIKE ? ORDER BY d.part", (f"%/{name}",)).fetchall()
        assert rows, name
        return {r[0] for r in rows}
    finally:
        a.close()


def _id_of(root: Path, name: str) -> str:
    return min(_ids_of(root, name), key=lambda i: int(i.rsplit("-", 1)[1]))


def test_show_prints_the_signature_line(archive):
    doc = _id_of(archive, "gazette.pdf")
    code, out = run("--archive", str(archive), "show", doc)
    assert "Ký số: VĂN PHÒNG CHÍNH PHỦ, 28/01/2026 14:18 — còn nguyên vẹn" in out
    code, out = run("--archive", str(archive), "show", _id_of(archive, "changed.pdf"))
    assert f"Ký số: {ORG}," in out and "— đã bị sửa sau khi ký" in out
    code, out = run("--archive", str(archive), "show", _id_of(archive, "unsigned.pdf"))
    assert "Ký số" not in out


def test_trusted_follows_the_roots_of_the_day(archive, files, tmp_path):
    """Null without roots; a leaf refused; another CA: false; the signer's root: true (in PEM and
    in DER); removed again: false. The stored record is never rewritten for it."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    doc = _id_of(archive, "signed.pdf")
    gazette = _id_of(archive, "gazette.pdf")
    assert _show(archive, doc)["signatures"][0]["trusted"] is None
    code, out = run("--archive", str(archive), "config", "trust", "add", str(files["leaf"]))
    assert code == 1 and "không phải chứng thư của tổ chức cung cấp dịch vụ chứng thực" in out
    junk = tmp_path / "junk.pem"
    junk.write_text("không phải chứng thư")
    code, out = run("--archive", str(archive), "config", "trust", "add", str(junk))
    assert code == 1 and "không phải chứng thư số" in out
    code, out = run("--archive", str(archive), "config", "trust", "add", str(files["other_root"]))
    assert code == 0
    assert _show(archive, doc)["signatures"][0]["trusted"] is False
    assert _show(archive, gazette)["signatures"][0]["trusted"] is False  # its root is not given
    code, out = run("--archive", str(archive), "show", doc)
    assert "còn nguyên vẹn, chưa xác minh được nguồn gốc" in out
    der = tmp_path / "root.cer"
    der.write_bytes(x509.load_pem_x509_certificate(files["root"].read_bytes()).public_bytes(Encoding.DER))
    code, out = run("--archive", str(archive), "config", "trust", "add", str(der))
    assert code == 0 and "đã thêm gốc tin cậy" in out
    assert _show(archive, doc)["signatures"][0]["trusted"] is True
    assert _show(archive, gazette)["signatures"][0]["trusted"] is False
    code, out = run("--archive", str(archive), "config", "trust", "list", "--json")
    roots = json.loads(out)["roots"]
    assert len(roots) == 2 and all(len(r["fingerprint"]) == 64 for r in roots)
    mine = next(r for r in roots if "RootCA kiểm thử" in r["subject"])
    code, out = run("--archive", str(archive), "config", "trust", "remove", mine["fingerprint"][:16].upper())
    assert code == 0
    assert _show(archive, doc)["signatures"][0]["trusted"] is False
    code, out = run("--archive", str(archive), "config", "trust", "remove", "deadbeefdeadbeef")
    assert code == 1 and "không có gốc tin cậy nào" in out
    other = next(r for r in roots if r is not mine)
    run("--archive", str(archive), "config", "trust", "remove", other["fingerprint"])
    assert _show(archive, doc)["signatures"][0]["trusted"] is None
    a = Archive(archive)
    try:  # what the catalog keeps is the file's own evidence, trust left to the day it is asked
        assert a.catalog.record(doc).signatures[0].trusted is None
    finally:
        a.close()


@pytest.mark.parametrize("state, names", [
    ("signed", {"signed.pdf", "changed.pdf", "appended.pdf", "broken.pdf", "gazette.pdf"}),
    ("unsigned", {"unsigned.pdf"}),
    ("altered", {"changed.pdf", "appended.pdf", "broken.pdf"}),
])
def test_search_signed_filter(archive, state, names):
    ids = {i for n in names for i in _ids_of(archive, n)}
    code, out = run("--archive", str(archive), "search", "", "--signed", state, "--limit", "50", "--json")
    assert code == 0
    found = {h["id"] for h in json.loads(out)["hits"]} | {c["id"] for h in json.loads(out)["hits"]
                                                         for c in h.get("copies", [])}
    assert ids <= found and not (found - ids) - _copies(archive, ids)


def _copies(root: Path, ids: set[str]) -> set[str]:
    a = Archive(root)
    try:
        return {c["id"] for i in ids for c in a.letters().copies_of(i)}
    finally:
        a.close()


def test_verify_without_ingest(files, tmp_path):
    paths = [str(files[n]) for n in ("signed", "changed", "unsigned")]
    code, out = run("--archive", str(tmp_path / "none"), "verify", *paths, "--json")
    data = json.loads(out)
    assert code == 1 and not (tmp_path / "none").exists()  # no archive made by a check
    assert [f["signed"] for f in data["files"]] == [True, True, False]
    assert data["altered"] == [str(files["changed"])]
    assert data["files"][0]["signatures"][0]["trusted"] is None
    code, out = run("--archive", str(tmp_path / "none"), "verify", str(files["signed"]))
    assert code == 0 and f"Ký số: {ORG}," in out and "còn nguyên vẹn" in out


def test_verify_uses_the_archives_roots(archive, files):
    run("--archive", str(archive), "config", "trust", "add", str(files["root"]))
    try:
        code, out = run("--archive", str(archive), "verify", str(files["signed"]), "--json")
        assert code == 0 and json.loads(out)["files"][0]["signatures"][0]["trusted"] is True
    finally:
        a = Archive(archive)
        for r in a.trust_roots():
            a.trust_remove(r.fingerprint)
        a.close()


# -- the issuer ------------------------------------------------------------------------------
HEADED = """BỘ TÀI CHÍNH

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 1234/BTC-VP
V/v báo cáo tình hình thực hiện

Hà Nội, ngày 12 tháng 3 năm 2025

Kính gửi: Các đơn vị thuộc Bộ.

Đề nghị các đơn vị báo cáo trước ngày 30/3/2025.
"""
HEADLESS = """Đề nghị các đơn vị rà soát, báo cáo kết quả thực hiện về Văn phòng trước ngày 30/3/2025.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""


@pytest.mark.parametrize("text, sigs, name, source", [
    (HEADLESS, [Signature(organization=ORG, intact=True, whole_file=True)], ORG, "signature"),
    (HEADLESS, [Signature(organization=ORG, intact=False, whole_file=True)], None, None),  # altered: no evidence
    (HEADLESS, [Signature(organization=None, signer=SIGNER, intact=True, whole_file=True)], None, None),
    (HEADLESS, [], None, None),
    (HEADED, [Signature(organization=ORG, intact=True, whole_file=True)], "BỘ TÀI CHÍNH", None),  # the header wins
])
def test_issuer_from_signature_only_where_the_text_names_none(text, sigs, name, source):
    rec = parse(Extracted(text=text, source=Source(path="x.pdf", sha256="0", format="pdf"), signatures=sigs))
    assert rec.issuer.name == name and rec.issuer.source == source
    assert rec.to_dict()["signatures"] == [s.to_dict() for s in sigs]


def _headless_pdf(path: Path) -> Path:
    """A one-page letter whose header is missing (as a scan whose header OCR could not read)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = next((p for p in Path("/usr/share/fonts/truetype").glob("liberation*/LiberationSerif-Regular.ttf")), None)
    if font is None:
        pytest.skip("no Liberation Serif font to write Vietnamese")
    pdfmetrics.registerFont(TTFont("Serif", str(font)))
    c = canvas.Canvas(str(path))
    c.setFont("Serif", 12)
    y = 780
    for line in HEADLESS.splitlines():
        c.drawString(60, y, line)
        y -= 18
    c.save()
    return path


def test_a_signed_letter_without_header_takes_its_issuer_from_the_signature(files, tmp_path):
    signed = sign_pdf(_headless_pdf(tmp_path / "headless.pdf"), tmp_path / "headless-signed.pdf", files["chain"])
    code, out = run("parse", str(signed), "--json")
    [rec] = json.loads(out)
    assert rec["issuer"]["name"] == ORG and rec["issuer"]["source"] == "signature"
    code, out = run("parse", str(signed))
    issuer_line = next(ln for ln in out.splitlines() if ln.startswith("Cơ quan"))
    assert issuer_line.split(None, 2)[2] == f"{ORG} (theo chữ ký số)" and f"Ký số: {ORG}," in out
    code, out = run("parse", str(tmp_path / "headless.pdf"), "--json")  # the same letter unsigned: no issuer
    assert json.loads(out)[0]["issuer"]["name"] is None


@pytest.mark.parametrize("sig, line", [
    (Signature(organization=VPCP, signed_at="2026-04-29T09:46:59+07:00", intact=True, whole_file=True),
     "Ký số: VĂN PHÒNG CHÍNH PHỦ, 29/04/2026 09:46 — còn nguyên vẹn"),
    (Signature(organization=ORG, signed_at="2026-04-29T02:46:59+00:00", intact=True, whole_file=True, trusted=True),
     f"Ký số: {ORG}, 29/04/2026 09:46 — còn nguyên vẹn, nguồn gốc tin cậy"),  # read in Vietnam's time
    (Signature(organization=ORG, signed_at="2026-04-29T09:46:59+07:00", intact=True, whole_file=True, trusted=False),
     f"Ký số: {ORG}, 29/04/2026 09:46 — còn nguyên vẹn, chưa xác minh được nguồn gốc"),
    (Signature(organization=ORG, signed_at="2026-04-29T09:46:59+07:00", intact=False, whole_file=True, trusted=True),
     f"Ký số: {ORG}, 29/04/2026 09:46 — đã bị sửa sau khi ký"),  # a trusted signer does not excuse a change
    (Signature(organization=ORG, signed_at="2026-04-29T09:46:59+07:00", intact=True, whole_file=False),
     f"Ký số: {ORG}, 29/04/2026 09:46 — có nội dung thêm sau khi ký"),
    (Signature(signer=SIGNER, intact=False, whole_file=False, error="không đọc được chữ ký số (ValueError)"),
     f"Ký số: {SIGNER}, không rõ thời gian — không kiểm tra được (không đọc được chữ ký số (ValueError))"),
])
def test_signature_line(sig, line):
    from index.archive import describe
    assert describe(sig) == line


def test_reindex_reads_the_signatures_of_an_older_archive(tmp_path):
    """Records stored before signatures existed have no `signatures` key: `congvan reindex`
    reads them from the kept originals, once; `--signed` then finds them."""
    root = tmp_path / "old"
    gazette = REAL / "congbao_thong-tu-so-02-2026-tt-btc-468745.pdf"
    unsigned = REAL / "congbao_nghi-quyet-so-25-2022-ubtvqh15-37724.pdf"
    code, _ = run("--archive", str(root), "ingest", "--ocr", "never", "--workers", "1", str(gazette), str(unsigned))
    a = Archive(root)
    rows = a.catalog.db.execute("SELECT id, record FROM documents").fetchall()
    for doc_id, text in rows:  # as an archive written before this session left them
        rec = json.loads(text)
        del rec["signatures"]
        a.catalog.db.execute("UPDATE documents SET record = ? WHERE id = ?", (json.dumps(rec), doc_id))
    a.close()
    assert run("--archive", str(root), "reindex")[0] == 0
    [signed] = _ids_of(root, gazette.name)
    assert _show(root, signed)["signatures"][0]["organization"] == VPCP
    [plain] = _ids_of(root, unsigned.name)
    assert _show(root, plain)["signatures"] == []
    code, out = run("--archive", str(root), "search", "", "--signed", "signed", "--json")
    assert [h["id"] for h in json.loads(out)["hits"]] == [signed]
    a = Archive(root)
    try:
        assert not a.catalog.db.execute(
            "SELECT count(*) FROM documents WHERE json_type(record, '$.signatures') IS NULL").fetchone()[0]
    finally:
        a.close()
