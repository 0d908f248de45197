"""The whole graph at once: every node and edge (for export), neighbourhoods, statistics."""
from __future__ import annotations

import heapq
import json
import sqlite3
from collections import defaultdict

from index.graph.resolution import (
    DOC_COLS,
    REF_COLS,
    REF_FROM,
    Family,
    key_code,
    needs_family,
    primary_relation,
    split_key,
)
from index.graph.traversal import Traversal


class CitationGraph(Traversal):
    """Queries over one catalog connection. Cheap to make; make one per question so that
    what was ingested since is seen."""

    # -- the whole graph ------------------------------------------------------------------------
    def resolve_all(self) -> tuple[list[sqlite3.Row], list[str], dict[str, list[sqlite3.Row]]]:
        """Every citation with the node key it resolves to, and the archived documents by key.
        Most citations need no family: one whose key is an archived document's, or a dated one
        whose place (if any) was named, points at its own key. Only the rest (undated ones,
        guessed places) are resolved inside their code's family."""
        docs_by_key = self._archived_by_key()
        refs = self.db.execute(f"SELECT {REF_COLS} FROM {REF_FROM} ORDER BY r.src, r.ord").fetchall()
        targets: list[str] = [""] * len(refs)
        slow: list[int] = []
        for i, r in enumerate(refs):
            key = r["key"]
            if key in docs_by_key or not needs_family(r):
                targets[i] = key
            else:
                slow.append(i)
        if slow:
            if len(slow) > 1000:  # many guesses to check: one read of every document's place
                self._load_places()
            families = self._families_of({key_code(refs[i]["key"]) for i in slow}, docs_by_key, refs)
            for i in slow:
                targets[i] = families[key_code(refs[i]["key"])].resolve(refs[i])
        return refs, targets, docs_by_key

    def _archived_by_key(self) -> dict[str, list[sqlite3.Row]]:
        """Every archived document with a key (lean rows), by key, the latest issued first."""
        docs_by_key: dict[str, list[sqlite3.Row]] = defaultdict(list)
        for d in self.db.execute("SELECT id, key, code, issued_date FROM documents WHERE key IS NOT NULL"):
            docs_by_key[d["key"]].append(d)
        for rows in docs_by_key.values():
            if len(rows) > 1:  # the latest issued first, as `Family` and `Archive.get` pick
                rows.sort(key=lambda d: d["issued_date"] or "", reverse=True)
        return docs_by_key

    def _load_places(self) -> None:
        """Every document's place and the whole register of provinces, in two reads."""
        self._wheres.update((r[0], (r[1], r[2])) for r in self.db.execute("SELECT * FROM doc_places"))
        self._all_wheres = True
        self._load_provinces()

    def _families_of(self, codes: set[str], docs_by_key: dict[str, list[sqlite3.Row]],
                     refs: list[sqlite3.Row]) -> dict[str, Family]:
        """The families of `codes` from rows already read (not kept: `self.family` keeps the
        full ones)."""
        fam_docs: dict[str, list] = defaultdict(list)
        fam_refs: dict[str, list] = defaultdict(list)
        for key, rows in docs_by_key.items():
            code = key_code(key)
            if code in codes:
                fam_docs[code].extend(rows)
        for r in refs:
            code = key_code(r["key"])
            if code in codes:
                fam_refs[code].append(r)
        return {code: Family(code, fam_docs[code], fam_refs[code], self.province_of, self.where_of)
                for code in codes}

    def load_all(self) -> tuple[dict[str, dict], list[dict]]:
        """Every node and edge: nodes by node id (doc id, or key when known only by citation),
        edges `{"source", "target", "relation", "mentions"}`."""
        docs = self.db.execute(f"SELECT {DOC_COLS} FROM documents").fetchall()
        refs, keys, docs_by_key = self.resolve_all()
        nodes: dict[str, dict] = {d["id"]: dict(self.ref_doc(d), archived=True) for d in docs}
        pending: dict[str, list] = defaultdict(list)
        edges: dict[tuple[str, str], list[str]] = defaultdict(list)
        for r, key in zip(refs, keys):
            rows = docs_by_key.get(key)
            if rows:
                target = rows[0]["id"]
            else:
                target = key
                pending[key].append(r)
            if target != r["src"]:
                edges[(r["src"], target)].append(r["relation"] or "cites")
        words = {(r[0], r[1]): (r[2], r[3]) for r in self.db.execute("SELECT src, ord, text, about FROM citations")}
        for key, cites in pending.items():
            nodes[key] = dict(self.cited_only(key, cites, split_key(key)[1], words), archived=False)
        for cover, parts in self._covers(docs):
            for d in parts:
                edges[(cover["id"], d["id"])].append("forwards")
        return nodes, [{"source": s, "target": t, "relation": primary_relation(rels), "mentions": len(rels)}
                       for (s, t), rels in edges.items()]

    def _covers(self, docs: list[sqlite3.Row]) -> list[tuple[sqlite3.Row, list[sqlite3.Row]]]:
        """Cover letters with the documents they forward (the later parts of their files)."""
        by_file: dict[str, list] = defaultdict(list)
        for d in docs:
            by_file[d["sha256"]].append(d)
        out = []
        for parts in by_file.values():
            if len(parts) < 2:
                continue
            parts.sort(key=lambda d: d["part"])
            if parts[0]["part"] == 0 and self._is_cover(parts[0]["id"]):
                out.append((parts[0], parts[1:]))
        return out

    def around(self, text: str, depth: int = 1) -> tuple[dict[str, dict], list[dict], str | None]:
        """The neighbourhood of KEY within `depth` steps along edges either way."""
        found = self.find(text)
        if not found:
            return {}, [], None
        nodes: dict[str, dict] = {}
        edges: dict[tuple[str, str], list[str]] = defaultdict(list)

        def add(key: str | None, doc: sqlite3.Row | None) -> str:
            nid = doc["id"] if doc is not None else key
            if nid not in nodes:
                info = self.ref_doc(doc) if doc is not None else self.node(key or "")
                nodes[nid] = dict(info, archived=doc is not None)
            return nid

        center = [add(k, d) for k, d in found][0]
        frontier = [(k, d) for k, d in found]
        visited = {d["id"] if d is not None else k for k, d in found}
        for _ in range(max(depth, 0)):
            nxt = []
            for key, doc in frontier:
                me = add(key, doc)
                for d, rels in self.citers(key, doc):
                    other = add(d["key"], d)
                    edges[(other, me)].extend(rels)
                    if other not in visited:
                        visited.add(other)
                        nxt.append((d["key"], d))
                if doc is not None:
                    for k, target, rels in self.cited(doc):
                        other = add(k, target)
                        edges[(me, other)].extend(rels)
                        if other not in visited:
                            visited.add(other)
                            nxt.append((k if target is None else target["key"], target))
            frontier = nxt
        return nodes, [{"source": s, "target": t, "relation": primary_relation(r), "mentions": len(r)}
                       for (s, t), r in edges.items()], center

    # -- statistics ------------------------------------------------------------------------
    def stats(self, top: int = 10, hidden: frozenset[str] = frozenset()) -> dict:
        """Counts by SQL; the most cited and the unresolved from the resolved citations alone,
        with node details built only for the few that are shown. The documents of HIDDEN (a
        viewer may not see them, index/access/) are neither counted nor citing; one that a
        visible letter cites counts as known only by that citation."""
        refs, keys, docs_by_key = self.resolve_all()
        if hidden:
            kept = [(r, k) for r, k in zip(refs, keys) if r["src"] not in hidden]
            refs, keys = [r for r, _ in kept], [k for _, k in kept]
            docs_by_key = {k: rows for k, rows in
                           ((k, [r for r in rows if r["id"] not in hidden]) for k, rows in docs_by_key.items()) if rows}
        citing, first_code = self._citers_by_node(refs, keys, docs_by_key)

        def order(key: str) -> tuple:
            return -len(citing[key]), first_code.get(key) or ""

        most = heapq.nsmallest(top, citing, key=order)
        unresolved = [k for k in citing if k not in docs_by_key]
        top_unresolved = heapq.nsmallest(top, unresolved, key=order)
        shown = set(most) | set(top_unresolved)
        cites: dict[str, list] = defaultdict(list)
        for r, key in zip(refs, keys):
            if key in shown and key not in docs_by_key:
                cites[key].append(r)

        def brief(key: str) -> dict:
            rows = docs_by_key.get(key)
            node = self.ref_doc(self.doc(rows[0]["id"])) if rows else \
                self.cited_only(key, cites[key], split_key(key)[1])
            return dict(self._brief(node), cited_by=len(citing[key]))

        return {
            **self._counts(hidden),
            "citations": len(refs),
            "most_cited": [brief(k) for k in most],
            "unresolved": {"count": len(unresolved),
                           "citations": sum(len(citing[k]) for k in unresolved),
                           "top": [brief(k) for k in top_unresolved]},
        }

    @staticmethod
    def _citers_by_node(refs: list[sqlite3.Row], keys: list[str], docs_by_key: dict[str, list[sqlite3.Row]]
                        ) -> tuple[dict[str, set[str]], dict[str, str]]:
        """Node key → the ids of the documents citing it (a document's mention of itself left
        out), and node key → its code as first met."""
        citing: dict[str, set[str]] = defaultdict(set)
        first_code: dict[str, str] = {}
        for r, key in zip(refs, keys):
            rows = docs_by_key.get(key)
            if rows and rows[0]["id"] == r["src"]:
                continue
            citing[key].add(r["src"])
            first_code.setdefault(key, rows[0]["code"] if rows else r["code"])
        return citing, first_code

    def _counts(self, hidden: frozenset[str] = frozenset()) -> dict:
        """The archive's documents counted, and by type, issuer and year (those of HIDDEN left out)."""
        where = " WHERE id NOT IN (SELECT value FROM json_each(?))" if hidden else ""
        args = (json.dumps(sorted(hidden)),) if hidden else ()

        def counts(sql: str) -> dict:
            return {(row[0] if row[0] is not None else "(không rõ)"): row[1] for row in self.db.execute(sql, args)}

        return {
            "documents": self.db.execute(f"SELECT count(*) FROM documents{where}", args).fetchone()[0],
            "by_type": counts(f"SELECT doc_type, count(*) c FROM documents{where} GROUP BY doc_type ORDER BY c DESC"),
            "by_issuer": counts(f"SELECT issuer, count(*) c FROM documents{where} GROUP BY issuer ORDER BY c DESC"),
            "by_year": counts(f"SELECT year, count(*) c FROM documents{where} GROUP BY year ORDER BY year"),
        }

    @staticmethod
    def _brief(n: dict) -> dict:
        return {"id": n["id"], "key": n["key"], "code": n["code"], "doc_type": n["doc_type"],
                "issued_date": n["issued_date"], "subject": n["subject"]}
