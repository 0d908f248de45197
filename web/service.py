"""What the pages ask of the archive, over `Archive`'s public methods. Search is the
archive's own: filtered, sorted and paged over the whole result set."""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from index.archive import FULL, Archive, code_key


class Archives:
    """One `Archive` per worker thread: SQLite connections may not cross threads."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._local = threading.local()
        self._all: list[Archive] = []
        self._lock = threading.Lock()

    def get(self) -> Archive:
        arc = getattr(self._local, "archive", None)
        if arc is None:
            arc = Archive(self.root)
            self._local.archive = arc
            with self._lock:
                self._all.append(arc)
        return arc

    def for_viewer(self, viewer: object | None) -> Archive:
        """The calling thread's `Archive` as VIEWER sees it (`index.access.Viewer`; None or
        FULL, the one person of an archive without accounts: the archive itself)."""
        arc = self.get()
        return arc if viewer is None or viewer == FULL else arc.as_viewer(viewer)

    def close(self) -> None:
        with self._lock:
            for arc in self._all:
                try:
                    arc.close()
                except Exception:  # closing from another thread: best effort at shutdown
                    pass
            self._all.clear()


def archive_for(request) -> Archive:
    """The calling thread's own `Archive` (SQLite connections may not cross threads) as the
    person of `request` may see it (the secrecy rule of `Archive.as_viewer`, index/access/); the
    person is set by `web/auth.py`. Every handler of the page reaches the archive through here."""
    return request.app.state.archives.for_viewer(getattr(request.state, "viewer", None))


@dataclass
class SearchForm:
    q: str = ""
    doc_type: str | None = None
    issuer: str | None = None
    since: str | None = None   # ISO
    until: str | None = None   # ISO
    sort: str = "relevance"    # relevance | date
    page: int = 1
    per_page: int = 10
    signed: str | None = None  # signed | unsigned | altered (web/signatures.py)


@dataclass
class SearchPage:
    total: int
    hits: list[dict]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    pages: int = 1


def open_by_code(archive: Archive, q: str) -> tuple[str, str] | None:
    """A code (or an id) typed in the search box: ("doc", id) for an archived document,
    ("cite", key) for a document known only by citation, None for an ordinary query. The
    archive decides it (`Archive.opens`), as for the command line."""
    found = archive.opens(q)
    if found is None:
        return None
    return ("doc", found.doc_id) if found.doc_id else ("cite", found.key)


OTHERS_SHOWN = 10  # a short choice list: a number every province prints names dozens


def others(archive: Archive, typed: str, doc_id: str) -> tuple[list[dict], int]:
    """The other letters that a code typed in the box also names, when it opened `doc_id`: the
    most likely few, and how many there are."""
    found = archive.lookup(typed) if typed else None
    if found is None or found.doc_id != doc_id:
        return [], 0
    return archive.others(found, OTHERS_SHOWN), len(found.others)


def search(archive: Archive, form: SearchForm) -> SearchPage:
    """One page of results: the archive filters, sorts and pages the whole result set itself
    (`Archive.search` with issuer, dates, sort and offset), so every page, the total and the
    facet counts are those of all the matches, and only this page's hits cost a snippet."""
    per_page = max(1, form.per_page)
    result = archive.search(form.q, limit=per_page, offset=(max(1, form.page) - 1) * per_page,
                            doc_type=form.doc_type or None, issuer=form.issuer or None,
                            since=form.since or None, until=form.until or None,
                            sort="date" if form.sort == "date" else "score", signed=form.signed)
    facets = {k: v for k, v in result.facets.items() if v}
    return SearchPage(total=result.total, hits=result.hits, facets=facets,
                      pages=max(1, -(-result.total // per_page)))


def similar(archive: Archive, doc_id: str) -> list[dict]:
    """Precedent letters like this one."""
    return [d for d in archive.similar(doc_id).documents if d.get("id") != doc_id]


def graph_svg(archive: Archive, key: str, depth: int) -> bytes | None:
    """The trace of KEY drawn as SVG (Graphviz `dot`, else the pure-Python drawing), or None
    when the archive holds nothing of KEY."""
    try:
        tree = archive.trace(key, depth=depth)
        if not tree.root.get("id") and not tree.root.get("children"):
            return None  # neither archived nor cited: nothing to draw
        out = tree.svg().encode("utf-8")
    except Exception:  # a bad key or a drawing failure: the page shows the tree without a picture
        return None
    return out if b"<svg" in out[:2000] else None


def citations_of(archive: Archive, code: str) -> list[dict]:
    """The documents citing CODE, each with how it is cited (the mention's own words)."""
    want = code_key(code)
    out = []
    for d in archive.cited_by(code).documents:
        rec = archive.get(d["id"]) if d.get("id") else None
        mention = None
        if rec:
            mention = next((r for r in rec.references if r.code and code_key(r.code) == want), None)
        out.append({**d, "mention": mention})
    return out


def consensus(citing: list[dict]) -> dict[str, str | None]:
    """What the citing letters agree on about a cited document: its type, date and issuer,
    each the value most of them give (one misread mention does not decide)."""
    out: dict[str, str | None] = {}
    for name in ("doc_type", "date", "issuer"):
        values = Counter(getattr(c["mention"], name) for c in citing if c.get("mention"))
        values.pop(None, None)
        out[name] = min(values, key=lambda v: (-values[v], len(v))) if values else None
    return out


def active_content(archive: Archive, doc_id: str) -> list[str]:
    """What a document's source file could run or unpack (ingest/active.py), [] for none."""
    rec = archive.record(doc_id)
    return list((rec.source.get("active_content") if rec else None) or [])
