"""A directive that many letters cite: `trace` and `cited-by` answer grouped and paged.

Invariants over a synthetic archive with a hub (benchmarks/bench_graph.py writes it straight
into the catalog): groups sum to the total, pages of a group are disjoint and together give
the group, every group together gives `--all`, and a grouped trace shows nothing the whole
tree does not hold, each document at the same depth.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from benchmarks.bench_graph import HUB, synthetic
from index.archive import Archive
from index.graph.groups import CENTRAL, GROUP_OVER, Paging, group_id, group_name, paged, split
from search_cli import cli


def entries(n: int, groups: int = 3) -> list[dict]:
    return [{"id": f"d{i}", "issuer": f"Cơ quan {i % 2}", "issued_date": f"2024-01-{1 + i % 28:02d}"}
            for i in range(n)]


def where(groups: int = 3):
    return lambda doc_id: f"tinh-{int(doc_id[1:]) % groups}"


# (entries, paging, grouped?) — decoys: few citers, `--all`, an exact threshold
@pytest.mark.parametrize("n, paging, grouped", [
    (GROUP_OVER, Paging(), False),             # at the threshold: the plain list
    (GROUP_OVER + 1, Paging(), True),          # one more: grouped
    (5, Paging(), False),                      # a small node keeps today's output
    (5000, Paging(all=True), False),           # --all: always plain
    (5, Paging(group="tinh-1"), True),         # asking a group pages even a small node
    (5, Paging(limit=2), True),                # so does asking a page size
    (0, Paging(), False),                      # nobody cites it
])
def test_when_an_answer_is_grouped(n, paging, grouped):
    assert (paged(entries(n), paging, where()) is not None) is grouped


@pytest.mark.parametrize("n, groups, limit", [(31, 3, None), (100, 7, 4), (500, 63, 3), (64, 1, 10)])
def test_groups_sum_to_the_total_and_pages_cover_each_group(n, groups, limit):
    docs = entries(n)
    shown, summaries = paged(docs, Paging(limit=limit), where(groups))
    assert sum(g["count"] for g in summaries) == n
    assert len(summaries) == min(groups, n)
    for g in summaries:
        members = [d["id"] for d in docs if where(groups)(d["id"]) == g["group"]]
        assert g["count"] == len(members)
        assert (g["first_date"], g["last_date"]) == (min(d["issued_date"] for d in docs if d["id"] in members),
                                                     max(d["issued_date"] for d in docs if d["id"] in members))
        assert sum(i["count"] for i in g["issuers"]) == g["count"]
        pages, offset = [], 0
        while True:
            got, [one] = paged(docs, Paging(group=g["group"], limit=limit or 5, offset=offset), where(groups))
            if not got:
                break
            assert one["shown"] == len(got) and all(e["group"] == g["group"] for e in got)
            pages.append([e["id"] for e in got])
            offset += len(got)
        flat = [i for p in pages for i in p]
        assert len(flat) == len(set(flat))          # pages are disjoint
        assert flat == members                      # and together the group, in order


@pytest.mark.parametrize("asked, found", [
    ("hung-yen", "hung-yen"), ("Hưng Yên", "hung-yen"), ("hung yen", "hung-yen"), ("HƯNG YÊN", "hung-yen"),
    ("ha-noi", None),                        # a group that is not there: nothing, not another group
    ("hung", None),                          # part of two names: no guess
])
def test_a_group_is_asked_by_slug_or_name(asked, found):
    docs = entries(40)
    place = {0: "hung-yen", 1: "hung-hoa", 2: CENTRAL}
    shown, summaries = paged(docs, Paging(group=asked), lambda i: place[int(i[1:]) % 3])
    assert [g["group"] for g in summaries] == ([found] if found else [])
    assert all(e["group"] == found for e in shown)


def test_group_names_and_ids():
    assert group_id("dien-chau", "nghe-an") == "nghe-an"       # a district: its province
    assert group_id("dien-chau", None) == "dien-chau"          # province unknown: its own place
    assert group_id(None, None) == CENTRAL                     # no place: the central level
    assert group_name("ba-ria-vung-tau") == "Bà Rịa - Vũng Tàu"
    assert group_name(CENTRAL).startswith("Trung ương")
    assert list(split(entries(9), where(2))) == ["tinh-0", "tinh-1"]  # the larger group first


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = tmp_path_factory.mktemp("hub") / "a"
    info = synthetic(root, 3000, seed=3)
    archive = Archive(root)
    yield archive, info
    archive.close()


def ids(tree: dict, depth: int = 0, out: dict | None = None) -> dict:
    out = {} if out is None else out
    for c in tree["children"]:
        out[c["id"]] = depth + 1
        ids(c, depth + 1, out)
    return out


def test_hub_groups_sum_to_every_citer(hub):
    archive, info = hub
    every = archive.cited_by(HUB, paging=Paging(all=True))
    assert "groups" not in every and len(every["documents"]) > GROUP_OVER
    grouped = archive.cited_by(HUB, paging=Paging())
    assert grouped["total"] == len(every["documents"])
    assert sum(g["count"] for g in grouped["groups"]) == grouped["total"]
    paged_ids = []
    for g in grouped["groups"]:
        offset = 0
        while True:
            page = archive.cited_by(HUB, paging=Paging(group=g["group"], limit=7, offset=offset))["documents"]
            if not page:
                break
            paged_ids += [d["id"] for d in page]
            offset += len(page)
    assert len(paged_ids) == len(set(paged_ids))
    assert set(paged_ids) == {d["id"] for d in every["documents"]}


def test_hub_trace_all_is_the_whole_tree_and_grouped_is_part_of_it(hub):
    archive, _ = hub
    whole = archive.trace(HUB, depth=3)
    assert archive.trace(HUB, depth=3, paging=Paging(all=True)) == whole
    # the whole tree is the breadth-first walk of `cited-by`, each document at its shallowest level
    expect, level, seen = {}, [archive.trace(HUB, depth=0)["id"]], set()
    for depth in (1, 2, 3):
        nxt = []
        for node in level:
            for d in archive.cited_by(node, paging=Paging(all=True))["documents"]:
                if d["id"] not in seen and d["id"] not in level:
                    seen.add(d["id"])
                    expect[d["id"]] = depth
                    nxt.append(d["id"])
        level = nxt
    assert ids(whole) == expect
    grouped = archive.trace(HUB, depth=3, paging=Paging())
    assert grouped["total"] == len(whole["children"]) and grouped["groups"]
    shown = ids(grouped)
    assert len(shown) < len(expect)
    assert all(expect.get(i) == d for i, d in shown.items())  # nothing new, each at its depth
    per_group = {g["group"]: g["shown"] for g in grouped["groups"]}
    assert sum(per_group.values()) == len(grouped["children"])


def test_cli_answers_a_hub_grouped_and_all_on_request(hub):
    archive, _ = hub
    runner = CliRunner()
    base = ["--archive", str(archive.root)]
    out = runner.invoke(cli, base + ["cited-by", HUB, "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["groups"] and data["total"] > len(data["documents"])
    full = json.loads(runner.invoke(cli, base + ["cited-by", HUB, "--json", "--all"]).output)
    assert "groups" not in full and len(full["documents"]) == data["total"]
    text = runner.invoke(cli, base + ["trace", HUB])
    assert text.exit_code == 0 and "--group" in text.output and "nhóm" in text.output
    whole = runner.invoke(cli, base + ["trace", HUB, "--all"])
    assert len(text.output.splitlines()) < len(whole.output.splitlines())
    group = data["groups"][0]["group"]
    one = json.loads(runner.invoke(cli, base + ["cited-by", HUB, "--json", "--group", group, "--limit", "2"]).output)
    assert [g["group"] for g in one["groups"]] == [group] and len(one["documents"]) == 2


def test_web_trace_page_shows_groups_and_expands_one_on_demand(hub):
    from starlette.testclient import TestClient

    from web import create_app
    archive, _ = hub
    with TestClient(create_app(archive.root), base_url="http://localhost") as client:
        page = client.get("/truy-vet", params={"ma": HUB})
        assert page.status_code == 200
        grouped = archive.trace(HUB, paging=Paging())
        first = grouped["groups"][0]
        assert page.text.count('class="trace-group"') == len(grouped["groups"])
        assert f"nhom={first['group']}" in page.text and "xem thêm" in page.text
        more = client.get("/truy-vet", params={"ma": HUB, "nhom": first["group"], "tu": first["shown"]})
        assert more.status_code == 200 and more.text.count('class="trace-group"') == 1
        shown = [c["id"] for c in archive.trace(HUB, paging=Paging(group=first["group"], offset=first["shown"]))
                 ["children"]]
        assert shown and all(f"/van-ban/{i}" in more.text for i in shown)
        assert not any(f"/van-ban/{c['id']}\"" in more.text for c in grouped["children"]
                       if c["group"] == first["group"])  # the next page, not the first again
