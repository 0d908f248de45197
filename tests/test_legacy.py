"""Legacy Vietnamese encodings (TCVN3, VNI): round trips on real texts, no false positives.

Regenerate the sample files with `.venv/bin/python tests/test_legacy.py --write-samples`.
"""
from __future__ import annotations

import functools
import gzip
import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest import legacy  # noqa: E402

SEEDS = sorted(Path("/work/shared/seeds").glob("*.txt"))
DOCS = Path("/work/shared/eval/real/docs.jsonl")
SAMPLES = ROOT / "tests" / "data" / "legacy"
# Sample files hold the bytes a Windows editor saves: cp1252. Latin-1 cannot hold the “ ” of
# the seeds (cp1252 0x93/0x94); cp1252 holds every TCVN3 and VNI code point.
SAMPLE_CODEC = "cp1252"
GLIBC_TCVN = Path("/usr/share/i18n/charmaps/TCVN5712-1.gz")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- test-side encoders ---------------------------------------------------------------------
ENC = legacy._ENCODE  # Unicode letter -> legacy spelling, the inverse of what convert() uses
_ASCII = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"\S+")
# TCVN3 cannot hold a toned capital inside a mixed-case word; typists moved the tone of
# `Ủy` to the y (`Uỷ`, the old placement), which is what such a file contains.
TCVN3_SPELLING = {"Ủy": "Uỷ", "¹": "1"}  # ¹ is ạ in TCVN3: superscripts were formatting


def tcvn3_view(text: str) -> str:
    """What a TCVN3 file can say of `text`: the seed with the substitutions above."""
    for old, new in TCVN3_SPELLING.items():
        text = text.replace(old, new)
    return text


def _caps(segment: str) -> bool:
    letters = [c for c in segment if c.isalpha()]
    return len(_ASCII.findall(segment)) >= 2 and not any(c.islower() for c in letters)


def _tcvn3_chars(segment: str, h_font: bool | str) -> str:
    out = []
    for char in segment:
        if h_font == "token" and char in ENC["tcvn3"]:
            out.append(ENC["tcvn3"][char])  # Đ Ă Â Ê Ô Ơ Ư have capital codes in `.VnTime`
        elif h_font and char.lower() in ENC["tcvn3"]:
            out.append(ENC["tcvn3"][char.lower()])  # `.VnTimeH`: lowercase codes draw capitals
        elif char in ENC["tcvn3"]:
            out.append(ENC["tcvn3"][char])
        elif ord(char) < 0x80 or char not in legacy._DECODE["tcvn3"]:
            if char.isupper() and not char.isascii() and char.lower() in ENC["tcvn3"]:
                raise ValueError(f"TCVN3 cannot hold {char!r} in {segment!r}")
            out.append(char)
        else:
            raise ValueError(f"{char!r} collides with a TCVN3 code point")
    return "".join(out)


def encode_tcvn3(text: str, h_font: bool = False) -> str:
    """Unicode -> TCVN3 as typed: all-caps lines and words in the `H` font, the rest in `.VnTime`."""
    lines = []
    for line in nfc(tcvn3_view(text)).split("\n"):
        if h_font or _caps(line):
            lines.append(_tcvn3_chars(line, True))
        else:
            lines.append(_WORD.sub(lambda m: _tcvn3_chars(m.group(0), _caps(m.group(0)) and "token"), line))
    return "\n".join(lines)


def encode_vni(text: str) -> str:
    out = []
    for char in nfc(text):
        if char in ENC["vni"]:
            out.append(ENC["vni"][char])
        elif char in legacy._DECODE["vni"]:
            raise ValueError(f"{char!r} collides with a VNI code point")
        else:
            out.append(char)
    return "".join(out)


def seed_text(path: Path) -> str:
    return nfc(path.read_text(encoding="utf-8"))


@functools.cache
def real_docs() -> list[dict]:
    with DOCS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def doc_lines(limit: int = 400) -> list[str]:
    """Vietnamese lines from real documents, a few from each, that both encodings can hold."""
    lines: list[str] = []
    for doc in real_docs()[::9]:
        for line in nfc(doc["text"]).split("\n")[5:60:7]:
            if len(line) < 25 or not any(c in legacy._UNICODE_ONLY for c in line):
                continue
            try:
                encode_tcvn3(line)
                encode_vni(line)
            except ValueError:
                continue
            if tcvn3_view(line) == line:
                lines.append(line)
    return lines[:limit]


# --- tables ---------------------------------------------------------------------------------
def test_tables_are_complete_and_unambiguous() -> None:
    lower_letters = {c for c in ENC["vni"] if c.islower()}
    assert len(lower_letters) == 67  # 12 vowels x 6 - 6 ASCII + đ
    assert len(ENC["tcvn3"]) == 74 and len(set(ENC["tcvn3"].values())) == 74
    assert len(ENC["vni"]) == 134 and len(set(ENC["vni"].values())) == 134
    assert all(0xA1 <= ord(v) <= 0xFE for v in ENC["tcvn3"].values())


@pytest.mark.skipif(not GLIBC_TCVN.exists(), reason="glibc TCVN5712-1 charmap not installed")
def test_tcvn3_table_matches_glibc_charmap() -> None:
    charmap = {}
    for line in gzip.open(GLIBC_TCVN, "rt", encoding="ascii", errors="replace"):
        m = re.match(r"<U([0-9A-F]{4})>\s+/x([0-9a-f]{2})\s", line)
        if m:
            charmap[chr(int(m.group(1), 16))] = chr(int(m.group(2), 16))
    for letter, code in ENC["tcvn3"].items():
        assert charmap[letter] == code, letter


@pytest.mark.parametrize(("unicode", "spelling"), [
    ("ẳ", "aú"), ("Ẳ", "AÚ"), ("ẵ", "aü"), ("ỵ", "î"), ("Ỵ", "Î"), ("ị", "ò"), ("ĩ", "ó"),
    ("ơ", "ô"), ("ớ", "ôù"), ("ư", "ö"), ("Ữ", "ÖÕ"), ("đ", "ñ"), ("Đ", "Ñ"), ("ộ", "oä"),
])
def test_vni_spellings(unicode: str, spelling: str) -> None:
    assert ENC["vni"][unicode] == spelling
    assert legacy.convert(spelling, "vni") == unicode


# --- conversion -----------------------------------------------------------------------------
@pytest.mark.parametrize(("legacy_text", "encoding", "expected"), [
    ("Bé Th«ng tin vµ TruyÒn th«ng", "tcvn3", "Bộ Thông tin và Truyền thông"),
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "tcvn3", "Độc lập - Tự do - Hạnh phúc"),
    ("Boä Thoâng tin vaø Truyeàn thoâng", "vni", "Bộ Thông tin và Truyền thông"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "vni", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
])
def test_convert_examples(legacy_text: str, encoding: str, expected: str) -> None:
    assert legacy.convert(legacy_text, encoding) == expected
    assert legacy.repair(legacy_text) == (expected, encoding)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_seed_round_trip(path: Path, encoding: str) -> None:
    original = seed_text(path)
    if encoding == "tcvn3":
        legacy_text, expected = encode_tcvn3(original), tcvn3_view(original)
        # the only unrepresentable spellings are the documented ones
        assert sum(original.count(k) for k in TCVN3_SPELLING) == sum(
            expected.count(v) - original.count(v) for v in set(TCVN3_SPELLING.values()))
    else:
        legacy_text, expected = encode_vni(original), original
    assert legacy_text != original
    assert legacy.detect(legacy_text) == encoding
    assert legacy.repair(legacy_text) == (expected, encoding)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_real_doc_lines_round_trip(encoding: str) -> None:
    lines = doc_lines()
    assert len(lines) >= 100
    encode = encode_tcvn3 if encoding == "tcvn3" else encode_vni
    font = ".VnTime" if encoding == "tcvn3" else "VNI-Times"
    for line in lines:  # one line is too little to detect on: the font name says it
        assert legacy.repair(encode(line), [font]) == (line, encoding)
    # as one document, detection sees the whole
    text = "\n".join(lines)
    assert legacy.repair(encode(text)) == (text, encoding)


@pytest.mark.parametrize(("line", "font"), [
    ("BAN CHẤP HÀNH TRUNG ƯƠNG", ".VnTimeH"),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ABCDEF+.VnTimeH"),
    ("ĐẢNG CỘNG SẢN VIỆT NAM", "VnArialH,Bold"),
    ("QUYẾT ĐỊNH VỀ VIỆC BAN HÀNH QUY CHẾ", ".VnTimeH"),
])
def test_tcvn3_capitals_font(line: str, font: str) -> None:
    h_text = encode_tcvn3(line, h_font=True)
    assert legacy.convert(h_text, "tcvn3", capitals=True) == line
    ascii_lower = re.sub(r"[A-Z]", lambda m: m.group(0).lower(), h_text)  # H fonts draw a-z as caps
    assert legacy.convert(ascii_lower, "tcvn3", capitals=True) == line
    assert legacy.convert(h_text, "tcvn3") != line
    assert legacy.repair(ascii_lower, [font]) == (line, "tcvn3")
    assert legacy.repair(h_text) == (line, "tcvn3")  # no font: all-caps line restored


@pytest.mark.parametrize(("name", "encoding", "capitals"), [
    (".VnTime", "tcvn3", False), (".VnTimeH", "tcvn3", True), ("VnTime", "tcvn3", False),
    ("ABCDEF+.VnTime", "tcvn3", False), ("ABCDEF+.VnTimeH", "tcvn3", True),
    (".VnArial", "tcvn3", False), (".VnArialH", "tcvn3", True), (".VnTime,Bold", "tcvn3", False),
    ("XYZABC+.VnArialH-Bold", "tcvn3", True), ("VNI-Times", "vni", False),
    ("ABCDEF+VNI-Times", "vni", False), ("VNI-Helve-Bold", "vni", False),
    ("TimesNewRoman", None, False), ("ABCDEF+Arial-BoldMT", None, False), ("Helvetica", None, False),
])
def test_font_names(name: str, encoding: str | None, capitals: bool) -> None:
    assert legacy._font_encoding(name) == encoding
    assert legacy.is_capitals_font(name) is capitals
    text = "Bé Th«ng tin" if encoding == "tcvn3" else "Boä Thoâng tin"
    assert legacy.detect(text, [name]) == (encoding or legacy.detect(text))


def test_font_name_does_not_override_unicode_text() -> None:
    text = "Bộ Thông tin và Truyền thông ban hành quyết định về việc công bố"
    assert legacy.detect(text, [".VnTime"]) is None
    assert legacy.repair(text, ["VNI-Times"]) == (text, None)


# --- no false positives ---------------------------------------------------------------------
def test_real_unicode_docs_are_never_detected() -> None:
    docs = real_docs()
    assert len(docs) == 362
    nfd = [d for d in docs if nfc(d["text"]) != d["text"]]
    assert len(nfd) == 35
    for doc in docs:
        assert legacy.repair(doc["text"]) == (doc["text"], None), doc["id"]
    for doc in nfd:
        assert legacy.detect(nfc(doc["text"])) is None, doc["id"]


OTHER_LANGUAGES = [
    "The Ministry of Information and Communications issued the circular on 15 March 2024.",
    "Copyright © 2024 Ministry of Justice. All rights reserved. Café, résumé, naïve, coöperate.",
    "« Le ministère a publié le décret », a-t-il déclaré. Où est la bibliothèque ? Très bien, "
    "c'est déjà fait, le goût du pâté français à Noël.",
    "Die Straße führt über die Brücke zum Büro des Ministeriums für Äußeres. Grüße aus München.",
    "El año pasado, la señora García visitó el museo; ¿está aquí? Sí, también.",
    "Ação e informação: o governo português publicou a lei número três.",
]


@pytest.mark.parametrize("text", OTHER_LANGUAGES)
def test_other_languages_are_not_detected(text: str) -> None:
    assert legacy.detect(text) is None
    assert legacy.repair(text) == (text, None)


@pytest.mark.parametrize("text", [
    "Theo «Luật Đất đai» năm 2024, Ủy ban nhân dân cấp tỉnh quyết định giá đất cụ thể.",
    "Bộ trưởng nói: « Chúng tôi sẽ hoàn thành » trong năm nay.",
    "Giá trị 5 µm, nhiệt độ 25 °C, diện tích 30 m², tỷ lệ ± 2 %.",
    "Các bên đã ký kết và cam kết thực hiện đúng các điều khoản của hợp đồng này.",
])
def test_mixed_unicode_with_stray_latin1_is_not_detected(text: str) -> None:
    assert legacy.detect(text) is None
    assert legacy.detect(unicodedata.normalize("NFD", text)) is None


# --- sample files for the ingest tests ------------------------------------------------------
def _samples() -> dict[str, str]:
    out = {}
    for path in SEEDS:
        original = seed_text(path)
        out[f"{path.stem}.tcvn3.txt"] = encode_tcvn3(original)
        out[f"{path.stem}.vni.txt"] = encode_vni(original)
    return out


@pytest.mark.parametrize("name", sorted(_samples()))
def test_sample_files(name: str) -> None:
    data = (SAMPLES / name).read_bytes()
    text = data.decode(SAMPLE_CODEC)
    assert text.encode(SAMPLE_CODEC) == data
    assert text == _samples()[name]
    stem, encoding = name.split(".")[:2]
    original = seed_text(Path("/work/shared/seeds") / f"{stem}.txt")
    expected = tcvn3_view(original) if encoding == "tcvn3" else original
    assert legacy.repair(text) == (expected, encoding)


def test_cp1252_holds_every_legacy_code_point() -> None:
    for table in ENC.values():
        for spelling in table.values():
            assert spelling.encode(SAMPLE_CODEC).decode(SAMPLE_CODEC) == spelling


if __name__ == "__main__" and "--write-samples" in sys.argv:
    SAMPLES.mkdir(parents=True, exist_ok=True)
    for sample_name, sample_text in _samples().items():
        (SAMPLES / sample_name).write_bytes(sample_text.encode(SAMPLE_CODEC))
        print("wrote", SAMPLES / sample_name)
