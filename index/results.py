"""What `Archive` answers: small typed results, each with `to_dict()` in the shape that
`congvan … --json` prints (SCHEMA.md "What the commands print with `--json`").

The listed entries inside a result (hits, ref-docs, tree nodes, clusters) stay the plain
dicts of that shape: they are printed as they are and their keys vary with what is known of
a document (a copy's `copies`, a grouped answer's `group`). A result also reads like its
dict (`result["total"]`, `"groups" in result`), so that code written against the shapes
reads the typed results unchanged."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple


class Shaped(Mapping):
    """Read access by the keys of `to_dict()`."""

    def to_dict(self) -> dict:  # pragma: no cover - every result defines it
        raise NotImplementedError

    def __getitem__(self, name: str) -> Any:
        return self.to_dict()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())


@dataclass(eq=False)
class IngestReport(Shaped):
    """`congvan ingest --json`: each file ingested, unchanged, found a copy of, or failed."""
    ingested: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    altered: list[dict] = field(default_factory=list)  # signed files changed after signing

    def to_dict(self) -> dict:
        return {"ingested": self.ingested, "unchanged": self.unchanged,
                "duplicates": self.duplicates, "failed": self.failed, "altered": self.altered}


@dataclass(eq=False)
class SearchResult(Shaped):
    """`congvan search --json`: one page of letters, the count and facets of all matches;
    `suggestion` a spelling to try, `relaxed` when no letter holds every word."""
    total: int
    hits: list[dict]
    facets: dict[str, dict]
    suggestion: str | None = None
    relaxed: bool = False

    @classmethod
    def from_dict(cls, d: Mapping) -> SearchResult:
        return cls(total=d["total"], hits=d["hits"], facets=d.get("facets") or {},
                   suggestion=d.get("suggestion"), relaxed=bool(d.get("relaxed")))

    def to_dict(self) -> dict:
        return {"total": self.total, "hits": self.hits, "facets": self.facets,
                "suggestion": self.suggestion, "relaxed": self.relaxed}


@dataclass(eq=False)
class Citations(Shaped):
    """`congvan refs` / `cited-by --json`: the node asked about (`key`; `id` of an archived
    document that `refs` names) and its ref-docs. A document that many cite answers grouped
    and paged: `total` citers, `groups` beside the shown `documents` (index/citer_groups.py)."""
    key: str
    documents: list[dict]
    id: str | None = None
    total: int | None = None
    groups: list[dict] | None = None

    @classmethod
    def from_dict(cls, d: Mapping) -> Citations:
        return cls(key=d["key"], documents=d["documents"], id=d.get("id"), total=d.get("total"),
                   groups=d.get("groups"))

    @property
    def grouped(self) -> bool:
        return self.groups is not None

    def to_dict(self) -> dict:
        out: dict = {"key": self.key}
        if self.id is not None:
            out["id"] = self.id
        if self.total is not None:
            out["total"] = self.total
        out["documents"] = self.documents
        if self.groups is not None:
            out["groups"] = self.groups
        return out


@dataclass(eq=False)
class Trace(Shaped):
    """`congvan trace --json`: the tree of documents that cite a node, its root's dict
    (`key`, `code`, `id`, …, `children` of the same shape; `groups`/`total` when grouped)."""
    root: dict

    @property
    def found(self) -> bool:
        """Whether the archive holds or cites the node at all."""
        r = self.root
        return bool(r["id"] is not None or r["children"] or r.get("doc_type") or "groups" in r)

    def svg(self) -> str:
        """The tree drawn as SVG (Graphviz `dot`, else the pure-Python drawing)."""
        from index.graph import to_svg, trace_graph
        return to_svg(trace_graph(self.root))

    def to_dict(self) -> dict:
        return self.root


@dataclass(eq=False)
class Similar(Shaped):
    """`congvan similar --json`: precedent letters (ref-doc + `similarity`), most alike first."""
    key: str
    documents: list[dict]

    def to_dict(self) -> dict:
        return {"key": self.key, "documents": self.documents}


@dataclass(eq=False)
class Duplicate(Shaped):
    """One copy, series member or conflict of a document (`show --json` `duplicates`)."""
    path: str | None
    id: str
    of: str
    relation: str
    similarity: float | None
    code: str | None
    issued_date: str | None

    def to_dict(self) -> dict:
        return {"path": self.path, "id": self.id, "of": self.of, "relation": self.relation,
                "similarity": self.similarity, "code": self.code, "issued_date": self.issued_date}


@dataclass(eq=False)
class Clusters(Shaped):
    """`congvan dedup --json`: duplicates, near-duplicates, series and conflicts."""
    clusters: list[dict]

    def to_dict(self) -> dict:
        return {"clusters": self.clusters}


@dataclass(eq=False)
class Stats(Shaped):
    """`congvan stats --json`: counts by type, issuer and year; the most cited; the unresolved."""
    documents: int
    by_type: dict[str, int]
    by_issuer: dict[str, int]
    by_year: dict[str, int]
    citations: int
    most_cited: list[dict]
    unresolved: dict

    def to_dict(self) -> dict:
        return {"documents": self.documents, "by_type": self.by_type, "by_issuer": self.by_issuer,
                "by_year": self.by_year, "citations": self.citations, "most_cited": self.most_cited,
                "unresolved": self.unresolved}


@dataclass(eq=False)
class GraphData(Shaped):
    """The citation graph (all of it, or around `center`), for `congvan graph`."""
    nodes: list[dict]
    edges: list[dict]
    center: str | None = None

    def export(self, fmt: str) -> str:
        """As `dot`, `graphml`, `json` or `svg` (index/graph_export.py)."""
        from index.graph import export
        return export(self.to_dict(), fmt)

    def to_dict(self) -> dict:
        return {"nodes": self.nodes, "edges": self.edges, "center": self.center}


class Original(NamedTuple):
    """The kept original of a document: its path inside `originals/`, format, name as ingested."""
    path: Path
    format: str
    name: str


@dataclass
class Answers:
    """`show`'s answer to "has this letter been answered?"."""
    asks: bool                 # it sets an obligation (a deadline) on its readers
    answered_by: list[dict]    # ref-docs of the later letters that answer it

    def to_dict(self) -> dict:
        return {"asks": self.asks, "answered_by": self.answered_by}
