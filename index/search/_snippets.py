"""Highlighted snippets, made from the catalog's text the same way for both engines.

A query word typed with diacritics highlights only its own spelling; typed without them it
highlights every spelling that folds to it (`thong` → `thông`, `thống`)."""
from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter

from text.fold import fold
from text.normalize import unify_tones

# A snippet is HTML: its text escaped once, each match between these two tags (the web page
# turns them into `<mark>`, the command line into brackets; JSON gives the snippet as it is).
OPEN, CLOSE = "<b>", "</b>"
SCAN = 30_000  # characters of a document looked at for a snippet: the cost grows with it
CHUNK = 4_000


def _variants() -> dict[str, str]:
    """Each folded letter → every letter that folds to it (`d` → `dđ`, `o` → `oòóỏõọôồ…`)."""
    out: dict[str, set[str]] = {}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        c = chr(cp)
        f = fold(c)
        if len(f) == 1 and c.islower():
            out.setdefault(f, {f}).add(c)
    return {k: "".join(sorted(v)) for k, v in out.items()}


_VARIANTS = _variants()


def _word_pattern(folded: str) -> str:
    return "".join(f"[{_VARIANTS[c]}]" if c in _VARIANTS else re.escape(c) for c in folded)


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):  # always so for Vietnamese (`İ` would grow by a character)
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def matches(text: str, words: list[str], limit: int = 200, window: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, query word) of each syllable of `text` that a query word matches. The
    text is searched as it is (NFC, lower case), with each letter of a folded word standing
    for all its accented forms, so no folded copy of the text is needed.
    With `window`: stop once `window` characters hold every query word, after the matches a
    snippet of that window shows (the first window with every word is the snippet's, whatever follows)."""
    if not words:
        return []
    text = unicodedata.normalize("NFC", text[:SCAN])
    low = _lower(text)
    folded_words: dict[str, list[str]] = {}
    for w in words:
        folded_words.setdefault(fold(w), []).append(w)
    alternatives = sorted(folded_words, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(_word_pattern(f) for f in alternatives) + r")(?!\w)")
    out: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    wanted = len(set(words))
    word_of: dict[str, str | None] = {}  # a spelling found → the query word it stands for (spellings repeat)
    stop = len(low)
    in_window: Counter[str] = Counter()
    first, complete = 0, False
    # most documents show every query word early (type, title, first paragraph): once every
    # word is seen, the rest of that CHUNK is read and the remainder of a long text is not
    for m in pattern.finditer(low):
        start, end = m.span()
        if start >= stop:
            break
        surface = m.group(0)
        if surface in word_of:
            w = word_of[surface]
        else:
            fw = fold(surface)
            typed = folded_words.get(fw, ())
            exact = fw if fw in typed else unify_tones(surface)
            # typed without diacritics, every spelling counts; typed with them, only its own
            w = word_of[surface] = next((t for t in typed if t == fw or t == exact), None)
        if w is None:
            continue
        out.append((start, end, w))
        if w not in seen:
            seen.add(w)
            if len(seen) == wanted:
                stop = min(stop, (start // CHUNK + 1) * CHUNK)
        if window and not complete:
            # the matches of the last `window` characters, and their words: all of them there
            # means the window starting at the first of those matches is the snippet's
            in_window[w] += 1
            while out[first][0] < end - window:
                in_window[out[first][2]] -= 1
                if not in_window[out[first][2]]:
                    del in_window[out[first][2]]
                first += 1
            if len(in_window) == wanted:
                complete = True
                stop = min(stop, out[first][0] + window + 31)  # the snippet shows up to 30 more
        if len(out) >= limit:
            break
    return out


def snippet(text: str, words: list[str], size: int = 220) -> str:
    """The window of `text` holding the most distinct query words, HTML-escaped, matches between
    `OPEN` and `CLOSE`; the start of the text when nothing matches."""
    text = text or ""
    found = matches(text, words, window=size)
    if not found:
        head = " ".join(text[: size * 2].split())[:size]
        return html.escape(head) + ("…" if len(text) > size else "")
    best, best_start = -1, 0
    in_window: Counter[str] = Counter()
    j = 0
    for i, (start, _, _) in enumerate(found):  # a sliding window over the matches
        while j < len(found) and found[j][1] <= start + size:
            in_window[found[j][2]] += 1
            j += 1
        if len(in_window) > best:
            best, best_start = len(in_window), start
        w = found[i][2]
        in_window[w] -= 1
        if not in_window[w]:
            del in_window[w]
    # some text before the first match, but never so much that the window's last match falls out
    last_end = max(e for s, e, _ in found if best_start <= s and e <= best_start + size)
    start = max(0, best_start - max(0, min(size // 4, size - (last_end - best_start))))
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
        parts.append(f"{OPEN}{html.escape(text[s:e])}{CLOSE}")
        pos = e
    parts.append(html.escape(text[pos:end]))
    out = " ".join("".join(parts).split())
    return ("…" if start > 0 else "") + out + ("…" if end < len(text) else "")


def plain(snip: str, open_mark: str = "[", close_mark: str = "]") -> str:
    """A snippet as plain text for a terminal: matches between brackets, the text unescaped
    (a letter's own `<b>` or `&` shows as it is printed)."""
    return "".join(open_mark if part == OPEN else close_mark if part == CLOSE else html.unescape(part)
                   for part in re.split(f"({re.escape(OPEN)}|{re.escape(CLOSE)})", snip or "") if part)
