"""Digital signatures (chữ ký số) as the archive judges them: the trust roots the office gives
it, and each signature's verdict against them, offline.

Modules (private; this package's surface is what it exports here): `_roots` (the CA
certificates the archive trusts, kept in the catalog's settings), `_verify` (a record's
signatures judged against today's roots, files checked without ingesting them, signatures
filled in for PDFs stored before records had them)."""
from index.signing._roots import Root, TrustError, load_certificates, roots
from index.signing._roots import add as add_root
from index.signing._roots import remove as remove_root
from index.signing._verify import VerifyReport, backfill, current, describe, verdict, verify_files

__all__ = [
    "Root", "TrustError", "VerifyReport", "add_root", "backfill", "current", "describe", "load_certificates",
    "remove_root", "roots", "verdict", "verify_files",
]
