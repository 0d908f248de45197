"""Citations of local bodies resolved to the right letter, across provinces, cities, districts
and communes (issue 15): does `refs` open the letter that a `của …` names, and never another?

Letters of provincial bodies (Ủy ban nhân dân, Tỉnh ủy / Thành ủy, Sở Y tế, Sở Nội vụ), of
districts (before 1 July 2025) and of communes (after it) in every province and city of
`nlp.places`, with numbers drawn from a small range so that the same code, year and body type
recur in many places (`498/SYT-VP` of Đà Nẵng and of Hồ Chí Minh). Each citing letter cites one
or two of them the way letters do: another province's body with its place (`của Sở Y tế
thành phố Đà Nẵng`), its own province's body with the place unsaid (`của Sở Y tế Thành phố`,
`của Ban Thường vụ Tỉnh ủy`), a district's or commune's body by name. Right: `refs` lists the
cited letter; wrong: it lists another letter in its place.

    python -m benchmarks.bench_places [--docs 1000] [--seed 5]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.register import PROVINCES as DISTRICTS  # noqa: E402
from nlp.places import PROVINCES_2025  # noqa: E402

CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
MERGER = date(2025, 7, 1)  # districts end, communes and wards remain (Nghị quyết 202/2025/QH15)
# Communes of the two-level government after the merger are named here after the province's former
# districts (as many are). Keys join a local body's own unit name alone (SCHEMA.md), so two communes
# of one name in two provinces, or a commune named like a province (`xã Quảng Ninh` of Quảng Trị),
# that print the same number in the same year share a key: not generated here (see the README).


@dataclass(frozen=True)
class Body:
    header: tuple[str, ...]
    symbol: str        # the authority part of its công văn codes: `SYT-VP`, `CV/TU`
    party: bool
    province: str
    named: str         # `của …` with its place: `Sở Y tế thành phố Đà Nẵng`
    unnamed: str       # `của …` from a letter of its own province: `Sở Y tế Thành phố`
    date_place: str


def province_bodies(p: str) -> list[Body]:
    city = p in CITIES
    unit, upper = ("thành phố", "THÀNH PHỐ") if city else ("tỉnh", "TỈNH")
    committee = "Thành ủy" if city else "Tỉnh ủy"
    own = "Thành phố" if city else "tỉnh"
    hcm = p == "Hồ Chí Minh"  # `THÀNH ỦY THÀNH PHỐ HỒ CHÍ MINH`: the city's name follows its unit word
    return [
        Body(("ỦY BAN NHÂN DÂN", f"{upper} {p.upper()}"), "UBND-VP", False, p, f"Ủy ban nhân dân {unit} {p}",
             f"Ủy ban nhân dân {own}", p),
        Body((f"{committee.upper()} {upper} {p.upper()}" if hcm else f"{committee.upper()} {p.upper()}",),
             "CV/TU", True, p, f"{committee} {unit} {p}" if hcm else f"{committee} {p}",
             f"Ban Thường vụ {committee}", p),
        Body((f"UBND {upper} {p.upper()}", "SỞ Y TẾ"), "SYT-VP", False, p, f"Sở Y tế {unit} {p}", f"Sở Y tế {own}", p),
        Body((f"UBND {upper} {p.upper()}", "SỞ NỘI VỤ"), "SNV-VP", False, p, f"Sở Nội vụ {unit} {p}",
             f"Sở Nội vụ {own}", p),
    ]


def district_body(p: str, d: str) -> Body:
    return Body(("ỦY BAN NHÂN DÂN", f"HUYỆN {d.upper()}"), "UBND-VP", False, p, f"Ủy ban nhân dân huyện {d}",
                f"Ủy ban nhân dân huyện {d}", d)


def commune_body(p: str, c: str) -> Body:
    return Body((f"TỈNH {p.upper()}" if p not in CITIES else f"THÀNH PHỐ {p.upper()}", "ỦY BAN NHÂN DÂN",
                 f"XÃ {c.upper()}"), "UBND-VP", False, p, f"Ủy ban nhân dân xã {c}, "
                f"{'thành phố' if p in CITIES else 'tỉnh'} {p}", f"Ủy ban nhân dân xã {c}", c)


def code_of(body: Body, number: int) -> str:
    return f"{number}-{body.symbol}" if body.party else f"{number}/{body.symbol}"


def render(body: Body, code: str, when: date, text: str) -> str:
    motto = ("ĐẢNG CỘNG SẢN VIỆT NAM" if body.party
             else "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    head = "\n".join(body.header)
    sign = "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ" if body.party else "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    return (f"{head}\n\n{motto}\n\n{body.date_place}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}\n\n"
            f"Số: {code}\n\nV/v triển khai công tác phòng, chống dịch bệnh\n\nKính gửi: Các cơ quan, đơn vị\n\n"
            f"{text}\n\nNơi nhận:\n- Như trên;\n- Lưu VT.\n\n{sign}\n\nNguyễn Văn An\n")


def generate(out: Path, docs: int, seed: int = 5) -> list[tuple[str, list[str]]]:
    """Write `docs` letters under `out`; returns (file name, [file names it cites]) per citing letter."""
    rng = random.Random(seed)
    provinces = list(PROVINCES_2025)
    out.mkdir(parents=True, exist_ok=True)
    cited: list[tuple[str, Body, date, str]] = []  # (file, body, date, code)
    used: set[tuple[str, str, int]] = set()  # (unit of the body, code, year): one letter each
    n_cited = docs // 2
    while len(cited) < n_cited:
        p = rng.choice(provinces)
        when = date(2024, 1, 2) + timedelta(days=rng.randrange(700))
        r = rng.random()
        if r < 0.7 or p not in DISTRICTS:
            body = rng.choice(province_bodies(p))
        elif when < MERGER:
            body = district_body(p, rng.choice(DISTRICTS[p]))
        else:
            body = commune_body(p, rng.choice(DISTRICTS[p]))
        code = code_of(body, rng.randrange(1, 60))  # few numbers: codes recur across places
        # one letter per key: a district (until the merger) and a commune of its name (after it)
        # would share one, as would two one-name communes of two provinces (see above)
        if (body.date_place, code, when.year) in used:
            continue
        used.add((body.date_place, code, when.year))
        name = f"c{len(cited):05d}.txt"
        (out / name).write_text(render(body, code, when, "Đề nghị các đơn vị triển khai thực hiện nghiêm."),
                                encoding="utf-8")
        cited.append((name, body, when, code))
    citing: list[tuple[str, list[str]]] = []
    for i in range(docs - n_cited):
        targets = rng.sample(cited, rng.choice((1, 1, 2)))
        latest = max(t[2] for t in targets)
        when = min(date(2026, 6, 30), latest + timedelta(days=rng.randrange(3, 60)))
        # a letter of the cited body's own province, or of another one (a city citing a city)
        same = rng.random() < 0.4
        p = targets[0][1].province if same else rng.choice(provinces)
        body = rng.choice(province_bodies(p))
        parts = []
        for _, tb, tdate, tcode in targets:
            mine = tb.province == p and tb.named.startswith(("Sở", "Ủy ban nhân dân tỉnh", "Ủy ban nhân dân thành",
                                                             "Tỉnh ủy", "Thành ủy"))
            who = tb.unnamed if mine and rng.random() < 0.7 else tb.named
            kind = "Công văn" if "CV" in tcode or "VP" in tcode else "Văn bản"
            parts.append(f"{kind} số {tcode} ngày {tdate.day:02d}/{tdate.month:02d}/{tdate.year} của {who} "
                         f"về phòng, chống dịch tại thành phố {rng.choice(sorted(CITIES))}")
        text = f"Thực hiện {'; '.join(parts)}, đề nghị các đơn vị khẩn trương triển khai."
        name = f"x{i:05d}.txt"
        number = 100 + i  # the citing letters' own numbers never meet the cited ones
        (out / name).write_text(render(body, code_of(body, number), when, text), encoding="utf-8")
        citing.append((name, [t[0] for t in targets]))
    return citing


def measure(docs: int = 1000, seed: int = 5, workdir: Path | None = None) -> dict:
    """Generate, parse and catalog the letters (no full-text index: `refs` reads the catalog),
    then score every citation."""
    from index.archive import Archive
    from ingest import extract, sha256_file
    from nlp import parse

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        src, root = Path(tmp) / "in", Path(tmp) / "archive"
        citing = generate(src, docs, seed)
        archive = Archive(root)
        t0 = time.perf_counter()
        ids: dict[str, str] = {}
        for f in sorted(src.iterdir()):
            records = [parse(d) for d in extract(f)]
            archive.catalog.add_file(str(f), sha256_file(f), "text", f.stat().st_size, str(f), records)
            ids[f.name] = records[0].id
        load = time.perf_counter() - t0
        right = wrong = known = 0
        t0 = time.perf_counter()
        for name, targets in citing:
            got = {d["id"] for d in archive.references(ids[name])["documents"] if d.get("id")}
            want = {ids[t] for t in targets}
            known += len(want)
            right += len(want & got)
            wrong += len(got - want)
        secs = time.perf_counter() - t0
        archive.close()
    return {"letters": docs, "citations": known, "right": right, "wrong": wrong,
            "share": right / known if known else 0.0, "load_s": load, "refs_s": secs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=5)
    a = ap.parse_args()
    out = measure(a.docs, a.seed)
    print(f"{'letters':<44} {out['letters']:>8}")
    print(f"{'cited letters resolved to the right letter':<44} {out['right']:>8} / {out['citations']} "
          f"({out['share']:.2%})")
    print(f"{'resolved to a wrong letter':<44} {out['wrong']:>8}")
    print(f"{'parse + catalog, refs of every citing letter':<44} {out['load_s']:>7.1f} s {out['refs_s']:>6.1f} s")


if __name__ == "__main__":
    main()
