"""Full-text search over the catalog's documents: a derived index (Tantivy by default, Whoosh
selectable), rebuilt beside the live one from the catalog and swapped in.

Modules (private; this package's surface is what it exports here):
- `_fulltext`: `FullText`, the index of one archive (open, rebuild, write, search, letters);
- `_engine`: the interface both engines implement and the fields of a document, with
  `_tantivy` and `_whoosh`, the two engines;
- `_tokens`: the reference analysis (syllables, exact and folded forms) that queries use, and
  `_document_tokens`: the write path's cheaper one-pass twin, giving the very same tokens;
- `_query_language`: the query language staff type (words, phrases, codes, fields, `OR`, `-`);
- `_snippets`: highlighted snippets; `_hits`: a page's rows read from the catalog;
- `_write_batch`: an ingest's index writes gathered into few commits."""
from index.search._engine import DEFAULT_ENGINE, ENGINES, SIGNED_STATES, IndexLocked, open_engine, write_lock
from index.search._fulltext import BATCH, FOLDERS, ROLES, FullText, current_folder
from index.search._query_language import (
    Code,
    Filters,
    Not,
    Or,
    Phrase,
    Query,
    QueryError,
    Signer,
    Word,
    doc_type_filter,
    parse_date,
)
from index.search._query_language import parse as parse_query
from index.search._snippets import CLOSE, OPEN, plain, snippet
from index.search._tokens import exact_tokens, folded_tokens, syllables
from index.search._write_batch import IndexBatch

__all__ = [
    "SIGNED_STATES",
    "BATCH",
    "CLOSE",
    "DEFAULT_ENGINE",
    "ENGINES",
    "FOLDERS",
    "OPEN",
    "ROLES",
    "Code",
    "Filters",
    "FullText",
    "IndexBatch",
    "IndexLocked",
    "Not",
    "Or",
    "Phrase",
    "Query",
    "QueryError",
    "Signer",
    "Word",
    "current_folder",
    "doc_type_filter",
    "exact_tokens",
    "folded_tokens",
    "open_engine",
    "parse_date",
    "parse_query",
    "plain",
    "snippet",
    "syllables",
    "write_lock",
]
