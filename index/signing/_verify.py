"""Signatures as of today's trust roots: the stored ones of a document re-judged, and files
checked without being ingested.

A record keeps what its file says for ever (signer, time, intact, whole file); whether the
chain reaches a trust root depends on the roots the archive holds when asked, which an office
adds and removes at any time. So `trusted` is judged when a document is shown, from its kept
original, against the roots of that moment (about 10 ms a signed file, cached per process for
one set of roots): nothing stored has to be rewritten when the roots change, and an archive on
read-only media answers the same way."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from index.signing import _roots as trust
from ingest.models import Signature
from ingest.signatures import read_signatures

_CACHE: dict[tuple[str, str], list[bool | None]] = {}
_CACHE_SIZE = 512


def current(signatures: list[Signature], original: Path | None, conn: sqlite3.Connection,
            sha256: str) -> list[Signature]:
    """SIGNATURES (as stored) with `trusted` judged against the roots held now."""
    if not signatures:
        return []
    held = trust.roots(conn)
    if not held:
        return [_with(s, None) for s in signatures]
    key = (sha256, trust.digest(held))
    if key not in _CACHE:
        fresh = read_signatures(original, [r.der for r in held], diff=False) if original else []
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        # no original to read (lost, see `congvan check`): trust cannot be judged, so it is not claimed
        _CACHE[key] = [s.trusted for s in fresh] if len(fresh) == len(signatures) else [None] * len(signatures)
    return [_with(s, t) for s, t in zip(signatures, _CACHE[key])]


def _with(sig: Signature, trusted: bool | None) -> Signature:
    return Signature(**{**sig.__dict__, "trusted": trusted})


@dataclass
class Verified:
    path: str
    signatures: list[Signature] = field(default_factory=list)
    error: str | None = None

    @property
    def altered(self) -> bool:
        return any(s.altered for s in self.signatures)

    def to_dict(self) -> dict:
        return {"path": self.path, "signed": bool(self.signatures), "altered": self.altered,
                "signatures": [s.to_dict() for s in self.signatures], "error": self.error}


@dataclass
class VerifyReport:
    files: list[Verified] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"files": [f.to_dict() for f in self.files],
                "altered": [f.path for f in self.files if f.altered]}


def verify_files(paths: Iterable[str | Path], roots: list[bytes] | None) -> VerifyReport:
    """Each file's signatures, checked against ROOTS (DER; None: `trusted` is None)."""
    report = VerifyReport()
    for p in paths:
        path = Path(p)
        if not path.is_file():
            report.files.append(Verified(str(p), error="không có tệp này"))
            continue
        with open(path, "rb") as fh:
            head = fh.read(5)
        if not head.startswith(b"%PDF"):  # only PDFs carry embedded signatures here
            report.files.append(Verified(str(p)))
            continue
        report.files.append(Verified(str(p), read_signatures(path, roots)))
    return report


VIETNAM = timezone(timedelta(hours=7))


def _when(iso: str | None) -> str:
    """The signing time as read in Vietnam (a signer's clock may state UTC)."""
    if not iso:
        return "không rõ thời gian"
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return (when.astimezone(VIETNAM) if when.tzinfo else when).strftime("%d/%m/%Y %H:%M")


def verdict(sig: Signature) -> str:
    """What a person must know of one signature, in Vietnamese."""
    if sig.error:
        return f"không kiểm tra được ({sig.error})"
    if not sig.intact:
        return "đã bị sửa sau khi ký"
    if not sig.whole_file:
        return "có nội dung thêm sau khi ký"
    if sig.trusted is False:
        return "còn nguyên vẹn, chưa xác minh được nguồn gốc"
    if sig.trusted:
        return "còn nguyên vẹn, nguồn gốc tin cậy"
    return "còn nguyên vẹn"


def describe(sig: Signature) -> str:
    """`Ký số: VĂN PHÒNG CHÍNH PHỦ, 29/04/2026 09:46 — còn nguyên vẹn`."""
    who = sig.organization or sig.signer or "không rõ người ký"
    return f"Ký số: {who}, {_when(sig.signed_at)} — {verdict(sig)}"


def backfill(conn: sqlite3.Connection, root: Path) -> int:
    """Read the signatures of PDFs stored before records had them (their JSON has no
    `signatures` key), from the kept originals, into their records. `congvan reindex` runs it
    before the index is rebuilt, so that `--signed` knows them; a file re-ingested unchanged is
    never read again, so this is the only way an older archive learns its signatures. Returns
    the number of documents updated."""
    rows = conn.execute(
        "SELECT d.id, d.record, f.original FROM documents d JOIN files f ON f.sha256 = d.sha256 "
        "WHERE f.format = 'pdf' AND json_type(d.record, '$.signatures') IS NULL").fetchall()
    base = (root / "originals").resolve()
    read: dict[str, list[dict]] = {}
    updates = []
    for doc_id, text, original in rows:
        path = (root / original).resolve()
        if base not in path.parents or not path.is_file():
            continue  # a lost original (`congvan check` reports it): nothing to read
        if original not in read:
            read[original] = [s.to_dict() for s in read_signatures(path)]
        record = json.loads(text)
        record["signatures"] = read[original]
        updates.append((json.dumps(record, ensure_ascii=False), doc_id))
    if updates:  # one transaction: all of them or none
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("UPDATE documents SET record = ? WHERE id = ?", updates)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return len(updates)
