"""The citation graph: which document a code or a citation names, who cites whom, and exports.

Resolution (a code as typed → documents; a citation's key → the document it names):
`codequery` (a code in any spelling), `lookup` (`Lookup`, `Resolver`: the one code resolver),
`citations` (the keys and places stored with each citation, `CATALOG_VERSION`, `rekey`,
`migrate`), `resolution` (families of one code, nodes, `find`).
Traversal (questions along edges): `traversal` (`cited_by`, `trace`, references), `groups`
(citers grouped and paged, `Paging`), `whole` (every node and edge, neighbourhoods, `stats`).
Export: `export` (DOT, GraphML, JSON, SVG).

What the rest of the archive needs is named here; the modules' other names are internal.
"""
from index.graph.citations import CATALOG_VERSION, migrate, rekey
from index.graph.codequery import CodeQuery, find_codes, index_terms, parse_code_query
from index.graph.export import export, to_svg, trace_graph
from index.graph.groups import FIRST_PAGE, GROUP_PAGE, Paging
from index.graph.lookup import Lookup, Resolver, store_code
from index.graph.whole import CitationGraph

__all__ = [
    "CATALOG_VERSION", "FIRST_PAGE", "GROUP_PAGE", "CitationGraph", "CodeQuery", "Lookup", "Paging",
    "Resolver", "export", "find_codes", "index_terms", "migrate", "parse_code_query", "rekey",
    "store_code", "to_svg", "trace_graph",
]
