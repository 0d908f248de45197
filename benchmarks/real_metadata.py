"""How often the parser's own number and type agree with the sources' metadata on the real
documents of ../shared/eval/real/docs.jsonl (see SOURCES.md there for the caveats per source).

    .venv/bin/python benchmarks/real_metadata.py [-v]

The truth is the `number` field (a real number, or the Công báo URL slug that names it:
`nghi-dinh-so-51-2025-nd-cp-44397` → `51/2025/NĐ-CP`, compared without diacritics since the
slug has none), or the thuvienphapluat title (`Nghị định 21/2021/NĐ-CP`). Documents whose
metadata names no number are not counted.

The figure is agreement over the documents whose text prints their number: a number that only
the source's file name or URL holds (a scanned gazette page with running heads alone, a
fragment) is not extraction, so those are counted beside it, labelled, not in it. Prints every
disagreement with -v."""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.realdocs import documents  # noqa: E402
from nlp import parse  # noqa: E402
from text.fold import fold  # noqa: E402

SLUG_TYPES = {
    "luat": "Luật", "bo-luat": "Bộ luật", "nghi-dinh": "Nghị định", "nghi-quyet": "Nghị quyết",
    "thong-tu-lien-tich": "Thông tư liên tịch", "thong-tu": "Thông tư", "quyet-dinh": "Quyết định",
    "chi-thi": "Chỉ thị", "van-ban-hop-nhat": "Văn bản hợp nhất", "cong-van": "Công văn", "lenh": "Lệnh",
    "phap-lenh": "Pháp lệnh", "thong-bao": "Thông báo", "hien-phap": "Hiến pháp",
}
CODE = re.compile(r"\d+[a-z]?(?:/\d{4})?/[A-ZĐ][\wĐđ]*(?:-[\wĐđ]+)*|\d+-[A-ZĐ][\wĐđ]*/[\wĐđ-]+")
TYPE_WORDS = sorted(SLUG_TYPES.values(), key=len, reverse=True)


def _fold_code(code: str) -> str:
    return re.sub(r"(^|/)0+(?=\d)", r"\1", fold(code.replace("Ð", "Đ")).upper().replace(" ", "").replace(".", ""))


def _printed_codes(text: str) -> str:
    """The text folded the way codes are compared (no spaces, dots or leading zeros), so that a
    code is `in` it only where the text really prints it: scanned stubs and gazette fragments
    whose number stands only in the source's metadata do not."""
    flat = re.sub(r"\s+", "", fold(text.replace("Ð", "Đ")).upper()).replace(".", "")
    return re.sub(r"(?<!\d)0+(?=\d)", "", flat)


def truth(row: dict) -> tuple[str, str | None] | None:
    """(folded code, type) that the source gives for this document, or None."""
    number = row.get("number") or ""
    m = re.match(r"^([a-z-]+?)-so-([a-z0-9-]+?)(?:-\d{5,})?$", number)
    if m:
        kind, rest = m.groups()
        parts = rest.split("-")
        if len(parts) < 2:
            return None
        if re.fullmatch(r"(19|20)\d\d", parts[1]) and len(parts) > 2:
            code = f"{parts[0]}/{parts[1]}/" + "-".join(parts[2:])
        else:
            code = f"{parts[0]}/" + "-".join(parts[1:])
        return _fold_code(code), SLUG_TYPES.get(kind)
    for field in (number, row.get("title") or ""):
        field = unicodedata.normalize("NFC", field)
        cm = CODE.search(field)
        if cm:
            kind = next((t for t in TYPE_WORDS if field.startswith(t)), None)
            return _fold_code(cm.group()), kind
    return None


def main() -> None:
    verbose = "-v" in sys.argv
    counted = in_text = both_ok = both_in_text = printed_number_ok = printed_type_ok = errors = 0
    for row, doc in documents():
        try:
            rec = parse(doc)
        except Exception as exc:  # parse promises never to raise: count it if it does
            errors += 1
            print(f"RAISED {row['id']}: {exc!r}")
            continue
        want = truth(row)
        if want is None:
            continue
        counted += 1
        readable = want[0] in _printed_codes(doc.text)
        in_text += readable
        code_ok = _fold_code(rec.code or "") == want[0]
        kind_ok = want[1] is None or rec.doc_type == want[1]
        printed_number_ok += readable and code_ok
        printed_type_ok += readable and kind_ok
        both_ok += code_ok and kind_ok
        both_in_text += readable and code_ok and kind_ok
        if verbose and not (code_ok and kind_ok):
            print(f"  {row['id'][:40]:40} want {want[0]} {want[1]}  got {rec.code} {rec.doc_type}"
                  f"{'' if readable else '  (not printed in the text)'}")
        elif verbose and not readable:
            print(f"  {row['id'][:40]:40} agrees, though the folded code is not found: {want[0]}")
    unprinted = counted - in_text
    print(f"{'number and type agree':<44} {both_in_text / max(in_text, 1):.3f}  "
          f"({both_in_text} of {in_text} documents whose text prints their number)")
    print(f"{'  number agrees':<44} {printed_number_ok / max(in_text, 1):.3f}")
    print(f"{'  type agrees':<44} {printed_type_ok / max(in_text, 1):.3f}")
    print(f"{'number only in the metadata (not counted)':<44} {unprinted}  "
          f"(read anyway: {both_ok - both_in_text}; scanned pages, gazette fragments)")
    print(f"{'all with metadata, either kind':<44} {both_ok / max(counted, 1):.3f}  ({both_ok} of {counted})")
    print(f"{'parse raised':<44} {errors}")

if __name__ == "__main__":
    main()
