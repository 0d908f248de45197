"""Who is looking and what they may see: the viewer an `Archive` answers for, the secrecy rule
(Nghị định 30's độ mật: `Mật` < `Tối mật` < `Tuyệt mật`), and the answers of `Archive` with what
a viewer may not see left out.

Modules (private; this package's surface is what it exports here): `_rule` (`Viewer`, `FULL`,
the levels and who may see which), `_restricted` (one function per shape of answer that strips
hidden documents: lists, traces, citations, the graph, clusters)."""
from index.access import _restricted as restricted
from index.access._rule import FULL, LEVELS, STAMPS, Viewer, hidden_levels, level, may_see, rank

__all__ = ["FULL", "LEVELS", "STAMPS", "Viewer", "hidden_levels", "level", "may_see", "rank", "restricted"]
