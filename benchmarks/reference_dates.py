"""How often a reference read from the real gazette PDFs (../shared/eval/real/pdf/) carries the
date of the document it cites.

    .venv/bin/python benchmarks/reference_dates.py [--ocr] [-v]

The truth for a code is its published date (`issued_date` of docs.jsonl and metadata_only.jsonl)
or else the one date that the sources' own texts (docs.jsonl, extracted by the sources, not by
this project) print right after it (`số 55/2015/TT-BLĐTBXH ngày 16/12/2015`). A code with two
such dates (a misprint somewhere) or none is not counted. Two figures: over every reference to a
counted code, and over those whose document prints that date somewhere (`Căn cứ Luật Việc làm
số 38/2013/QH13;` names no date to read: the first figure counts it, the second does not); `-v`
lists the references whose date is not that date, with the text around them. Scanned pages are
OCR'd only with `--ocr` (minutes)."""
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


def _printed_dates(text: str) -> set[str]:
    """Every date a text prints, in any of its forms, as ISO."""
    found = {match_iso(m) for m in WORDY.finditer(text)} | {match_iso(m) for m in NUMERIC.finditer(text)}
    return {d for d in found if d}


def truth() -> dict[str, str]:
    published: dict[str, str] = {}
    for name in ("docs.jsonl", "metadata_only.jsonl"):
        for row in load_rows(REAL / name):
            number = row.get("number") or ""
            if row.get("issued_date") and "/" in number:
                published[code_key(number)] = row["issued_date"]
    printed: dict[str, set[str]] = defaultdict(set)
    for row in load_rows(REAL / "docs.jsonl"):
        _inline_dates(row.get("text") or "", printed)
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
    known = truth()
    counted = right = printed_counted = printed_right = 0
    for doc in docs:
        rec = parse(doc)
        printed = _printed_dates(doc.text)
        for ref in rec.references:
            want = known.get(code_key(ref.code)) if ref.code else None
            if want is None:
                continue
            counted += 1
            right += ref.date == want
            if want in printed:
                printed_counted += 1
                printed_right += ref.date == want
            if verbose and ref.date != want:
                around = " ".join(doc.text[max(0, ref.start - 40):ref.end + 80].split())
                mark = "" if want in printed else " [not printed]"
                print(f"{Path(doc.source.path).name[:40]}: {ref.code} {ref.date} (want {want}{mark}) | {around}")
    print(f"reference dates on the real gazette PDFs: {right}/{counted} = {right / max(1, counted):.3f}")
    print(f"  where the document prints the date: {printed_right}/{printed_counted} = "
          f"{printed_right / max(1, printed_counted):.3f}")


if __name__ == "__main__":
    main()
