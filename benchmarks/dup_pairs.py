"""Build the labelled pair set for duplicate and series detection.

    python benchmarks/dup_pairs.py [-o benchmarks/data/dup_pairs.json] [--no-ocr]

Every document goes through the real pipeline (`ingest.extract` → `nlp.parse`), so the
records carry what the parser reads today, header fields missing included. Pairs (a, b, label):

- duplicate: the two `exact:` groups of ../shared/eval/real/near_duplicates.jsonl; copies that
  differ only in NFC/NFD, tone placement (hoà/hòa), spacing and punctuation.
- near-duplicate: OCR'd copies made through the real OCR path (a PDF page rasterised to an
  image-only PDF, read back with Tesseract) of real Công báo PDFs and of the corpus letters
  rendered to PDF; re-sends with a new date and one changed sentence; re-crawls of one
  consolidated version (same number and year) inside near_duplicates.jsonl.
- series: successive consolidated versions of one law (near_duplicates.jsonl, other number
  or year), and letters made from a template: another number, the next year, other figures
  and dates, a sentence or two rewritten.
- none: distinct letters on the same topic (same source folder, same type).
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import extract  # noqa: E402
from ingest.models import Extracted, Source  # noqa: E402
from nlp import parse  # noqa: E402
from nlp.dates import HEADER_DATE  # noqa: E402
from text.normalize import clean_text  # noqa: E402

REAL = ROOT.parent / "shared" / "eval" / "real"
CORPUS = ROOT / "corpus" / "text"
OCR_PDFS = ["congbao_nghi-dinh-so-51-2025-nd-cp-44397.pdf", "congbao_nghi-quyet-so-25-2022-ubtvqh15-37724.pdf",
            "congbao_thong-tu-so-02-2026-tt-btc-468745.pdf"]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def record_of_text(text: str, name: str, method: str = "text") -> dict:
    src = Source(path=name, sha256="", format="text", part=0, pages=[], method=method)
    return parse(Extracted(clean_text(text), src, [], [])).to_dict()


def records_of_file(path: Path, name: str) -> dict:
    rec = parse(extract(path, ocr="auto")[0]).to_dict()
    rec["source"]["path"] = name
    return rec


# -- variants -------------------------------------------------------------------------
def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of body sentences long enough to be worth changing (after the first 15 lines)."""
    head = len("\n".join(text.split("\n")[:15]))
    return [(m.start(), m.end()) for m in re.finditer(r"[^.\n;:]{60,400}[.;]", text) if m.start() > head]


def change_sentence(text: str, rng: random.Random, other: str) -> str:
    spans = sentences(text)
    donors = [other[a:b] for a, b in sentences(other)] or ["Đề nghị các đơn vị khẩn trương thực hiện."]
    if not spans:
        return text + "\n" + rng.choice(donors) + "\n"
    a, b = rng.choice(spans)
    return text[:a] + rng.choice(donors).strip() + text[b:]


def new_date(text: str, rng: random.Random) -> str:
    m = HEADER_DATE.search(text[:3000])
    day = m and next((g for g in ("d", "d2") if m.group(g)), None)  # `ngày 8 tháng …` or `08/8/2025`
    if not day:
        return text
    d = int(m.group(day))
    nd = (d + rng.randint(1, 20) - 1) % 28 + 1
    return text[: m.start(day)] + f"{nd:02d}" + text[m.end(day):]


def exact_noise(text: str, rng: random.Random) -> str:
    """What must not count: tone placement, NFD, spacing, OCR-level punctuation noise."""
    swaps = {"hòa": "hoà", "Hòa": "Hoà", "thủy": "thuỷ", "khỏe": "khoẻ", "tòa": "toà", "quy": "quy"}
    for a, b in swaps.items():
        text = text.replace(a, b)
    text = re.sub(r" ", lambda _: "  " if rng.random() < 0.05 else " ", text)
    text = re.sub(r"([,.;])", lambda m: "" if rng.random() < 0.1 else m.group(1), text)
    text = text.replace("“", '"').replace("”", '"')
    return unicodedata.normalize("NFD", text)


def series_of(text: str, rec: dict, rng: random.Random, other: str) -> str | None:
    """The next letter on the same template: another number, next year, other figures."""
    if not rec.get("number") or not rec.get("issued_date"):
        return None
    year = rec["issued_date"][:4]
    m = re.search(r"^\W*S\s*ố\s*:?\s*(\d+)", text[:4000], re.M)
    if not m:
        return None
    number = str(int(m.group(1)) + rng.randint(3, 900))
    text = text[: m.start(1)] + number + text[m.end(1):]
    nxt = str(int(year) + 1)
    text = text.replace(year, nxt)
    head = len("\n".join(text.split("\n")[:15]))
    # other dates and figures in the body: day/month values and ordinals change each year
    body = re.sub(r"\b(\d{1,2})/(\d{1,2})\b", lambda x: f"{rng.randint(1, 28)}/{rng.randint(1, 12)}", text[head:])
    body = re.sub(r"\b(\d{2,3})(?=[ %])", lambda x: str(rng.randint(10, 999)), body)
    text = text[:head] + body
    for _ in range(2):
        text = change_sentence(text, rng, other)
    return text


# -- OCR through the real path --------------------------------------------------------
def image_only(pdf: Path, out: Path, dpi: int = 200) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    images = [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
    doc.close()
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)


def text_pdf(text: str, out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Serif", FONT))
    c = canvas.Canvas(str(out), pagesize=A4)
    width, height = A4
    y = height - 60
    for raw in text.replace("**", "").replace("*", "").split("\n"):
        for line in simpleSplit(raw, "Serif", 11, width - 120) or [""]:
            if y < 60:
                c.showPage()
                y = height - 60
            c.setFont("Serif", 11)
            c.drawString(60, y, line)
            y -= 15
    c.save()


# -- the set --------------------------------------------------------------------------
def build(ocr: bool, seed: int = 7) -> dict:
    rng = random.Random(seed)
    real = {}
    for line in open(REAL / "docs.jsonl", encoding="utf-8"):
        d = json.loads(line)
        real[d["id"]] = d
    docs: dict[str, dict] = {}
    pairs: list[dict] = []

    def add(name: str, rec: dict) -> str:
        docs[name] = rec
        return name

    def pair(a: str, b: str, label: str, kind: str) -> None:
        pairs.append({"a": a, "b": b, "label": label, "kind": kind})

    def real_rec(i: str) -> str:
        if i not in docs:
            add(i, record_of_text(real[i]["text"], i))
        return i

    # near_duplicates.jsonl: exact groups and consolidated versions
    for line in open(REAL / "near_duplicates.jsonl", encoding="utf-8"):
        g = json.loads(line)
        names = [real_rec(m) for m in g["members"] if m in real]
        for a, b in itertools.combinations(names, 2):
            if g["group"].startswith("exact:"):
                pair(a, b, "duplicate", "exact group")
            else:
                ra, rb = docs[a], docs[b]
                same = ra["code"] and ra["code"] == rb["code"] and ra["issued_date"] == rb["issued_date"]
                pair(a, b, "near-duplicate" if same else "series",
                     "consolidated re-crawl" if same else "consolidated versions")

    # the pool for made-up variants: corpus letters and real texts of letter size
    corpus = {f"corpus:{p.name}": p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}
    pool = [(k, v["text"]) for k, v in real.items() if 800 < len(v["text"]) < 30000]
    rng.shuffle(pool)
    pool = list(corpus.items()) + pool[:80]
    for i, (name, text) in enumerate(pool):
        other = pool[(i + 7) % len(pool)][1]
        base = add(name, record_of_text(text, name))
        resend = new_date(change_sentence(text, rng, other), rng)
        pair(base, add(name + "#resend", record_of_text(resend, name + "#resend")), "near-duplicate",
             "re-send: new date, one sentence changed")
        if i % 2 == 0:
            noisy = exact_noise(text, rng)
            pair(base, add(name + "#noise", record_of_text(noisy, name + "#noise")), "duplicate",
                 "same text: NFD, tone placement, spacing, punctuation")
        nxt = series_of(text, docs[base], rng, other)
        if nxt:
            pair(base, add(name + "#next", record_of_text(nxt, name + "#next")), "series",
                 "same template: another number, next year")

    # distinct letters on the same topic: same folder, same type
    by_folder: dict[tuple[str, str | None], list[str]] = {}
    for k, v in real.items():
        if len(v["text"]) < 60000:
            by_folder.setdefault((k.rsplit("/", 1)[0], v.get("doc_type")), []).append(k)
    distinct = []
    for members in by_folder.values():
        distinct += list(itertools.combinations(sorted(members), 2))
    rng.shuffle(distinct)
    grouped = {m for line in open(REAL / "near_duplicates.jsonl") for m in json.loads(line)["members"]}
    for a, b in [p for p in distinct if not set(p) & grouped][:120]:
        pair(real_rec(a), real_rec(b), "none", "distinct letters, same topic and type")
    for a, b in itertools.combinations(sorted(corpus), 2):
        pair(a, b, "none", "distinct letters (corpus)")

    if ocr:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            sources = [(f"pdf:{f}", REAL / "pdf" / f) for f in OCR_PDFS]
            for name, text in corpus.items():
                pdf = tmp / (name.split(":")[1] + ".pdf")
                text_pdf(text, pdf)
                sources.append((name + "#pdf", pdf))
            for name, pdf in sources:
                digital = add(name, records_of_file(pdf, name))
                scan = tmp / ("scan-" + pdf.name)
                image_only(pdf, scan)
                print(f"OCR {name} …", file=sys.stderr)
                pair(digital, add(name + "#ocr", records_of_file(scan, name + "#ocr")), "near-duplicate",
                     "OCR'd copy of the digital file")
    return {"docs": docs, "pairs": pairs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", default=str(ROOT / "benchmarks" / "data" / "dup_pairs.json"))
    ap.add_argument("--no-ocr", action="store_true", help="Leave out the OCR'd copies (Tesseract, ~2.5 s/page).")
    args = ap.parse_args()
    data = build(ocr=not args.no_ocr)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    counts: dict[str, int] = {}
    for p in data["pairs"]:
        counts[p["kind"]] = counts.get(p["kind"], 0) + 1
    for kind, n in sorted(counts.items()):
        print(f"{n:5d}  {kind}")
    print(f"{len(data['pairs'])} pairs, {len(data['docs'])} documents → {out}")


if __name__ == "__main__":
    main()
