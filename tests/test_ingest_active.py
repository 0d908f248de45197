"""Active content in PDFs (ingest/active.py): flagged by the file's objects, never by its text."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest import extract
from ingest.active import active_content
from tests.conftest import CORPUS, ROOT
from tests.make_bad_files import _assemble, _pdf

pypdf = pytest.importorskip("pypdf", reason="pypdf builds the test PDFs (dev extras)")
from pypdf.generic import (  # noqa: E402
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

REAL_PDFS = Path("/work/shared/eval/real/pdf")
# a letter whose body speaks of JavaScript and attachments in words: text, not active content
LETTER = ["CONG VAN so 12/UBND-VP", "Ve viec: tat JavaScript tren may tram va go bo /JavaScript, /EmbeddedFiles",
          "Kinh gui: cac phong ban. /OpenAction /JS /Launch /FileAttachment la ten cac muc can kiem tra."]


def _name(n: str) -> NameObject:
    return NameObject("/" + n)


def _action(kind: str, **extra) -> DictionaryObject:
    d = DictionaryObject({_name("S"): _name(kind)})
    for k, v in extra.items():
        d[_name(k)] = TextStringObject(v)
    return d


def _annotation(subtype: str, **entries) -> DictionaryObject:
    d = DictionaryObject({_name("Type"): _name("Annot"), _name("Subtype"): _name(subtype),
                          _name("Rect"): ArrayObject([FloatObject(v) for v in (60, 60, 200, 80)])})
    d.update({_name(k): v for k, v in entries.items()})
    return d


def _variant(change, password: str | None = None) -> bytes:
    """The plain letter, changed by CHANGE(writer) and written out with pypdf."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(_pdf([LETTER]))))
    change(writer)
    if password:
        writer.encrypt(password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_js(writer) -> None:
    """A document-level script: the /Names tree's /JavaScript entry."""
    tree = DictionaryObject({_name("Names"): ArrayObject([TextStringObject("s"), _action("JavaScript", JS="a()")])})
    writer._root_object[_name("Names")] = DictionaryObject({_name("JavaScript"): tree})


def _set_root(key: str, value) -> callable:
    return lambda w: w._root_object.__setitem__(_name(key), value)


def _add_annot(annot: DictionaryObject) -> callable:
    return lambda w: w.add_annotation(0, annot)


CASES = [  # (name, how the file is made, what it holds)
    ("plain letter speaking of JavaScript", lambda: _pdf([LETTER]), []),
    ("open action: JavaScript", lambda: _variant(_set_root("OpenAction", _action("JavaScript", JS="app.alert(1)"))),
     ["javascript"]),
    ("document-level script in the /Names tree", lambda: _variant(_add_js), ["javascript"]),
    ("link annotation running JavaScript",
     lambda: _variant(_add_annot(_annotation("Link", A=_action("JavaScript", JS="this.print()")))), ["javascript"]),
    ("page-open additional action", lambda: _variant(
        lambda w: w.pages[0].__setitem__(_name("AA"), DictionaryObject({_name("O"): _action("JavaScript", JS="x")}))),
     ["javascript"]),
    ("embedded file", lambda: _variant(lambda w: w.add_attachment("ghi-chu.txt", b"noi dung")), ["attachments"]),
    ("file-attachment annotation", lambda: _variant(_add_annot(_annotation("FileAttachment"))), ["attachments"]),
    ("launch action", lambda: _variant(_set_root("OpenAction", _action("Launch", F="calc.exe"))), ["launch"]),
    ("script and attachment", lambda: _variant(lambda w: (_add_js(w), w.add_attachment("a.txt", b"x"))),
     ["javascript", "attachments"]),
    # decoys: actions that run nothing, names written in the page's own drawing
    ("decoy: a web link", lambda: _variant(_add_annot(_annotation("Link", A=_action("URI", URI="https://x.vn")))), []),
    ("decoy: a go-to-page open action",
     lambda: _variant(_set_root("OpenAction", ArrayObject([NameObject("/Fit")]))), []),
    ("decoy: a text note annotation", lambda: _variant(_add_annot(_annotation("Text"))), []),
    ("decoy: names inside an uncompressed content stream", lambda: _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R >>",
        b"<< /Length 60 >>\nstream\nBT /JavaScript 12 Tf (/JS /EmbeddedFiles /Launch) Tj ET\nendstream"]), []),
    ("name spelled with #xx escapes", lambda: _assemble([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Java#53cript /J#53 (app.alert(1)) >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] >>"]), ["javascript"]),
]


@pytest.mark.parametrize("name,make,expected", CASES, ids=[c[0] for c in CASES])
def test_active_content_is_read_from_the_objects(tmp_path, name, make, expected):
    path = tmp_path / "f.pdf"
    path.write_bytes(make())
    assert active_content(path) == expected


ENCRYPTED = [  # (how the file is changed, what it holds)
    (_add_js, ["javascript"]),
    (lambda w: w.add_attachment("a.txt", b"x"), ["attachments"]),
    (lambda w: None, []),
]


@pytest.mark.parametrize("change,expected", ENCRYPTED)
def test_a_file_pdfminer_cannot_open_is_read_by_its_raw_names(tmp_path, change, expected):
    """A PDF locked with a password cannot be opened to walk its objects; its names (never
    encrypted, unlike its strings and streams) are read from the raw bytes instead."""
    path = tmp_path / "f.pdf"
    path.write_bytes(_variant(change, password="mat-khau"))
    assert active_content(path) == expected


def test_every_real_and_corpus_pdf_is_plain():
    """No published letter of the collections carries script or attachments: none is flagged."""
    pdfs = sorted(REAL_PDFS.glob("*.pdf")) + sorted((CORPUS / "pdf").glob("*.pdf"))
    assert pdfs
    flagged = {p.name: active_content(p) for p in pdfs if active_content(p)}
    assert flagged == {}


def test_the_flag_is_kept_in_every_record_of_the_file(tmp_path):
    path = tmp_path / "thu.pdf"
    path.write_bytes(_variant(lambda w: w.add_attachment("a.txt", b"x")))
    docs = extract(path)
    assert docs and all(d.source.active_content == ["attachments"] for d in docs)
    plain = tmp_path / "thuong.pdf"
    plain.write_bytes(_pdf([LETTER]))
    assert all(d.source.active_content == [] for d in extract(plain))
    assert all(d.source.active_content == [] for d in extract(ROOT / "tests" / "data" / "web" / "script-letter.txt"))


def test_the_ingest_report_flags_active_pdfs(tmp_path):
    """`congvan ingest` says which files carry active content (text and `--json`); plain ones not."""
    import json

    from click.testing import CliRunner

    from search_cli import cli

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "co-dinh-kem.pdf").write_bytes(_variant(lambda w: w.add_attachment("a.txt", b"x")))
    (folder / "thuong.pdf").write_bytes(_pdf([LETTER + ["Noi nhan: nhu tren"]]))
    runner = CliRunner()
    text = runner.invoke(cli, ["--archive", str(tmp_path / "a"), "ingest", str(folder), "--workers", "1"]).output
    warnings = [line for line in text.splitlines() if line.strip().startswith("warning")]
    assert len(warnings) == 1 and "co-dinh-kem.pdf" in warnings[0] and "attachments" in warnings[0]
    out = runner.invoke(cli, ["--archive", str(tmp_path / "b"), "ingest", str(folder), "--workers", "1", "--json"])
    rows = {Path(r["path"]).name: r for r in json.loads(out.output)["ingested"]}
    assert rows["co-dinh-kem.pdf"]["active_content"] == ["attachments"]
    assert "active_content" not in rows["thuong.pdf"]
