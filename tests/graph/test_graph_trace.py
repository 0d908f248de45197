"""`trace` on a generated archive whose citation graph is known recovers every level of it."""
from __future__ import annotations

import random

from graph_letters import letter, write

from index.archive import Archive

BODIES = [("BAN TUYÊN GIÁO TRUNG ƯƠNG", "BTGTW"), ("BAN DÂN VẬN TRUNG ƯƠNG", "BDVTW"),
          ("BAN TỔ CHỨC TRUNG ƯƠNG", "BTCTW"), ("VĂN PHÒNG TRUNG ƯƠNG ĐẢNG", "VPTW")]


def build(tmp_path, seed: int = 7):
    """A tree: the Politburo's conclusion, central boards implementing it, then their
    departments, then units; every letter cites its parent (dated or not) and some noise."""
    rng = random.Random(seed)
    docs = {"root": ("8-KL/TW", 2020, None)}
    children: dict[str, list[str]] = {"root": []}
    level = ["root"]
    number = 100
    for depth in range(1, 4):
        nxt = []
        for parent in level:
            for _ in range(rng.randint(1, 3)):
                number += 1
                body, auth = rng.choice(BODIES)
                name = f"d{number}"
                # Numbers restart every year: a cousin with the same number, a year older, exists too.
                docs[name] = (f"{number}-CV/{auth}", 2020 + depth, body)
                children[parent].append(name)
                children[name] = []
                nxt.append(name)
        level = nxt
    folder = tmp_path / "in"
    parent_of = {c: p for p, cs in children.items() for c in cs}
    for name, (code, year, body) in docs.items():
        if name == "root":
            text = letter(code, (year, 6, 15), "Bộ Chính trị kết luận như sau.", issuer="BỘ CHÍNH TRỊ", parent=None)
        else:
            pcode, pyear, pbody = docs[parent_of[name]]
            dated = rng.random() < 0.5
            when = f" ngày 15/6/{pyear}" if dated else ""
            whose = f" của {pbody.title()}" if pbody else " của Bộ Chính trị"
            kind = "Kết luận" if parent_of[name] == "root" else "Công văn"
            noise = f" và Nghị quyết số {rng.randint(1, 99)}-NQ/TW ngày 01/02/2019 của Bộ Chính trị"
            text = letter(code, (year, 7, 1), f"Thực hiện {kind} số {pcode}{when}{whose}{noise}; đề nghị các đơn vị"
                                             " triển khai.", issuer=body)
        write(folder, f"{name}.txt", text)
        if name != "root":  # the same number in the year before, citing nothing
            write(folder, f"{name}-cousin.txt", letter(code, (year - 1, 1, 5), "Văn bản khác, cùng số.",
                                                        issuer=body))
    return folder, docs, children


def test_trace_recovers_every_level(tmp_path):
    folder, docs, children = build(tmp_path)
    archive = Archive(tmp_path / "a")
    report = archive.ingest([folder], workers=1)
    assert not report.failed
    tree = archive.trace("8-KL/TW", depth=5)
    archive.close()

    def shape(name: str) -> dict:
        code, year, _ = docs[name]
        return {"code": code, "year": year, "children": sorted((shape(c) for c in children[name]),
                                                                 key=lambda x: x["code"])}

    def got(node: dict) -> dict:
        return {"code": node["code"], "year": int(node["issued_date"][:4]),
                "children": sorted((got(c) for c in node["children"]), key=lambda x: x["code"])}

    assert got(tree) == shape("root")


def test_trace_depth_limits_levels(tmp_path):
    folder, docs, children = build(tmp_path, seed=3)
    archive = Archive(tmp_path / "a")
    archive.ingest([folder], workers=1)
    tree = archive.trace("8-KL/TW", depth=1)
    archive.close()
    assert {c["code"] for c in tree["children"]} == {docs[c][0] for c in children["root"]}
    assert all(c["children"] == [] for c in tree["children"])
