"""Does underthesea earn its place? Two measurements, the decision in docs/decisions.md.

    .venv/bin/python -m benchmarks.bench_underthesea [--docs 600] [--seed 11] [--ner 200] [--archive]

(a) Precedent search: on a generated corpus (`benchmarks/generate.py`: series are the same
    template and issuer a year later), each series letter's documents ranked by TF-IDF cosine
    of its body, with syllables (today's features) or underthesea's words
    (`word_tokenize`) as the terms; how often a series partner ranks first, and the mean
    reciprocal rank. With `--archive`, the same for `Archive.similar` itself (syllables).
(b) Names of people and organisations: `underthesea.ner` (PER, ORG, LOC) against the
    project's readers (signer, issuer, addressees), on the generated truth and the seeds'
    gold: exact match of the signer's name, of the issuer, share of addressees found."""
from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.realdocs import extracted  # noqa: E402
from nlp import parse  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SYLLABLE = re.compile(r"[^\W\d_]+")


def _flat(s: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", s or "").split()).casefold().strip(" .;,:")


def _corpus(out: Path, docs: int, seed: int) -> tuple[dict[str, str], list[dict], list[dict]]:
    if not (out / "truth.jsonl").exists():
        subprocess.run([sys.executable, "-m", "benchmarks.generate", str(out), "--docs", str(docs),
                        "--seed", str(seed), "--pdf", "0"], check=True, capture_output=True)
    truth = [json.loads(line) for line in (out / "truth.jsonl").open(encoding="utf-8")]
    groups = [json.loads(line) for line in (out / "groups.jsonl").open(encoding="utf-8")]
    texts = {t["gid"]: (out / t["path"]).read_text(encoding="utf-8") for t in truth}
    return texts, truth, groups


def syllables(text: str) -> list[str]:
    return [w.casefold() for w in SYLLABLE.findall(text)]


def words(text: str) -> list[str]:
    from underthesea import word_tokenize

    out = []
    for line in text.split("\n"):
        if line.strip():
            out.extend(w.casefold().replace(" ", "_") for w in word_tokenize(line) if SYLLABLE.search(w))
    return out


def _vectors(terms: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    df = Counter(t for ts in terms.values() for t in set(ts))
    n = len(terms)
    out = {}
    for gid, ts in terms.items():
        tf = Counter(ts)
        v = {t: (1 + math.log(c)) * math.log(1 + n / df[t]) for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out[gid] = {t: x / norm for t, x in v.items()}
    return out


def _ranks(vectors: dict[str, dict[str, float]], pairs: dict[str, set[str]],
           skip: dict[str, set[str]], top: int = 0) -> tuple[float, float]:
    """Share of series letters whose partner ranks first, and the mean reciprocal rank; with
    `top`, the query is the letter's `top` heaviest terms only (as `Archive.similar` asks)."""
    first = rr = 0.0
    for gid, partners in pairs.items():
        q = vectors[gid]
        if top:
            q = dict(sorted(q.items(), key=lambda kv: -kv[1])[:top])
        scores = sorted(((sum(q.get(t, 0.0) * x for t, x in v.items()), other) for other, v in vectors.items()
                         if other != gid and other not in skip.get(gid, set())), reverse=True)
        order = [other for _, other in scores]
        rank = min(order.index(p) for p in partners) + 1
        first += rank == 1
        rr += 1 / rank
    return first / len(pairs), rr / len(pairs)


def _archive_ranks(out: Path, texts: dict[str, str], truth: list[dict], pairs: dict[str, set[str]],
                   skip: dict[str, set[str]]) -> tuple[float, float]:
    from index.archive import Archive

    path_of = {t["gid"]: str(out / t["path"]) for t in truth}
    with tempfile.TemporaryDirectory() as tmp:
        arc = Archive(Path(tmp) / "archive")
        arc.ingest(list(path_of.values()))
        from ingest.reader import extract

        id_of = {gid: parse(extract(path)[0]).id for gid, path in path_of.items()}  # as ingest reads it
        gid_of = {v: k for k, v in id_of.items()}
        known = sum(arc.get(i) is not None for i in id_of.values())
        print(f"(archive holds {known} of the {len(id_of)} letters by their parsed id)")
        first = rr = 0.0
        for gid, partners in pairs.items():
            docs = arc.similar(id_of[gid], limit=50)["documents"]
            order = [gid_of.get(d["id"]) for d in docs if gid_of.get(d["id"]) not in skip.get(gid, set())]
            hit = [k for k, g in enumerate(order) if g in partners]
            rank = hit[0] + 1 if hit else None
            first += rank == 1
            rr += 1 / rank if rank else 0.0
        arc.close()
    return first / len(pairs), rr / len(pairs)


def precedents(out: Path, texts: dict[str, str], truth: list[dict], groups: list[dict], archive: bool) -> None:
    pairs: dict[str, set[str]] = {}
    skip: dict[str, set[str]] = {}  # a letter's own copies are not precedents (Archive.similar folds them)
    for g in groups:
        for m in g["members"]:
            others = set(g["members"]) - {m}
            (pairs if g["relation"] == "series" else skip).setdefault(m, set()).update(others)
    print(f"\n== (a) precedent search: {len(pairs)} series letters among {len(texts)} letters")
    t0 = time.perf_counter()
    syl = _vectors({g: syllables(t) for g, t in texts.items()})
    t_syl = time.perf_counter() - t0
    t0 = time.perf_counter()
    wrd = _vectors({g: words(t) for g, t in texts.items()})
    t_wrd = time.perf_counter() - t0
    print(f"{'features, query':<40} {'partner first':>13} {'MRR':>6} {'features s':>10}")
    for name, vec, dt in (("syllables", syl, t_syl), ("underthesea words", wrd, t_wrd)):
        for top in (0, 20, 5):
            p1, mrr = _ranks(vec, pairs, skip, top)
            how = f"{top} heaviest terms" if top else "TF-IDF cosine"
            print(f"{name + ', ' + how:<40} {p1:13.3f} {mrr:6.3f} {dt:10.1f}")
    if archive:
        p1, mrr = _archive_ranks(out, texts, truth, pairs, skip)
        print(f"{'Archive.similar (syllables)':<40} {p1:13.3f} {mrr:6.3f}")


def _entities(text: str) -> list[tuple[str, str]]:
    """underthesea's named entities of a text, line by line: (label, text)."""
    from underthesea import ner

    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        cur: list[str] = []
        label = None
        for word, _, _, tag in ner(line):
            if tag.startswith("B-") or (tag.startswith("I-") and label != tag[2:]):
                if cur:
                    out.append((label, " ".join(cur)))
                cur, label = [word], tag[2:]
            elif tag.startswith("I-"):
                cur.append(word)
            else:
                if cur:
                    out.append((label, " ".join(cur)))
                cur, label = [], None
        if cur:
            out.append((label, " ".join(cur)))
    return out


def names(texts: dict[str, str], truth: list[dict], limit: int) -> None:
    gold = [(texts[t["gid"]], t["signer"]["name"], t["issuer"]["name"], t["recipients"]) for t in truth[:limit]]
    seeds = SHARED / "eval" / "seeds.gold.json"
    if seeds.exists():
        from ingest.reader import extract

        for g in json.loads(seeds.read_text(encoding="utf-8")):
            text = extract(str(SHARED / "seeds" / g["file"]))[g.get("part", 0)].text
            issuer = g["issuer"]["name"]
            gold.append((text, g["signer"]["name"], issuer[0] if isinstance(issuer, list) else issuer,
                         g.get("recipients") or []))
    ours = {"signer": 0, "issuer": 0, "recipients": 0}
    theirs = {"signer": 0, "issuer": 0, "recipients": 0}
    n_sign = n_iss = n_rec = 0
    t_ours = t_theirs = 0.0
    for text, signer, issuer, recips in gold:
        t0 = time.perf_counter()
        rec = parse(extracted(text))
        t_ours += time.perf_counter() - t0
        t0 = time.perf_counter()
        ents = _entities(text)
        t_theirs += time.perf_counter() - t0
        persons = [_flat(e) for lab, e in ents if lab == "PER"]
        orgs = {_flat(e) for lab, e in ents if lab in ("ORG", "LOC")}
        if signer:
            n_sign += 1
            ours["signer"] += _flat(rec.signer.name) == _flat(signer)
            theirs["signer"] += bool(persons) and persons[-1] == _flat(signer)  # the last name: the signing block
        if issuer:
            n_iss += 1
            ours["issuer"] += _flat(rec.issuer.name) == _flat(issuer)
            theirs["issuer"] += _flat(issuer) in orgs  # generous: anywhere among its entities
        for r in recips:
            n_rec += 1
            ours["recipients"] += _flat(r) in {_flat(x) for x in rec.recipients}
            theirs["recipients"] += _flat(r) in orgs
    print(f"\n== (b) names of people and organisations: {len(gold)} letters with gold")
    print(f"{'reader':<30} {'signer exact':>12} {'issuer':>8} {'addressees':>10} {'s/letter':>9}")
    for name, got, dt in (("project's readers (nlp.parse)", ours, t_ours), ("underthesea.ner", theirs, t_theirs)):
        print(f"{name:<30} {got['signer'] / max(n_sign, 1):12.3f} {got['issuer'] / max(n_iss, 1):8.3f} "
              f"{got['recipients'] / max(n_rec, 1):10.3f} {dt / len(gold):9.3f}")
    print(f"(signers {n_sign}, issuers {n_iss}, addressees {n_rec}; underthesea's issuer counts any ORG/LOC "
          "entity equal to it, its signer the last PER)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--ner", type=int, default=200, help="generated letters for (b)")
    ap.add_argument("--archive", action="store_true", help="also rank with Archive.similar (ingests the corpus)")
    ap.add_argument("--out", type=Path, default=None, help="corpus folder (generated there when empty)")
    args = ap.parse_args()
    out = args.out or Path(tempfile.gettempdir()) / f"congvan-gen-{args.docs}-{args.seed}"
    texts, truth, groups = _corpus(out, args.docs, args.seed)
    precedents(out, texts, truth, groups, args.archive)
    if args.ner:
        names(texts, truth, args.ner)


if __name__ == "__main__":
    main()
