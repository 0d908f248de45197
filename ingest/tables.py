"""Ruled tables on a PDF page: the cell each word stands in.

A list of documents (a danh mục of texts that lost effect, a table of căn cứ) gives a document's
number, date and issuer in one cell over several printed lines, beside other cells whose lines
sit on the same rows; read row by row, `Thông tư số 30/2022/TT-` runs into the next column's words
and its `ngày 28/12/2022` comes a line later. The borders say which words belong together: a
word is in the cell bounded by the nearest rules left, right, above and below it that reach its
row or its column. Where no grid of rules is found, the page is read as before.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ingest.pdfchars import RULE_WIDTH, Box

if TYPE_CHECKING:
    from ingest.pdf import Word

SLACK = 2.0  # points a rule may stop short of a word it bounds
MIN_COLUMNS = 2  # a frame around one block of text is no table


def _merge(values: list[float], tol: float = RULE_WIDTH) -> list[float]:
    """Positions closer than `tol` are one rule (both sides of a thin rectangle)."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def cells_of(rows: list[list[Word]], rules: list[Box], is_block: Callable[[str], bool] = lambda _: False,
             ) -> tuple[list[list[Word]], dict[Box, list[list[Word]]]]:
    """Split a page's rows of words into the rows outside any ruled table and, per cell (its
    box), the cell's rows of words, top to bottom. A table with a cell that `is_block` (a
    header or a signing block drawn with borders) is left to be read as rows."""
    verticals = [((r[0] + r[2]) / 2, r[1], r[3]) for r in rules if r[2] - r[0] <= RULE_WIDTH < r[3] - r[1]]
    horizontals = [((r[1] + r[3]) / 2, r[0], r[2]) for r in rules if r[3] - r[1] <= RULE_WIDTH < r[2] - r[0]]
    if len(_merge([v[0] for v in verticals])) < MIN_COLUMNS + 1 or len(_merge([h[0] for h in horizontals])) < 2:
        return rows, {}
    where = [[_cell(w, verticals, horizontals) for w in row] for row in rows]
    cells: dict[Box, list[list[Word]]] = {}
    for row, boxes in zip(rows, where):
        placed: dict[Box, list[Word]] = {}
        for w, box in zip(row, boxes):
            if box is not None:
                placed.setdefault(box, []).append(w)
        for box, words in placed.items():
            cells.setdefault(box, []).append(words)
    kept: set[Box] = set()
    for table in _tables(list(cells)):
        # a grid has cells side by side; a header drawn with borders is read as a header
        if len({box[0] for box in table}) >= MIN_COLUMNS and not any(
                is_block(" ".join(w.text for w in cells[box][0])) for box in table):
            kept.update(table)
    outside = [[w for w, box in zip(row, boxes) if box not in kept] for row, boxes in zip(rows, where)]
    return [row for row in outside if row], {box: cells[box] for box in kept}


def _tables(boxes: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables: two cells that share a border (touch, overlapping along it)
    are in one table."""
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            side = abs(a[2] - b[0]) <= SLACK or abs(b[2] - a[0]) <= SLACK
            above = abs(a[3] - b[1]) <= SLACK or abs(b[3] - a[1]) <= SLACK
            if (side and min(a[3], b[3]) > max(a[1], b[1])) or (above and min(a[2], b[2]) > max(a[0], b[0])):
                parent[root(i)] = root(j)
    groups: dict[int, list[Box]] = {}
    for i, box in enumerate(boxes):
        groups.setdefault(root(i), []).append(box)
    return list(groups.values())


def _cell(w: Word, verticals: list[tuple[float, float, float]],
          horizontals: list[tuple[float, float, float]]) -> Box | None:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    left = max((x for x, top, bottom in verticals if x <= cx and top - SLACK <= cy <= bottom + SLACK), default=None)
    right = min((x for x, top, bottom in verticals if x >= cx and top - SLACK <= cy <= bottom + SLACK), default=None)
    if left is None or right is None:
        return None
    top = max((y for y, x0, x1 in horizontals if y <= cy and x0 - SLACK <= cx <= x1 + SLACK), default=None)
    bottom = min((y for y, x0, x1 in horizontals if y >= cy and x0 - SLACK <= cx <= x1 + SLACK), default=None)
    if top is None or bottom is None:
        return None
    return (round(left), round(top), round(right), round(bottom))


def turn_rules(rules: list[Box], left: bool, width: float, height: float) -> list[Box]:
    """Rules in the frame of a page printed turned a quarter (see `ingest.pdf._turn_upright`):
    turned left, a point (x, y) goes to (height - y, x); turned right, to (y, width - x)."""
    out = []
    for x0, top, x1, bottom in rules:
        if left:
            out.append((height - bottom, x0, height - top, x1))
        else:
            out.append((top, width - x1, bottom, width - x0))
    return out
