"""Text of one document (`Extracted`) → `Record`: header fields, references, deadlines.

The rules live in small modules (header, issuer, signer, references, deadlines); they run as
the components of one spaCy `Language` (`nlp/pipeline.py`, `nlp/components.py`), which fills
the record on `doc._.record` and the findings on `doc.ents` in the same pass."""
from __future__ import annotations

import hashlib
import logging
import re
import threading

from spacy.tokens import Doc

from ingest.models import Extracted
from nlp.components import SPANS_STEP
from nlp.models import Entity, Record
from nlp.pipeline import get_pipeline
from text.chars import HOMOGLYPHS
from text.normalize import nfc, unify_tones

log = logging.getLogger(__name__)

# Only a word ending in o/u + a toned a/e/y can change under `unify_tones` (`hoà` → `hòa`): run
# it on those alone, which gives the same text several times faster than on every word. Anchored
# at a word's start, so a long word is walked once, not once per letter (issue 17).
_TONE_CANDIDATE = re.compile(r"(?<!\w)\w*[oOuU][àáãảạÀÁÃẢẠèéẽẻẹÈÉẼẺẸỳýỹỷỵỲÝỸỶỴ](?!\w)")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
# A memory zone frees the strings a `Doc` adds to the shared vocabulary (every document's own
# words, codes, numbers); zones must not overlap, so one thread at a time reads through one.
_ZONE = threading.Lock()


def record_id(text: str, part: int) -> str:
    """Stable across re-ingests: a hash of the text with spacing and tone placement unified."""
    flat = _TONE_CANDIDATE.sub(lambda m: unify_tones(m.group()), nfc(" ".join(text.split())))
    digest = hashlib.sha256(flat.encode()).hexdigest()[:16]
    return f"{digest}-{part}"


def _clean(text: str) -> str:
    # Icelandic eth for Đ, Cyrillic look-alikes for Latin: same length, offsets hold
    text = nfc(text).replace("Ð", "Đ")
    if _CYRILLIC.search(text):  # str.translate walks every character: only where it is needed
        text = text.translate(HOMOGLYPHS)
    return text


def read(doc: Extracted, tokens: str = "findings", spans: bool = True) -> Doc:
    """The spaCy `Doc` of one document: the record on `doc._.record`, the findings on
    `doc._.findings` and, with `spans`, as `doc.spans["record"]` and `doc.ents`. Bad text yields
    a sparse record, never an exception."""
    text = _clean(doc.text)
    rec = Record(id=record_id(text, doc.source.part), source=doc.source.to_dict(), text=text,
                 signatures=list(doc.signatures))
    pipe = get_pipeline(tokens)
    spacy_doc = pipe.make_doc(text)
    spacy_doc._.record = rec
    try:
        if spans:
            return pipe(spacy_doc)
        # the last step only cuts the text into spans for a view of it: a record needs none
        for name, step in pipe.pipeline:
            if name != SPANS_STEP:
                spacy_doc = step(spacy_doc)
        return spacy_doc
    except Exception:  # the components guard themselves; this is the pipeline's own failure
        log.exception("parse failed for %s part %s", doc.source.path, doc.source.part)
        return spacy_doc


def parse(doc: Extracted) -> Record:
    """The record of one extracted document; bad text yields a sparse record, never an exception."""
    with _ZONE, get_pipeline("findings").memory_zone():
        rec = read(doc, spans=False)._.record
    _issuer_from_signature(rec)
    return rec


def _issuer_from_signature(rec: Record) -> None:
    """Where neither the header nor the text names the issuer (a scan whose header OCR could not
    read), the organization of the first intact digital signature does: the certificate names
    the body that signed the file. `issuer.source` says so."""
    if rec.issuer.name:
        return
    org = next((s.organization for s in rec.signatures if s.organization and s.intact), None)
    if org:
        rec.issuer.name, rec.issuer.source = org, "signature"


def entities(doc: Extracted) -> list[Entity]:
    """Where the record's findings are printed in the cleaned text (the record's `text`), in
    text order and without overlaps: `doc.ents` of the same pass that `parse` runs."""
    with _ZONE, get_pipeline("findings").memory_zone():
        return [Entity(e.start_char, e.end_char, e.label_, e.kb_id_ or None) for e in read(doc).ents]
