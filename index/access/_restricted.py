"""The answers of `Archive` for a viewer who may not see some documents (index/access/):
what those documents are left out of, one function per shape of answer. A hidden document is
never named, counted or linked: left out of lists, its place in a trace counted once as
"văn bản hạn chế" on the node above it, and where a visible letter cites it, shown as that
citation alone (the code the visible letter prints, nothing read from the hidden record)."""
from __future__ import annotations

from collections.abc import Iterable

# what a hidden document's entry keeps when a visible letter cites it: the printed citation
_CITATION_ONLY = ("key", "code", "relation", "mentions")


def visible(docs: Iterable[dict], hidden: frozenset[str]) -> list[dict]:
    """The entries of DOCS whose document is not hidden (entries known only by citation stay)."""
    return [d for d in docs if d.get("id") not in hidden]


def as_citation(entry: dict) -> dict:
    """A hidden cited document as its citation alone: no id, subject, issuer or date of its own."""
    out = {k: None for k in entry if k not in ("children", "copies", "groups")}
    out.update({k: entry[k] for k in _CITATION_ONLY if k in entry})
    return out


def trace_tree(node: dict, hidden: frozenset[str], root: bool = True) -> dict:
    """A trace tree without the hidden citers: each node counts the ones left out under it in
    `restricted` (their own citers go with them). A hidden root becomes its citation alone,
    and nothing when no visible letter cites it."""
    if root and node.get("id") in hidden:
        node = {**as_citation(node), "children": node.get("children", [])}
    kids = node.get("children", [])
    kept = [trace_tree(c, hidden, root=False) for c in kids if c.get("id") not in hidden]
    node["children"] = kept
    if len(kept) < len(kids):
        node["restricted"] = len(kids) - len(kept)
    return node


def graph(nodes: list[dict], edges: list[dict], hidden: frozenset[str]) -> tuple[list[dict], list[dict]]:
    """The citation graph without the hidden documents' nodes and every edge that touches one."""
    kept = [n for n in nodes if n.get("id") not in hidden]
    gone = {n.get("node") or n.get("id") for n in nodes if n.get("id") in hidden}
    gone |= {n.get("id") for n in nodes if n.get("id") in hidden}
    return kept, [e for e in edges if e.get("source") not in gone and e.get("target") not in gone]


def clusters(found: list[dict], hidden: frozenset[str]) -> list[dict]:
    """Duplicate clusters without hidden members; a cluster left with one member is no cluster."""
    out = []
    for c in found:
        members = visible(c["members"], hidden)
        if len(members) >= 2:
            out.append({**c, "members": members})
    return out
