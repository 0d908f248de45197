"""Checks on the committed letter PDFs in corpus/pdf (built by scripts/make_corpus_pdfs.py)."""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from functools import cache
from pathlib import Path

import pytest

pdfplumber = pytest.importorskip("pdfplumber")

ROOT = Path(__file__).resolve().parent.parent
TEXT_DIR = ROOT / "corpus" / "text"
PDF_DIR = ROOT / "corpus" / "pdf"
SEEDS = sorted(TEXT_DIR.glob("*.txt"))


def _load_maker():
    path = ROOT / "scripts" / "make_corpus_pdfs.py"
    spec = importlib.util.spec_from_file_location("make_corpus_pdfs", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_corpus_pdfs", mod)  # dataclasses look their module up here
    spec.loader.exec_module(mod)
    return mod


maker = _load_maker()


def seed_lines(seed: Path) -> list[str]:
    text = unicodedata.normalize("NFC", seed.read_text(encoding="utf-8"))
    return [maker.clean_markdown(x) for x in text.splitlines()]


def seed_code_and_date(seed: Path) -> tuple[str, str]:
    """First 'Số ...' line and first place-and-date line of the seed, straight from the text."""
    lines = seed_lines(seed)
    code = next(x for x in lines if re.match(r"^Số\b", x))
    date = next(x for x in lines if re.search(r",\s*ngày\b.*năm\s*\d{4}", x))
    if code == date:  # "Số: /BTTTT-TTĐN Hà Nội, ngày tháng năm 2023" on one line
        code, date = maker.split_place_date(code)
    return code, date


def pdf_for(seed: Path) -> Path:
    return PDF_DIR / maker.pdf_name(maker.parse_file(seed)[0].code)


@cache
def page1(pdf: Path) -> tuple[str, tuple[dict, ...]]:
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        return page.extract_text() or "", tuple(page.extract_words())


def header_columns(words: tuple[dict, ...]) -> tuple[list[dict], list[dict]]:
    """Header = words above 'Kính gửi'; split at the widest horizontal gap of their x-projection."""
    kinh = next(w for w in words if w["text"] == "Kính")
    head = sorted((w for w in words if w["bottom"] <= kinh["top"]), key=lambda w: w["x0"])
    best_gap, split, right_edge = 0.0, None, head[0]["x1"]
    for w in head[1:]:
        if w["x0"] - right_edge > best_gap:
            best_gap, split = w["x0"] - right_edge, (right_edge + w["x0"]) / 2
        right_edge = max(right_edge, w["x1"])
    assert split is not None and best_gap > 5, "no column gap in the header"
    return [w for w in head if w["x1"] <= split], [w for w in head if w["x0"] >= split]


def joined(ws: list[dict]) -> str:
    return " ".join(w["text"] for w in ws)


def test_seeds_present():
    assert SEEDS, "no seed letters in corpus/text"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_seed_has_a_pdf(seed):
    pdf = pdf_for(seed)
    assert pdf.exists(), f"{pdf.name} missing: run scripts/make_corpus_pdfs.py"
    assert pdf.stat().st_size < 200_000


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_page1_has_code_and_date(seed):
    text, _ = page1(pdf_for(seed))
    assert unicodedata.is_normalized("NFC", text)
    code, date = seed_code_and_date(seed)
    for word in code.split() + date.split():
        assert word in text, f"{word!r} from {code!r} / {date!r} not on page 1"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_header_columns(seed):
    letter = maker.parse_file(seed)[0]
    _, words = page1(pdf_for(seed))
    left, right = header_columns(words)
    left_text, right_text = joined(left), joined(right)
    code, date = seed_code_and_date(seed)
    for word in letter.body[-1].split() + ["Số"] + [w for w in code.split() if w not in ("Số", "Số:")]:
        assert word in left_text, f"{word!r} not in left header column: {left_text!r}"
    for word in letter.motto[0].split() + date.split():
        assert word in right_text, f"{word!r} not in right header column: {right_text!r}"
    assert not {"Số", "Số:"} & set(right_text.split()), right_text
    assert letter.motto[0] not in left_text and date not in left_text, left_text
