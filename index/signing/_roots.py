"""The trust roots of an archive: the CA certificates that an office chooses to trust (the
Government's specialised root CA and its subordinate CAs, installed from Ban Cơ yếu Chính phủ).
Kept in the catalog's settings (`trust_roots`), as PEM with their SHA-256 fingerprints; nothing
is ever fetched from the network."""
from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import asdict, dataclass

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from index.catalog import settings

KEY = "trust_roots"


class TrustError(ValueError):
    """A certificate that cannot be a trust root; the message (Vietnamese) says why."""


@dataclass
class Root:
    fingerprint: str  # SHA-256 of the DER, lower-case hex
    subject: str
    not_after: str  # ISO date
    pem: str

    def to_dict(self) -> dict:
        d = asdict(self)
        del d["pem"]
        return d

    @property
    def der(self) -> bytes:
        return x509.load_pem_x509_certificate(self.pem.encode()).public_bytes(Encoding.DER)


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """The certificates of a .pem (one or several) or .cer/.der file."""
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise TrustError("tệp không phải chứng thư số X.509 (PEM hoặc DER) đọc được") from exc


def _subject(cert: x509.Certificate) -> str:
    return cert.subject.rfc4514_string()


def as_root(cert: x509.Certificate) -> Root:
    """The root of CERT; `TrustError` when it is not a CA certificate."""
    try:
        ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        ca = False
    if not ca:
        raise TrustError(f"chứng thư {_subject(cert)} không phải chứng thư của tổ chức cung cấp dịch vụ chứng thực "
                         "(CA): chỉ thêm được chứng thư gốc hoặc chứng thư CA trung gian làm gốc tin cậy")
    der = cert.public_bytes(Encoding.DER)
    return Root(fingerprint=hashlib.sha256(der).hexdigest(), subject=_subject(cert),
                not_after=cert.not_valid_after_utc.date().isoformat(),
                pem=cert.public_bytes(Encoding.PEM).decode())


def roots(conn: sqlite3.Connection) -> list[Root]:
    return [Root(**r) for r in settings.get(conn, KEY, [])]


def add(conn: sqlite3.Connection, data: bytes) -> list[Root]:
    """Add every certificate of DATA (each must be a CA); those already held are kept once."""
    new = [as_root(c) for c in load_certificates(data)]
    held = roots(conn)
    known = {r.fingerprint for r in held}
    for r in new:
        if r.fingerprint not in known:
            held.append(r)
            known.add(r.fingerprint)
    settings.put(conn, KEY, [asdict(r) for r in held])
    return new


def _plain(fingerprint: str) -> str:
    return fingerprint.replace(":", "").replace(" ", "").lower()


def remove(conn: sqlite3.Connection, fingerprint: str) -> Root:
    """Remove the root whose fingerprint is FINGERPRINT (or begins with it, when only one does)."""
    want = _plain(fingerprint)
    held = roots(conn)
    matches = [r for r in held if r.fingerprint.startswith(want)] if len(want) >= 8 else []
    if len(matches) != 1:
        raise TrustError(f"không có gốc tin cậy nào có dấu vân tay {fingerprint}" if not matches else
                         f"nhiều gốc tin cậy có dấu vân tay bắt đầu bằng {fingerprint}: gõ đầy đủ hơn")
    settings.put(conn, KEY, [asdict(r) for r in held if r is not matches[0]])
    return matches[0]


def digest(held: list[Root]) -> str:
    """Names one set of roots (a cache of trust answers is valid while it is unchanged)."""
    return hashlib.sha256("".join(sorted(r.fingerprint for r in held)).encode()).hexdigest()
