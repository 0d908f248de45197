"""Real sentences for generated letters' bodies, taken from the real documents in
`../shared/eval/real/docs.jsonl`, grouped by the source's topic.

Only sentences that cite nothing are kept (no digits, no document-type words), so the
ground truth of a generated letter's references stays exact."""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "real" / "docs.jsonl"

# Words that would make a sentence a citation, a legal provision or gazette furniture.
_BANNED = re.compile(
    r"\d|Luật|Bộ luật|Nghị định|Thông tư|Quyết định|Nghị quyết|Chỉ thị|Kết luận|Công văn|Kế hoạch|Hiến pháp"
    r"|Pháp lệnh|Điều|khoản|điểm|này|CÔNG BÁO|http|@|§| - |\.\.\.|…|[\[\](){}\"“”'‘’/\\|<>_*=+#]"
)
HEAD = 20000  # characters read per document: plenty of sentences, and quick to load
_SPLIT = re.compile(r"(?<=[.;:])\s+(?=[A-ZÀ-ỸĐ])")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


@lru_cache(maxsize=2)
def sentence_pools(path: str = str(DOCS)) -> dict[str, tuple[str, ...]]:
    """topic → sentences (sorted, de-duplicated), plus `*` for every sentence."""
    pools: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            topic = doc.get("topic") or "khác"
            for raw in _SPLIT.split(_clean((doc.get("text") or "")[:HEAD])):
                s = raw.strip(" -–;:")
                if not 60 <= len(s) <= 260 or _BANNED.search(s) or not s[0].isupper():
                    continue
                letters = [c for c in s if c.isalpha()]
                if sum(c.isupper() for c in letters) > len(letters) * 0.15:
                    continue  # headings and shouted lines
                if not s.endswith("."):
                    s += "."
                pools.setdefault(topic, set()).add(s)
    out = {t: tuple(sorted(v)) for t, v in pools.items() if len(v) >= 30}
    out["*"] = tuple(sorted({s for v in pools.values() for s in v}))
    return out
