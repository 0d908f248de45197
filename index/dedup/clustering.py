"""Stored relations grouped for `congvan dedup`: connected groups per relation class."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from index.dedup.models import Edge


def _find(parent: dict[str, str], x: str) -> str:
    while parent.setdefault(x, x) != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def clusters(edges: Iterable[Edge], first_path: Callable[[str], str | None]) -> list[dict]:
    """Connected groups per relation class: duplicates and near-duplicates together (a group
    is `duplicate` when every link is exact), series, conflicts. A member is one arrival: a
    document id and the path that brought it (the same text may arrive under two paths)."""
    classes = {"duplicate": "dup", "near-duplicate": "dup", "series": "series", "conflict": "conflict"}
    out: list[dict] = []
    for cls in ("dup", "series", "conflict"):
        parent: dict[str, str] = {}
        mine = [e for e in edges if classes.get(e.relation) == cls]
        for e in mine:
            parent[_find(parent, e.id)] = _find(parent, e.of)
        by_root: dict[str, list[Edge]] = {}
        for e in mine:
            by_root.setdefault(_find(parent, e.id), []).append(e)
        for es in by_root.values():
            rel = cls if cls != "dup" else (
                "duplicate" if all(e.relation == "duplicate" for e in es) else "near-duplicate")
            members: dict[tuple[str, str | None], float] = {}
            for e in es:
                members.setdefault((e.of, first_path(e.of)), 1.0)
                key = (e.id, e.path)
                members[key] = min(members.get(key, 1.0), e.similarity if e.similarity is not None else 1.0)
            out.append({"relation": rel, "members": [
                {"id": i, "path": p, "similarity": round(s, 4)} for (i, p), s in members.items()]})
    return out
