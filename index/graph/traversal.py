"""Traversal: who cites a node, level by level, and the grouped answers for a node many cite.

Besides `cites`, an edge may be `replaces`, `amends`, `repeals`, `guides` (or their passive
`…_by` forms), as `nlp.references` read them from the text, and `forwards` (a cover letter
to the parts after it). A node that many cite answers grouped (`index.graph.groups`).
"""
from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from index.graph.groups import Paging, group_id, paged
from index.graph.resolution import REF_COLS, REF_FROM, GraphReader, needs_family, primary_relation, split_key
from nlp.codes import code_key


@contextmanager
def _acyclic() -> Iterator[None]:
    """While a directive's ten thousand citers are read and grouped: rows, tuples and dicts
    that reference counting frees, none in a cycle. The cyclic collector would walk them all
    several times and free nothing (a third of a grouped answer's CPU at 100k documents)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def _forgetting(graph: GraphReader) -> Iterator[None]:
    """`_acyclic`, the graph's caches dropped before the collector is back: it would otherwise
    walk a directive's ten thousand cached rows once more, for nothing (~17 ms at 100k)."""
    with _acyclic():
        try:
            yield
        finally:
            graph.forget()


class Traversal(GraphReader):
    """The questions that walk edges from one node: `references`, `cited_by`, `trace`."""

    def group_of(self, doc_id: str | None) -> str:
        """The group of a citing document in a grouped answer (`index.graph.groups`)."""
        group = self._groups.get(doc_id) if doc_id else None  # asked once per citer: 10k at 100k
        if group is None:
            group = group_id(*self.where_of(doc_id)) if doc_id else group_id(None, None)
        return group

    # -- edges ---------------------------------------------------------------------------
    def citers(self, key: str | None, doc: sqlite3.Row | None = None,
               found: dict[str, list[str]] | None = None) -> list[tuple[sqlite3.Row, list[str]]]:
        """Documents that cite (or forward) a node, each with the relations of its mentions
        (`found`: what `citing` gave for it, when the caller read it already)."""
        if found is None:
            found = self.citing(key, doc)
        self.docs(found)
        out = [(self.doc(src), rels) for src, rels in found.items()]
        out = [(d, rels) for d, rels in out if d is not None]
        out.sort(key=lambda x: (x[0]["issued_date"] or "", x[0]["code"] or ""))
        return out

    def citing(self, key: str | None, doc: sqlite3.Row | None = None) -> dict[str, list[str]]:
        """The ids of the documents that cite (or forward) a node, each with the relations of
        its mentions, in no particular order; no document row is read."""
        found = self._citations_of(key) if key else {}
        docs = [doc] if doc is not None else [
            self._full(d) for d in (self.family(split_key(key)[0]).docs_by_key.get(key, []) if key else [])]
        for d in docs:
            fw = self.forwarder(d)
            if fw is not None:
                found.setdefault(fw["id"], []).append("forwards")
        for d in docs:
            found.pop(d["id"], None)
        return found

    def _citations_of(self, key: str) -> dict[str, list[str]]:
        """The ids of the documents whose citations resolve to the node `key`, with the
        relations of those citations."""
        # Most codes a trace meets are cited by no one, or only by dated citations that name
        # their place: those point at their own key (as in `resolve_all`), so the family (its
        # documents, every place's evidence) is read only when one does not.
        code = code_key(split_key(key)[0])
        fam = self._families.get(code)
        refs = fam.refs if fam is not None else self._refs_of(code)
        if fam is None and any(needs_family(r) for r in refs):
            fam = self.family(code)
        # A citation without a place resolves by its key and whether it is dated alone:
        # a directive's thousands of citations are resolved once per such pair.
        same: dict[tuple[str, bool], str] = {}
        found: dict[str, list[str]] = {}
        for r in refs:
            target = r["key"]
            if fam is not None:
                if "#" in target:
                    target = fam.resolve(r)
                else:
                    date = r["date"]
                    pair = (target, bool(date and date[:4].isdigit()))
                    target = same.get(pair)
                    if target is None:
                        target = same[pair] = fam.resolve(r)
            if target == key:
                found.setdefault(r["src"], []).append(r["relation"] or "cites")
        return found

    def lean(self, ids: Iterable[str]) -> list[dict]:
        """What grouping needs of many documents (id, code, date, issuer; their places go to
        `where_of`), in citing order (date, then code): one query, sorted by SQLite, no whole
        rows: the covering indexes `documents_citer` and `doc_places_citer` hold it all."""
        cur = self.db.cursor()
        cur.row_factory = None  # plain tuples: a Row per citer cost as much as the query
        rows = cur.execute(
            "SELECT d.id, d.code, d.issued_date, d.issuer, p.place, p.province FROM json_each(?) j "
            f"JOIN documents d{self.indexed_by('documents_citer')} ON d.id = j.value "
            f"LEFT JOIN doc_places p{self.indexed_by('doc_places_citer')} ON p.id = d.id "
            "ORDER BY coalesce(d.issued_date, ''), coalesce(d.code, '')",
            (json.dumps(list(dict.fromkeys(ids))),)).fetchall()
        wheres = None if self._all_wheres else self._wheres
        groups = self._groups
        out = []
        for doc_id, code, day, issuer, place, prov in rows:  # one pass: 10k citers of a directive
            if wheres is not None:
                wheres[doc_id] = (place, prov)
            groups[doc_id] = group_id(place, prov)
            out.append({"id": doc_id, "code": code, "issued_date": day, "issuer": issuer})
        return out

    def hydrate(self, entries: list[dict], relations: dict[str, list[str]]) -> list[dict]:
        """Lean entries made whole (ref-doc fields and relation), keeping what was added to
        them (`copies`, `group`)."""
        self.docs(e["id"] for e in entries)
        out = []
        for e in entries:
            d = self.doc(e["id"])
            if d is not None:
                rels = relations.get(e["id"]) or [r for c in e.get("copies") or [] for r in relations.get(c["id"], [])]
                whole = dict(self.ref_doc(d), relation=primary_relation(rels))
                out.append(dict(whole, **{k: v for k, v in e.items() if k not in whole}))
        return out

    def cited(self, doc: sqlite3.Row) -> list[tuple[str, sqlite3.Row | None, list[str]]]:
        """What a document cites or forwards, in order of first mention: (key, archived row, relations)."""
        found: dict[str, list[str]] = {}
        rows: dict[str, sqlite3.Row | None] = {}
        for r in self.db.execute(f"SELECT {REF_COLS} FROM {REF_FROM} WHERE r.src = ? ORDER BY r.ord", (doc["id"],)):
            fam = self.family(split_key(r["key"])[0])
            key = fam.resolve(r)
            if key == doc["key"]:
                continue
            found.setdefault(key, []).append(r["relation"] or "cites")
            targets = fam.docs_by_key.get(key)
            rows[key] = self._full(targets[0]) if targets else None
        for d in self.forwarded(doc):
            k = d["key"] or d["id"]
            found.setdefault(k, []).append("forwards")
            rows[k] = d
        return [(k, rows[k], rels) for k, rels in found.items()]

    # -- questions -------------------------------------------------------------------------
    def references(self, text: str) -> dict:
        """`congvan refs KEY`: what the document cites, each target resolved."""
        nodes = [(k, d) for k, d in self.find(text) if d is not None]
        if not nodes:
            return {"key": text, "documents": []}
        key, doc = nodes[0]
        out = []
        for k, target, rels in self.cited(doc):
            entry = self.ref_doc(target) if target is not None else self.node(k)
            entry["relation"] = primary_relation(rels)
            entry["mentions"] = len(rels)
            out.append(entry)
        return {"key": key, "id": doc["id"], "documents": out}

    def cited_by(self, text: str) -> dict:
        """`congvan cited-by KEY`: the documents that cite it (every node the KEY names)."""
        nodes = self.find(text)
        seen: set[str] = set()
        out = []
        for key, doc in nodes:
            for d, rels in self.citers(key, doc):
                if d["id"] in seen:
                    continue
                seen.add(d["id"])
                entry = self.ref_doc(d)
                entry["relation"] = primary_relation(rels)
                out.append(entry)
        the_key = nodes[0][0] if len(nodes) == 1 else code_key(split_key(text)[0])
        return {"key": the_key, "documents": out}

    def cited_by_grouped(self, text: str, paging: Paging,
                         fold: Callable[[list[dict]], list[dict]] | None = None) -> dict | None:
        """`cited_by` of a node that many cite, grouped and paged (`index.graph.groups`), the
        citers folded by `fold` (copies of one letter as one); None when the plain answer
        stands (few citers, or `--all`). Only the shown documents are read whole."""
        if paging.all:
            return None
        with _forgetting(self):
            return self._cited_by_grouped(text, paging, fold)

    def _cited_by_grouped(self, text: str, paging: Paging,
                          fold: Callable[[list[dict]], list[dict]] | None) -> dict | None:
        nodes = self.find(text)
        found: dict[str, list[str]] = self.citing(*nodes[0]) if len(nodes) == 1 else {}
        for key, doc in nodes if len(nodes) > 1 else []:
            for src, rels in self.citing(key, doc).items():
                found.setdefault(src, []).extend(rels)
        kids = self.lean(found)
        kids = fold(kids) if fold is not None else kids
        grouped = paged(kids, paging, self.group_of)
        if grouped is None:
            return None
        the_key = nodes[0][0] if len(nodes) == 1 else code_key(split_key(text)[0])
        shown, groups = grouped
        return {"key": the_key, "total": len(kids), "documents": self.hydrate(shown, found), "groups": groups}

    def trace(self, text: str, depth: int = 3, paging: Paging | None = None,
              fold: Callable[[list[dict]], list[dict]] | None = None) -> dict:
        """`congvan trace KEY`: the tree of documents that cite KEY, level by level (each
        document at its shallowest level, once). With `paging`, a root that many cite answers
        grouped (`index.graph.groups`): its direct citers (folded by `fold`, copies of one
        letter as one) in groups with their first pages, and only the shown ones followed
        further; a root with few citers gives the plain tree."""
        if paging is not None and not paging.all:
            with _forgetting(self):
                return self._trace(text, depth, paging, fold)
        return self._trace(text, depth, paging, fold)

    def _trace(self, text: str, depth: int, paging: Paging | None,
               fold: Callable[[list[dict]], list[dict]] | None) -> dict:
        nodes = self.find(text)
        if len(nodes) == 1:
            key, doc = nodes[0]
            root = self._tree_node(key, doc)
            starts = [(root, key, doc)]
        else:
            ck = code_key(split_key(text)[0])
            root = {"key": ck, "code": split_key(text)[0], "id": None, "doc_type": None, "issued_date": None,
                    "issuer": None, "subject": None, "children": []}
            starts = [(root, k, d) for k, d in nodes]
        seen: set[str] = {d["id"] if d is not None else k for k, d in nodes}
        if paging is None or paging.all or depth < 1:
            self._descend(starts, seen, depth)
            return root
        return self._trace_grouped(text, depth, paging, fold, root, starts, seen)

    def _trace_grouped(self, text: str, depth: int, paging: Paging,
                       fold: Callable[[list[dict]], list[dict]] | None, root: dict,
                       starts: list[tuple[dict, str | None, sqlite3.Row | None]], seen: set[str]) -> dict:
        """`trace` with `paging` (see there): the root's citers grouped, the shown ones followed."""
        found = self._root_citers(starts, seen)
        kids = self.lean(found)
        kids = fold(kids) if fold is not None else kids
        grouped = paged(kids, paging, self.group_of)
        if grouped is None:  # few citers: the plain tree, exactly as without paging
            return self.trace(text, depth)
        shown, root["groups"] = grouped
        root["total"] = len(kids)
        root["children"] = [dict(self._tree_node(e["key"], self.doc(e["id"])), **{
            k: e[k] for k in ("relation", "copies", "group") if k in e}) for e in self.hydrate(shown, found)]
        self._descend(self._next_level(root["children"]), seen, depth - 1, cap=paging.page_size())
        return root

    def _root_citers(self, starts: list[tuple[dict, str | None, sqlite3.Row | None]],
                     seen: set[str]) -> dict[str, list[str]]:
        """The citers of every start (each start's parent is the root) not yet `seen`, now seen."""
        found: dict[str, list[str]] = {}
        for _, key, doc in starts:
            for src, rels in self.citing(key, doc).items():
                if src not in seen:
                    found.setdefault(src, []).extend(rels)
        seen.update(found)
        return found

    def _next_level(self, children: list[dict]) -> list[tuple[dict, str | None, sqlite3.Row | None]]:
        """(tree node, key, row) of each shown child and of each of its copies, to descend from."""
        nxt = []
        for child in children:
            for member in [child["id"], *(c["id"] for c in child.get("copies") or [])]:
                row = self.doc(member)
                if row is not None:
                    nxt.append((child, row["key"], row))
        return nxt

    def _descend(self, level: list[tuple[dict, str | None, sqlite3.Row | None]], seen: set[str],
                 depth: int, cap: int | None = None) -> None:
        """Hang the citers of each (tree node, key, row) under it, `depth` levels down,
        breadth first: a document already `seen` is not shown again. With `cap`, a node shows
        at most that many (the first by date) and counts the others in `more`."""
        for _ in range(max(depth, 0)):
            nxt = []
            codes = [code_key(split_key(key)[0]) for _, key, _ in level if key]
            self._prefetch_refs(codes)
            self._prefetch_families(c for c in codes if any(needs_family(r) for r in self._code_refs.get(c, ())))
            citing = [self.citing(key, doc) for _, key, doc in level]
            self.docs(i for found in citing for i in found)  # the level's citers in one read
            for (parent, key, doc), found in zip(level, citing):
                for d, rels in self.citers(key, doc, found):
                    if d["id"] in seen:
                        continue
                    seen.add(d["id"])
                    if cap is not None and len(parent["children"]) >= cap:
                        parent["more"] = parent.get("more", 0) + 1
                        continue
                    child = self._tree_node(d["key"], d)
                    child["relation"] = primary_relation(rels)
                    parent["children"].append(child)
                    nxt.append((child, d["key"], d))
            if not nxt:
                break
            level = nxt

    def _tree_node(self, key: str | None, doc: sqlite3.Row | None) -> dict:
        info = self.ref_doc(doc) if doc is not None else self.node(key or "")
        return {"key": key, "code": info["code"], "id": info["id"], "doc_type": info["doc_type"],
                "issued_date": info["issued_date"], "issuer": info.get("issuer"),
                "subject": info["subject"], "children": []}
