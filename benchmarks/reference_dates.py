"""How often a reference read from the real gazette PDFs (../shared/eval/real/pdf/) carries the
date of the document it cites.

    .venv/bin/python benchmarks/reference_dates.py [--ocr] [-v]

The truth for a code is its published date (`issued_date` of docs.jsonl and metadata_only.jsonl)
or else the one date that the texts print right after it (`số 55/2015/TT-BLĐTBXH ngày
16/12/2015`) wherever they do: in the sources' own text of docs.jsonl and in the PDFs. A code
with two such dates (a misprint somewhere) or none is not counted. The figure is the share of the
PDFs' references to a counted code whose date is that date; `-v` lists the others with the text
around them. Scanned pages are OCR'd only with `--ocr` (minutes)."""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ingest  # noqa: E402
from benchmarks.realdocs import REAL, load_rows  # noqa: E402
from nlp import parse  # noqa: E402
from nlp.codes import code_key  # noqa: E402
from nlp.dates import NUMERIC, WORDY, match_iso  # noqa: E402
from nlp.references import CODE_RE  # noqa: E402

INLINE = 40  # characters after a code within which `ngày …` counts as its date, printed inline


def _inline_dates(text: str, into: dict[str, set[str]]) -> None:
    """Dates printed right after a code on the same line: `… số 55/2015/TT-BLĐTBXH ngày 16/12/2015`."""
    for m in CODE_RE.finditer(text):
        after = text[m.end():m.end() + INLINE]
        if "\n" in after:
            after = after.split("\n", 1)[0]
        if not after.lstrip(" ,").lower().startswith("ngày"):
            continue
        dm = WORDY.search(after) or NUMERIC.search(after)
        when = match_iso(dm) if dm else None
        if when:
            into[code_key(m.group())].add(when)


def truth(pdf_texts: list[str]) -> dict[str, str]:
    published: dict[str, str] = {}
    for name in ("docs.jsonl", "metadata_only.jsonl"):
        for row in load_rows(REAL / name):
            number = row.get("number") or ""
            if row.get("issued_date") and "/" in number:
                published[code_key(number)] = row["issued_date"]
    printed: dict[str, set[str]] = defaultdict(set)
    for row in load_rows(REAL / "docs.jsonl"):
        _inline_dates(row.get("text") or "", printed)
    for text in pdf_texts:
        _inline_dates(text, printed)
    out = {k: next(iter(v)) for k, v in printed.items() if len(v) == 1}
    out.update(published)
    return out


def main() -> None:
    verbose = "-v" in sys.argv
    ocr = "auto" if "--ocr" in sys.argv else "never"
    docs = []
    for line in (REAL / "pdf" / "MANIFEST.jsonl").open(encoding="utf-8"):
        path = REAL / json.loads(line)["file"]
        try:
            docs += ingest.extract(path, ocr=ocr)
        except ingest.IngestError as exc:
            print(f"{path.name}: {exc}")
    known = truth([d.text for d in docs])
    counted = right = 0
    for doc in docs:
        rec = parse(doc)
        for ref in rec.references:
            want = known.get(code_key(ref.code)) if ref.code else None
            if want is None:
                continue
            counted += 1
            right += ref.date == want
            if verbose and ref.date != want:
                around = " ".join(doc.text[max(0, ref.start - 40):ref.end + 80].split())
                print(f"{Path(doc.source.path).name[:40]}: {ref.code} {ref.date} (want {want}) | {around}")
    print(f"reference dates on the real gazette PDFs: {right}/{counted} = {right / max(1, counted):.3f}")


if __name__ == "__main__":
    main()
