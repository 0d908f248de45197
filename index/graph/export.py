"""The citation graph written for other tools: DOT (Graphviz), GraphML (Gephi, yEd), JSON,
and a rendered SVG. The SVG comes from Graphviz `dot` when it is installed (Debian package
`graphviz`); otherwise a small layered layout in pure Python draws it, so the command always
gives a picture.

Nodes are coloured by document type; documents known only by citation are dashed; the key
documents (the most cited, and the one the graph was drawn around) are larger and bold."""
from __future__ import annotations

import html
import json
import shutil
import subprocess
from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

# Colours by the Vietnamese type name, lower-cased; anything else is grey.
TYPE_COLOURS = {
    "kết luận": "#d62728", "nghị quyết": "#b2182b", "chỉ thị": "#e6550d", "quy định": "#fd8d3c",
    "luật": "#6a3d9a", "bộ luật": "#6a3d9a", "hiến pháp": "#3f007d", "nghị định": "#1f78b4",
    "thông tư": "#33a02c", "quyết định": "#a6761d", "hướng dẫn": "#66a61e", "kế hoạch": "#e7298a",
    "thông báo": "#7570b3", "công văn": "#4daf4a", "báo cáo": "#999933", "tờ trình": "#a6cee3",
    "văn bản": "#bdbdbd",
}
DEFAULT_COLOUR = "#9e9e9e"
EDGE_STYLE = {"cites": "solid", "forwards": "dashed", "replaces": "bold", "amends": "bold",
              "repeals": "bold", "guides": "bold"}
FORMATS = ("dot", "graphml", "json", "svg")


def colour(doc_type: str | None) -> str:
    return TYPE_COLOURS.get((doc_type or "").lower(), DEFAULT_COLOUR)


def key_nodes(nodes: dict[str, dict], edges: list[dict], center: str | None = None, top: int = 5) -> set[str]:
    """The documents that should stand out: the most cited (at least twice), and the center."""
    indeg: dict[str, int] = defaultdict(int)
    for e in edges:
        indeg[e["target"]] += 1
    ranked = sorted((n for n in indeg if indeg[n] >= 2), key=lambda n: -indeg[n])[:top]
    out = set(ranked)
    if center:
        out.add(center)
    return out


def label(n: dict) -> str:
    code = n.get("code") or "(không số)"
    date = n.get("issued_date") or ""
    return f"{code}\n{n.get('doc_type') or ''} {date}".strip()


def _index(graph: dict) -> tuple[dict[str, dict], list[dict], str | None]:
    nodes = {(n["id"] or n["key"]): n for n in graph["nodes"]}
    return nodes, graph["edges"], graph.get("center")


def to_dot(graph: dict) -> str:
    nodes, edges, center = _index(graph)
    big = key_nodes(nodes, edges, center)
    out = ["digraph citations {", "  rankdir=BT;", '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans",'
           ' fontsize=10];', "  edge [color=\"#555555\", arrowsize=0.7];"]
    for nid, n in nodes.items():
        style = "rounded,filled" + ("" if n.get("archived") else ",dashed")
        extra = ', penwidth=3, fontsize=14, fontname="DejaVu Sans Bold"' if nid in big else ""
        tip = (n.get("subject") or "").replace('"', "'")
        lab = label(n).replace('"', "'").replace("\n", "\\n")
        out.append(f'  "{_q(nid)}" [label="{lab}", fillcolor="{colour(n.get("doc_type"))}", style="{style}",'
                   f' tooltip="{_q(tip)}"{extra}];')
    for e in edges:
        rel = e["relation"]
        style = EDGE_STYLE.get(rel, "solid")
        lab = "" if rel == "cites" else f', label="{rel}", fontsize=8'
        out.append(f'  "{_q(e["source"])}" -> "{_q(e["target"])}" [style={style}{lab}];')
    out.append("}")
    return "\n".join(out) + "\n"


def _q(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def to_graphml(graph: dict) -> str:
    nodes, edges, center = _index(graph)
    big = key_nodes(nodes, edges, center)
    attrs = [("code", "string"), ("key", "string"), ("doc_type", "string"), ("issued_date", "string"),
             ("issuer", "string"), ("subject", "string"), ("archived", "boolean"), ("key_document", "boolean"),
             ("color", "string")]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">']
    for name, kind in attrs:
        out.append(f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>')
    out.append('  <key id="relation" for="edge" attr.name="relation" attr.type="string"/>')
    out.append('  <key id="mentions" for="edge" attr.name="mentions" attr.type="int"/>')
    out.append('  <graph id="citations" edgedefault="directed">')
    for nid, n in nodes.items():
        out.append(f"    <node id={quoteattr(nid)}>")
        values = dict(n, key_document=nid in big, color=colour(n.get("doc_type")))
        for name, kind in attrs:
            v = values.get(name)
            if v is None:
                continue
            text = str(v).lower() if kind == "boolean" else str(v)
            out.append(f'      <data key="{name}">{escape(text)}</data>')
        out.append("    </node>")
    for i, e in enumerate(edges):
        out.append(f'    <edge id="e{i}" source={quoteattr(e["source"])} target={quoteattr(e["target"])}>'
                   f'<data key="relation">{escape(e["relation"])}</data>'
                   f'<data key="mentions">{int(e.get("mentions", 1))}</data></edge>')
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"


def to_json(graph: dict) -> str:
    return json.dumps(graph, ensure_ascii=False, indent=2) + "\n"


def to_svg(graph: dict, prefer_graphviz: bool = True) -> str:
    """A picture: Graphviz `dot` when installed, else the pure-Python layered drawing."""
    dot = shutil.which("dot") if prefer_graphviz else None
    if dot:
        try:
            done = subprocess.run([dot, "-Tsvg"], input=to_dot(graph).encode(), capture_output=True,
                                  timeout=120, check=True)
            return done.stdout.decode()
        except (subprocess.SubprocessError, OSError):
            pass  # fall back to the Python drawing below
    return render_svg(graph)


def layers(nodes: dict[str, dict], edges: list[dict]) -> dict[str, int]:
    """Layer 0 for documents that cite nothing here (the top of the hierarchy); a citing
    document one layer below the deepest document it cites. Cycles are cut where met."""
    out_edges: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e["source"] in nodes and e["target"] in nodes and e["source"] != e["target"]:
            out_edges[e["source"]].append(e["target"])
    level: dict[str, int] = {}
    on_path: set[str] = set()
    for start in nodes:
        if start in level:
            continue
        stack = [(start, iter(out_edges.get(start, [])))]
        on_path.add(start)
        while stack:  # iterative depth-first search: long citation chains need no recursion
            n, it = stack[-1]
            nxt = next((t for t in it if t not in level and t not in on_path), None)
            if nxt is not None:
                on_path.add(nxt)
                stack.append((nxt, iter(out_edges.get(nxt, []))))
                continue
            stack.pop()
            on_path.discard(n)
            level[n] = max((level[t] + 1 for t in out_edges.get(n, []) if t in level), default=0)
    return level


def render_svg(graph: dict) -> str:
    """A layered drawing in pure Python: cited documents above the documents citing them."""
    nodes, edges, center = _index(graph)
    big = key_nodes(nodes, edges, center)
    level = layers(nodes, edges)
    rows: dict[int, list[str]] = defaultdict(list)
    for nid in sorted(nodes, key=lambda x: (nodes[x].get("issued_date") or "", nodes[x].get("code") or "")):
        rows[level.get(nid, 0)].append(nid)
    w, h, gap_x, gap_y = 170, 46, 20, 70
    width = max(len(r) for r in rows.values()) * (w + gap_x) + gap_x if rows else 200
    height = (max(rows) + 1) * (h + gap_y) + gap_y if rows else 100
    pos: dict[str, tuple[float, float]] = {}
    for lv, ids in rows.items():
        offset = (width - len(ids) * (w + gap_x) + gap_x) / 2
        for i, nid in enumerate(ids):
            pos[nid] = (offset + i * (w + gap_x), gap_y / 2 + lv * (h + gap_y))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="DejaVu Sans, sans-serif">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    for e in edges:
        if e["source"] not in pos or e["target"] not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        x1, x2 = x1 + w / 2, x2 + w / 2
        y2 = y2 + h
        if y1 < y2:  # a citation upward in layer order is the usual case; else draw from the bottom
            y1 = y1 + h
            y2 = y2 - h
        dash = ' stroke-dasharray="5,3"' if e["relation"] == "forwards" else ""
        stroke = 2.5 if e["relation"] in ("replaces", "amends", "repeals", "guides") else 1.2
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#555" '
                   f'stroke-width="{stroke}"{dash} marker-end="url(#arrow)"><title>{escape(e["relation"])}</title>'
                   f"</line>")
        if e["relation"] != "cites":
            out.append(f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2:.1f}" font-size="9" fill="#333">'
                       f'{escape(e["relation"])}</text>')
    for nid, (x, y) in pos.items():
        n = nodes[nid]
        strong = nid in big
        dash = "" if n.get("archived") else ' stroke-dasharray="4,3"'
        lines = label(n).split("\n")
        out.append(f'<g><title>{html.escape(n.get("subject") or n.get("code") or "")}</title>'
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" rx="8" fill="{colour(n.get("doc_type"))}" '
                   f'fill-opacity="0.85" stroke="#222" stroke-width="{3 if strong else 1}"{dash}/>')
        for i, line in enumerate(lines):
            weight = "bold" if strong or i == 0 else "normal"
            out.append(f'<text x="{x + w / 2:.1f}" y="{y + 18 + i * 15:.1f}" text-anchor="middle" '
                       f'font-size="{12 if i == 0 else 10}" font-weight="{weight}">{escape(_clip(line))}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _clip(s: str, n: int = 26) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def trace_graph(tree: dict) -> dict:
    """A `trace` tree (SCHEMA.md shape) as a graph for the writers above: every document of the
    tree a node, an edge from each child to the document it implements, the root the center."""
    nodes: dict[str, dict] = {}
    edges: list[dict] = []

    def visit(n: dict) -> str:
        nid = n.get("id") or n.get("key") or n.get("code") or "?"
        if nid not in nodes:
            nodes[nid] = {k: n.get(k) for k in ("id", "key", "code", "doc_type", "issued_date", "issuer", "subject")}
            nodes[nid]["id"] = n.get("id")
            nodes[nid]["key"] = n.get("key") or nid
            nodes[nid]["archived"] = n.get("id") is not None
        for c in n.get("children", []):
            edges.append({"source": visit(c), "target": nid, "relation": c.get("relation") or "cites",
                          "mentions": 1})
        return nid

    center = visit(tree)
    return {"nodes": list(nodes.values()), "edges": edges, "center": center}


def export(graph: dict, fmt: str) -> str:
    if fmt == "dot":
        return to_dot(graph)
    if fmt == "graphml":
        return to_graphml(graph)
    if fmt == "json":
        return to_json(graph)
    if fmt == "svg":
        return to_svg(graph)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "export", "render_svg", "to_dot", "to_graphml", "to_json", "to_svg", "trace_graph"]
