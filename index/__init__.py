"""Storage and queries of an archive, in parts that show: `catalog` (SQLite, the source of
truth), `search` (the full-text index), `graph` (citations: resolution, traversal, export),
`dedup` (duplicates, near-duplicates, series; copy groups), `pipeline` (the ingest batch).
`index.archive.Archive` is the one API the shells call.

A regular package (not a namespace): `tests/index/` mirrors this tree, and a namespace
`index` would merge the two folders, or another checkout's `index/`, into one package."""
