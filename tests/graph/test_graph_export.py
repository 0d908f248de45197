"""`congvan graph`: DOT, GraphML, JSON and SVG of the citation graph."""
from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from index.archive import Archive
from index.graph.export import colour, export, render_svg
from search_cli import cli

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture(scope="module")
def whole(corpus_archive) -> dict:
    archive = Archive(corpus_archive)
    data = archive.graph().to_dict()  # the shape `congvan graph --format json` prints
    archive.close()
    return data


def test_whole_graph_has_archived_and_cited_only_nodes(whole):
    by_code = {n["code"]: n for n in whole["nodes"]}
    assert by_code["1469-CV/BTGTU"]["archived"] and not by_code["57-KL/TW"]["archived"]
    ids = {n["id"] or n["key"] for n in whole["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in whole["edges"])
    kl57 = by_code["57-KL/TW"]["key"]
    assert sum(e["target"] == kl57 for e in whole["edges"]) == 3
    assert any(e["relation"] == "forwards" for e in whole["edges"])


def test_graphml_is_valid_and_marks_key_documents(whole):
    root = ET.fromstring(export(whole, "graphml"))
    nodes = root.findall(".//g:node", NS)
    assert len(nodes) == len(whole["nodes"])
    assert len(root.findall(".//g:edge", NS)) == len(whole["edges"])
    flags = {}
    for n in nodes:
        data = {d.get("key"): d.text for d in n.findall("g:data", NS)}
        flags[data["code"]] = data["key_document"]
    assert flags["57-KL/TW"] == "true" and flags["-CV/BTGDV"] == "false"


def test_json_round_trips(whole):
    assert json.loads(export(whole, "json")) == json.loads(json.dumps(whole))


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")
def test_dot_is_accepted_by_graphviz(whole):
    done = subprocess.run(["dot", "-Tplain"], input=export(whole, "dot").encode(), capture_output=True, check=True)
    plain = done.stdout.decode()
    assert plain.count("\nnode ") == len(whole["nodes"])


def test_python_renderer_draws_every_node_coloured_by_type(whole):
    svg = ET.fromstring(render_svg(whole))
    rects = svg.findall(".//{http://www.w3.org/2000/svg}rect")
    assert len(rects) == len(whole["nodes"])
    assert colour("Kết luận") in {r.get("fill") for r in rects}
    assert colour("Kết luận") != colour("Công văn")
    widths = {r.get("stroke-width") for r in rects}
    assert widths == {"1", "3"}  # the key documents stand out


def test_cli_graph_around_writes_a_file(corpus_archive, tmp_path):
    out = tmp_path / "g.json"
    result = CliRunner().invoke(cli, ["--archive", str(corpus_archive), "graph", "--format", "json",
                                      "--around", "33-CV/TTĐN", "--depth", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    codes = {n["code"] for n in data["nodes"]}
    assert codes == {"33-CV/TTĐN", "1469-CV/BTGTU"}
    result = CliRunner().invoke(cli, ["--archive", str(corpus_archive), "graph", "--format", "svg"])
    assert result.exit_code == 0 and "<svg" in result.output
