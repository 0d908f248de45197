"""Highlighted snippets, made from the catalog's text the same way for both engines.

A query word typed with diacritics highlights only its own spelling; typed without them it
highlights every spelling that folds to it (`thong` → `thông`, `thống`)."""
from __future__ import annotations

import html
import re

from index.analysis import fast_fold
from nlp.fold import fold, unify_tones


def _folded_same_length(text: str) -> str | None:
    f = fast_fold(text)
    return f if len(f) == len(text) else None


SCAN = 60_000  # characters of a document looked at for a snippet: the cost grows with it


def matches(text: str, words: list[str], limit: int = 400) -> list[tuple[int, int, str]]:
    """(start, end, query word) of each syllable of `text` that a query word matches."""
    if not words:
        return []
    text = text[:SCAN]
    folded_words = {fold(w): [] for w in words}
    for w in words:
        folded_words[fold(w)].append(w)
    folded = _folded_same_length(text)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(sorted(map(re.escape, folded_words), key=len, reverse=True))
                         + r")(?!\w)")
    out = []
    if folded is not None:
        spans = ((m.start(), m.end(), m.group(0)) for m in pattern.finditer(folded))
    else:  # rare: text with stray combining marks; go syllable by syllable
        spans = ((m.start(), m.end(), fold(m.group(0))) for m in re.finditer(r"\w+", text)
                 if fold(m.group(0)) in folded_words)
    for start, end, fw in spans:
        exact = unify_tones(text[start:end]).lower()
        for w in folded_words[fw]:
            if w == fw or w == exact:  # typed without diacritics, or this very spelling
                out.append((start, end, w))
                break
        if len(out) >= limit:
            break
    return out


def snippet(text: str, words: list[str], size: int = 220) -> str:
    """The window of `text` holding the most distinct query words, matches in `<b>…</b>`,
    HTML-escaped; the start of the text when nothing matches."""
    text = text or ""
    found = matches(text, words)
    if not found:
        head = " ".join(text[: size * 2].split())[:size]
        return html.escape(head) + ("…" if len(text) > size else "")
    best, best_start = -1, 0
    for i, (start, _, _) in enumerate(found):
        distinct = {w for s, e, w in found[i:] if e <= start + size}
        if len(distinct) > best:
            best, best_start = len(distinct), start
    start = max(0, best_start - size // 4)
    while start > 0 and not text[start - 1].isspace() and best_start - start < size // 2:
        start -= 1
    end = min(len(text), start + size)
    while end < len(text) and not text[end].isspace() and end - start < size + 30:
        end += 1
    parts, pos = [], start
    for s, e, _ in found:
        if s < start or e > end:
            continue
        parts.append(html.escape(text[pos:s]))
        parts.append(f"<b>{html.escape(text[s:e])}</b>")
        pos = e
    parts.append(html.escape(text[pos:end]))
    out = " ".join("".join(parts).split())
    return ("…" if start > 0 else "") + out + ("…" if end < len(text) else "")
