"""Field accuracy of the parser on generated letters, against the generator's truth.

    .venv/bin/python -m benchmarks.generated_fields [--docs 200] [--seed 3] [-v]

Letters come from `benchmarks.generate` (three text layouts: printed order, header columns
flattened with wide gaps, markdown); every file goes through ingest and `nlp.parse` in this
process, and the fields compare as `../shared/eval/score.py` compares them (NFC, case folded,
spaces collapsed, trailing punctuation stripped; codes without spaces and leading zeros).
Prints one accuracy per field and per layout; -v prints every mismatch."""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate  # noqa: E402
from ingest import extract  # noqa: E402
from nlp import parse  # noqa: E402

FIELDS = ["code", "number", "symbol", "system", "doc_type", "issued_date", "place", "subject",
          "issuer.name", "issuer.parent", "issuer.code", "signer.name", "signer.position", "signer.authority"]


def norm(s: object) -> str | None:
    if s is None:
        return None
    t = " ".join(unicodedata.normalize("NFC", str(s)).casefold().split()).strip(" .,;:")
    return t or None


def code_key(s: str | None) -> str | None:
    if not s:
        return None
    s = unicodedata.normalize("NFC", s).upper().replace(" ", "").strip(".,;:")
    return re.sub(r"(^|/)0+(?=\d)", r"\1", s)


def get(rec: dict, dotted: str) -> object:
    cur: object = rec
    for part in dotted.split("."):
        cur = cur.get(part) if isinstance(cur, dict) else None
    return cur


def same(field: str, want: object, got: object) -> bool:
    if field in ("code", "number"):
        return code_key(want) == code_key(got)
    return norm(want) == norm(got)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    hits: dict[str, int] = defaultdict(int)
    by_layout: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    recipients = []
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp, docs=args.docs, seed=args.seed)
        rows = [json.loads(x) for x in (Path(tmp) / "truth.jsonl").read_text(encoding="utf-8").splitlines() if x]
        for row in rows:
            docs = extract(str(Path(tmp) / row["path"]))
            rec = parse(docs[0]).to_dict() if docs else {}
            n += 1
            for f in FIELDS:
                ok = same(f, get(row, f), get(rec, f))
                hits[f] += ok
                by_layout[row["layout"]][0] += ok
                by_layout[row["layout"]][1] += 1
                if args.verbose and not ok:
                    print(f"  {row['path']} [{row['layout']}] {f}: want {get(row, f)!r} got {get(rec, f)!r}")
            want, got = {norm(x) for x in row["recipients"]}, {norm(x) for x in rec.get("recipients") or []}
            tp = len(want & got)
            recipients.append(1.0 if not want and not got else (2 * tp / (len(want) + len(got)) if tp else 0.0))
            if args.verbose and want != got:
                print(f"  {row['path']} [{row['layout']}] recipients: want {sorted(want)} got {sorted(got)}")
    for f in FIELDS:
        print(f"{f:<20} {hits[f] / n:.3f}")
    print(f"{'recipients (F1)':<20} {sum(recipients) / n:.3f}")
    for layout, (ok, total) in sorted(by_layout.items()):
        print(f"layout {layout:<13} {ok / total:.3f}")
    print(f"fields {sum(hits.values()) / (n * len(FIELDS)):.3f} docs {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
