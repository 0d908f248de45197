"""The write path's analysis (`index.search._document_tokens`) gives the very tokens of `index.search._tokens`:
queries are analysed by the latter, documents by the former, and a word must meet itself."""
from __future__ import annotations

import json
import random
import unicodedata

import pytest
from conftest import CORPUS, SHARED

from index.graph.codequery import index_terms
from index.search import exact_tokens, folded_tokens
from index.search._document_tokens import _SAFE, code_terms, token_forms
from index.search._engine import HEAD_SYLLABLES, doc_fields

TRICKY = [
    "", "   ", "Thông tin Đối ngoại", "HOÀ BÌNH, Hoà bình, hòa bình", "Thuỷ lợi, thủy lợi, THUỶ",
    "QUẢNG NGÃI quả", "Công văn số 1469-CV/BTGTU ngày 05/02/2025", "giá 15.000₫ (mười lăm nghìn đồng)",
    unicodedata.normalize("NFD", "Tiếng Việt viết tổ hợp: Nghị quyết, Ủy ban"),  # combining marks
    "İstanbul İİ", "ΣΑΣ ΟΔΟΣ'Α", "straße STRASSE", "“Trích yếu” — …", "数字 chữ Hán 漢字", "emoji 👍 ok",
    "Ð (eth) Đ đ", "ǅemal ǈ ǋ", "x\u0301y", "hoa\u0300 thuy\u0309", "a\u200bb", "fi ﬁ ligature",
]


def _texts() -> list[str]:
    out = list(TRICKY)
    with open(SHARED / "eval" / "real" / "docs.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % 8 == 0:  # a sample of the real documents keeps the test quick
                out.append(json.loads(line).get("text") or "")
    out += [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "text").glob("*.txt"))[:20]]
    return out


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_give_the_reference_tokens(text):
    assert token_forms(text) == (exact_tokens(text), folded_tokens(text))


def test_real_documents_give_the_reference_tokens():
    texts = _texts()
    assert len(texts) > 60
    for text in texts:
        assert token_forms(text) == (exact_tokens(text), folded_tokens(text))


def test_random_strings_of_any_characters_give_the_reference_tokens():
    rng = random.Random(3)
    safe = [chr(c) for c in _SAFE]
    other = [chr(c) for c in (0x130, 0x3A3, 0x3C3, 0x301, 0x323, 0x1F600, 0x4E00, 0xFB01, 0x1C5, 0x2126)]
    vowels = list("aeiouyAEIOUYàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĐ")
    for i in range(3000):
        pool = safe + vowels * 8 + list(" ,./-") * 10 + (other if i % 3 == 0 else [])
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 40)))
        assert token_forms(text) == (exact_tokens(text), folded_tokens(text)), repr(text)


def test_folding_per_syllable_keeps_old_and_new_tone_placement_equal():
    exact, folded = token_forms("Hoà thuỷ hòa thủy HOÀ")
    assert exact == ["hòa", "thủy", "hòa", "thủy", "hòa"]
    assert folded == ["hoa", "thuy", "hoa", "thuy", "hoa"]


def test_code_terms_are_the_index_terms():
    for code in ("57-KL/TW", "01/2024/TT-BTC", "33-CV/TTĐN", "1469-CV/BTGTU", "", "///"):
        assert code_terms(code) == tuple(index_terms(code))


def test_doc_fields_of_real_records_match_the_reference_analysis():
    from ingest import extract
    from nlp import parse

    files = sorted((CORPUS / "text").glob("*.txt"))[:12]
    assert files
    for path in files:
        for ext in extract(path):
            rec = parse(ext)
            f = doc_fields(rec)
            assert f["body"] == " ".join(exact_tokens(rec.text))
            assert f["body_f"] == " ".join(folded_tokens(rec.text))
            assert f["head_f"] == " ".join(folded_tokens(rec.text)[:HEAD_SYLLABLES])
            assert f["subject_f"] == " ".join(folded_tokens(rec.subject or ""))
            assert f["signer"] == " ".join(exact_tokens(rec.signer.name or ""))
            assert f["code"] == " ".join(index_terms(rec.code) if rec.code else [])
