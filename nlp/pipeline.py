"""The spaCy pipeline: a `Language` with a Vietnamese tokenizer and rule components that read
the record (SCHEMA.md) and put what they found on `Doc.ents` (DOC_REF, DATE, ORG, PERSON), so
that displaCy can draw it.

The tokenizer keeps document codes and dates whole (`57-KL/TW`, `15/6/2023`); underthesea
would cut them into pieces and its NER calls `số 57-KL/TW` a place, so codes and dates are
found first and only the text between them is handed to underthesea, when word segmentation
is asked for (`segment=True`). Fields do not need segmentation: the default tokenizer splits
syllables, which is what `benchmarks/bench_parse.py` measures against underthesea.

One pipeline object per process: `get_pipeline()` builds it once."""
from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from nlp.dates import NUMERIC, WORDY
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


if not Doc.has_extension("record"):
    Doc.set_extension("record", default=None)


@Language.component("congvan_record")
def record_component(doc: Doc) -> Doc:
    """Runs the field rules on the text and keeps the record on `doc._.record`."""
    from ingest.models import Extracted, Source
    from nlp.parse import parse

    if doc._.record is None:
        doc._.record = parse(Extracted(text=doc.text, source=Source(path="", sha256="", format="txt")))
    return doc


@Language.component("congvan_entities")
def entity_component(doc: Doc) -> Doc:
    """The record's findings as entities: codes cited, dates, issuing bodies, the signer."""
    rec = doc._.record
    if rec is None:
        return doc
    text = doc.text
    spans: list[Span] = []

    def add(start: int, end: int, label: str) -> None:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)

    for ref in rec.references:
        add(ref.start, ref.end, "DOC_REF")
        if ref.issuer:
            i = text.find(ref.issuer, ref.start, ref.end)
            if i >= 0:
                add(i, i + len(ref.issuer), "ORG")
    refs = [(r.start, r.end) for r in rec.references]
    for rx in (WORDY, NUMERIC):
        for m in rx.finditer(text):
            if not any(a <= m.start() < b for a, b in refs):
                add(m.start(), m.end(), "DATE")
    if rec.issuer and rec.issuer.name:
        i = text.find(rec.issuer.name)
        if i >= 0:
            add(i, i + len(rec.issuer.name), "ORG")
    if rec.signer and rec.signer.name:
        i = text.rfind(rec.signer.name)
        if i >= 0:
            add(i, i + len(rec.signer.name), "PERSON")
    doc.ents = filter_spans(spans)
    return doc


def build(segment: bool = False) -> Language:
    """A fresh pipeline; prefer `get_pipeline()`, which builds one per process."""
    nlp = spacy.blank("xx")  # spaCy's own `vi` needs pyvi; the tokenizer is ours anyway
    nlp.tokenizer = VietnameseTokenizer(nlp.vocab, segment=segment)
    nlp.add_pipe("congvan_record")
    nlp.add_pipe("congvan_entities")
    return nlp


@lru_cache(maxsize=2)
def get_pipeline(segment: bool = False) -> Language:
    return build(segment)


def analyze(text: str, segment: bool = False) -> Doc:
    """The `Doc` of a text with its record on `doc._.record` and its findings on `doc.ents`."""
    return get_pipeline(segment)(text)
