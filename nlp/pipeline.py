"""The spaCy pipeline: a `Language` whose components are the readers of a letter
(`nlp/components.py`). They write the record on `doc._.record` and their findings on
`doc.spans["record"]` and `doc.ents` (DOC_CODE, DATE, LOC, ORG, SUBJECT, RECIPIENT, PERSON,
DOC_REF, DEADLINE), so that displaCy can draw what the record says from the same pass.

The tokenizer is chosen per use:
- `findings` (what `nlp.parse` runs): the text as one token, cut by the last component at the
  edges of what the readers found. The readers read characters, not tokens; a syllable
  tokenizer costs more than the readers themselves on a long law (benchmarks/bench_parse.py).
- `syllables`: syllables and punctuation, codes and dates whole (`57-KL/TW`, `15/6/2023`).
- `words`: underthesea's word segmentation between codes and dates (`Kết_luận` → one token);
  it cuts codes into pieces and is ~40× slower, which is why codes and dates are kept apart.

One pipeline object per process and tokenizer: `get_pipeline()` builds it once."""
from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp.dates import NUMERIC
from nlp.references import CODE

PROTECTED = re.compile(rf"{CODE}|{NUMERIC.pattern}", re.I)
SYLLABLE = re.compile(rf"{CODE}|{NUMERIC.pattern}|\w+|[^\w\s]", re.I)


class VietnameseTokenizer:
    """Syllables and punctuation, codes and dates whole; with `segment`, underthesea joins
    syllables into words (`Kết_luận` → one token `Kết luận`)."""

    def __init__(self, vocab: Vocab, segment: bool = False) -> None:
        self.vocab = vocab
        self.segment = segment

    def _pieces(self, text: str) -> list[tuple[int, int]]:
        if not self.segment:
            return [m.span() for m in SYLLABLE.finditer(text)]
        from underthesea import word_tokenize  # imported only when segmentation is wanted

        out: list[tuple[int, int]] = []
        last = 0
        for m in list(PROTECTED.finditer(text)) + [None]:
            gap_end = m.start() if m else len(text)
            out.extend(self._segment_gap(text, last, gap_end, word_tokenize))
            if m:
                out.append(m.span())
                last = m.end()
        return sorted(set(out))

    @staticmethod
    def _segment_gap(text: str, lo: int, hi: int, word_tokenize) -> list[tuple[int, int]]:
        gap = text[lo:hi]
        if not gap.strip():
            return []
        pieces, pos = [], lo
        words = [w for line in gap.split("\n") if line.strip() for w in word_tokenize(line)]
        for word in words:
            i = text.find(word, pos, hi)
            if i < 0:  # underthesea changed the text (a word across a line break): syllables here
                return [(lo + a, lo + b) for a, b in (s.span() for s in SYLLABLE.finditer(gap))]
            pieces.append((i, i + len(word)))
            pos = i + len(word)
        return pieces

    def __call__(self, text: str) -> Doc:
        spans = self._pieces(text)
        words: list[str] = []
        spaces: list[bool] = []
        # spaCy keeps the text exactly: one trailing space per token, other white space as tokens
        if spans and spans[0][0] > 0:
            words.append(text[: spans[0][0]])
            spaces.append(False)
        elif not spans and text:
            words.append(text)
            spaces.append(False)
        for k, (a, b) in enumerate(spans):
            nxt = spans[k + 1][0] if k + 1 < len(spans) else len(text)
            words.append(text[a:b])
            gap = text[b:nxt]
            spaces.append(gap.startswith(" "))
            rest = gap[1:] if gap.startswith(" ") else gap
            if rest:
                words.append(rest)
                spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


class WholeTextTokenizer:
    """The text as one token; `congvan_spans` cuts it where the readers found something."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return Doc(self.vocab, words=[text] if text else [], spaces=[False] if text else [])


TOKENIZERS = ("findings", "syllables", "words")


def build(tokens: str = "syllables") -> Language:
    """A fresh pipeline; prefer `get_pipeline()`, which builds one per process."""
    import nlp.components as components  # registers the component factories

    if tokens not in TOKENIZERS:
        raise ValueError(f"tokens must be one of {TOKENIZERS}, not {tokens!r}")
    pipe = spacy.blank("xx")  # spaCy's own `vi` needs pyvi; the tokenizer is ours anyway
    if tokens == "findings":
        # a token is a stretch between findings: lexical attributes (shape, like_url …) mean
        # nothing for it and cost a walk over each new stretch
        pipe.vocab.lex_attr_getters = {}
        pipe.tokenizer = WholeTextTokenizer(pipe.vocab)
    else:
        pipe.tokenizer = VietnameseTokenizer(pipe.vocab, segment=tokens == "words")
    for name in components.COMPONENTS:
        pipe.add_pipe(name)
    return pipe


@lru_cache(maxsize=len(TOKENIZERS))
def get_pipeline(tokens: str = "syllables") -> Language:
    return build(tokens)


def analyze(text: str, segment: bool = False) -> Doc:
    """The `Doc` of a text with its record on `doc._.record` and its findings on `doc.ents`,
    tokenized into syllables (or underthesea's words with `segment`)."""
    from ingest.models import Extracted, Source
    from nlp.parse import read

    return read(Extracted(text=text, source=Source(path="", sha256="", format="txt")),
                tokens="words" if segment else "syllables")
