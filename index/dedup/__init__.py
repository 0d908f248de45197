"""Duplicate, near-duplicate, series and conflict detection for incoming documents.

Signatures (one row per document in `dedup_signatures`, written by the ingest that adds it):
- exact: a hash of the text folded to what must not count (NFC, one tone placement, lower
  case, punctuation and white space dropped), so a re-typed copy, an NFD file or OCR-level
  punctuation noise still hashes the same.
- MinHash (datasketch's values) over 3-word shingles of the *body*: the text without its header
  fields (issuer lines, motto, `Số:` line, date line, `V/v` subject), so a re-send with a new
  date or an OCR'd header does not move it.

Candidates come from LSH: the MinHash is cut into `b` bands of `r` rows (datasketch's own
optimiser picks b, r for the Jaccard threshold) and each band's hash is a row of
`dedup_bands`, indexed on (band, hash). A check is then `b` index look-ups in SQLite: its cost
grows with log(n), not n, and no in-memory LSH has to be loaded, so memory stays bounded at any
archive size (datasketch's in-memory `MinHashLSH` would hold every band of every document).

A second MinHash over character 7-grams of the folded, space-free body (OCR splits and joins
words and loses tone marks) has its own bands at Jaccard 0.5, to find OCR'd copies. Band hits
are pruned by their stored MinHash estimates (no record load) and the best `max_candidates`
are confirmed, so the work per check is bounded. Both MinHashes of a document are one row of
`dedup_minhashes` (uint32: one look-up per band hit); an older archive's are moved there on open,
and read from the older tables until then. Band look-ups read at most `bucket_cap` ids per bucket.
Confirmation reads each candidate's folded body and the few fields `relate` needs from `dedup_bodies`
(written at ingest), not its record (docs/dedup.md: profile and costs).

Each candidate is confirmed with rapidfuzz (`fuzz.ratio`, characters, on the folded bodies)
and labelled:
- `duplicate`: same exact hash;
- `near-duplicate`: body similarity >= `near`, and the codes agree (same number, symbol
  and year) or one of them is unknown (a header the parser or OCR could not read), and the
  issuing bodies do not disagree (`same_body`: issuer code and name, and the province the body
  sits in; not asked of OCR'd copies, whose headers are garbled);
- `series`: body similarity >= `series`, the same body (or unknown), a subject alike, but
  another number or year: next year's letter on the same template, or a later consolidated
  version of a law;
- `conflict`: same code, year and body but bodies below `near`: for a person to look at
  (an addition to SCHEMA.md's relations).

Thresholds, chosen from `benchmarks/bench_dedup.py` on the pair set of
`benchmarks/dup_pairs.py` (see docs/dedup.md for the table that picked them):
`near` = 0.80 and `series` = 0.60 (LSH Jaccard threshold 0.20). They are settable per archive: `congvan dedup --near X
--series Y` stores them in the catalog's `meta` table and re-checks the archive;
`congvan ingest --near X --series Y` uses other values for one run.

Modules, one job each: `config` (thresholds), `body` (the text without its header),
`signatures` (folding, exact hash, shingles), `minhash` (MinHash values, LSH bands, estimates),
`relations` (the rules above), `store` (`DedupIndex`: the tables, candidates, check and store),
`clustering` (groups for `congvan dedup`), `models` (Signature, Match, Edge), `copies` (letters, not
files: the copies of one letter grouped under its fullest copy, for search and the graph views).
"""
from index.dedup.body import HEADER_MAX_LINES, body_text
from index.dedup.clustering import clusters
from index.dedup.config import DedupConfig
from index.dedup.copies import COPY_RELATIONS, Copy, Letters, cited_once, fullness, group_facet, group_facets
from index.dedup.minhash import CHAR_BANDS, band_shape, bands, estimate, estimates_of, minhash_values
from index.dedup.models import RELATIONS, Edge, Match, Signature
from index.dedup.relations import body_similarity, relate, same_code, same_issuer
from index.dedup.signatures import all_bands, char_grams, exact_hash, fold_words, signature
from index.dedup.store import TABLES, DedupIndex, head_record, record_head

__all__ = [
    "CHAR_BANDS", "COPY_RELATIONS", "HEADER_MAX_LINES", "RELATIONS", "TABLES", "Copy", "DedupConfig",
    "DedupIndex", "Edge", "Letters", "Match", "Signature", "all_bands", "band_shape", "bands",
    "body_similarity", "body_text", "char_grams", "cited_once", "clusters", "estimate", "estimates_of",
    "exact_hash", "fold_words", "fullness", "group_facet", "group_facets", "head_record", "minhash_values",
    "record_head", "relate", "same_code", "same_issuer", "signature",
]
