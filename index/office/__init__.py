"""The office's daily work over the archive: what is due and whether it is answered, the
registers of Nghị định 30/2020, search results and registers as files, a watched folder.

Modules (private; this package's surface is what it exports here): `_deadlines` (each
obligation a letter sets, filtered and dated), `_answers` (which later letters answer one),
`_ics` (deadlines as an iCalendar), `_office` (the office that keeps the archive and which
letters are its own), `_registers` (sổ đăng ký văn bản đến / đi), `_tables` (one table as
CSV, XLSX or JSON Lines), `_export` (search hits as a table), `_watch` (ingest what arrives in
a folder)."""
from index.office._answers import answered_by, ref_doc
from index.office._deadlines import DeadlineFilter, Deadlines, Obligation, asks, day, find
from index.office._export import HIT_COLUMNS, MAX_EXPORT, hits_table
from index.office._ics import DEFAULT_URL_BASE, calendar
from index.office._office import Office, OfficeError
from index.office._registers import DIRECTIONS, IN_COLUMNS, OUT_COLUMNS, Register, register
from index.office._tables import FORMATS, MEDIA_TYPES
from index.office._watch import watch

__all__ = [
    "DEFAULT_URL_BASE", "DIRECTIONS", "FORMATS", "HIT_COLUMNS", "IN_COLUMNS", "MAX_EXPORT", "MEDIA_TYPES",
    "OUT_COLUMNS", "DeadlineFilter", "Deadlines", "Obligation", "Office", "OfficeError", "Register",
    "answered_by", "asks", "calendar", "day", "find", "hits_table", "ref_doc", "register", "watch",
]
