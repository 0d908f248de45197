"""Test helpers for digital signatures: a root CA and a signer made with `cryptography`, a PDF
signed with pyHanko, and the ways a signed file is spoiled (a byte changed in the signed range,
a page appended after signing, a signature dictionary broken)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Chain:
    root_pem: Path
    other_root_pem: Path  # a CA that signed nothing here: trusting it does not make the signer trusted
    leaf_pem: Path  # the signer's own certificate (not a CA: refused as a trust root)
    key_pem: Path


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject: x509.Name, issuer: x509.Name, key, issuer_key, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
         .not_valid_after(now + dt.timedelta(days=365))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                                      data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                      crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False))
    return b.sign(issuer_key, hashes.SHA256())


def _pem(path: Path, cert: x509.Certificate) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def make_chain(folder: Path, signer: str, organization: str) -> Chain:
    root_key, other_key, leaf_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root_name = _name("RootCA kiểm thử", "Ban Cơ yếu kiểm thử")
    other_name = _name("CA khác", "Tổ chức khác")
    root = _cert(root_name, root_name, root_key, root_key, ca=True)
    other = _cert(other_name, other_name, other_key, other_key, ca=True)
    leaf = _cert(_name(signer, organization), root_name, leaf_key, root_key, ca=False)
    key = folder / "signer-key.pem"
    key.write_bytes(leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return Chain(_pem(folder / "root.pem", root), _pem(folder / "other-root.pem", other),
                 _pem(folder / "signer.pem", leaf), key)


def sign_pdf(src: Path, out: Path, chain: Chain) -> Path:
    """SRC signed by the chain's signer (PAdES, pyHanko's incremental writer), written to OUT."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(str(chain.key_pem), str(chain.leaf_pem), ca_chain_files=(str(chain.root_pem),))
    with open(src, "rb") as inf, open(out, "wb") as outf:
        w = IncrementalPdfFileWriter(inf, strict=False)
        signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name="ChuKySo"), signer=signer, output=outf)
    return out


def byte_range(data: bytes) -> tuple[int, int, int, int]:
    m = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    assert m, "no /ByteRange"
    return tuple(int(x) for x in m.groups())  # type: ignore[return-value]


def change_signed_byte(src: Path, out: Path) -> Path:
    """A copy with one byte changed inside the signed range: in a stream's data, so that the
    file still reads as a PDF and only the digest can tell."""
    data = bytearray(src.read_bytes())
    a, b, c, d = byte_range(bytes(data))
    starts = [m.end() for m in re.finditer(rb"stream\r?\n", bytes(data[:b])) if m.end() + 64 < b]
    assert starts, "no stream inside the signed range"
    pos = starts[len(starts) // 2] + 32
    data[pos] ^= 0x01
    out.write_bytes(bytes(data))
    return out


def append_page(src: Path, out: Path) -> Path:
    """SRC with a blank page added by an incremental update after signing (the signed bytes kept)."""
    from pypdf import PdfWriter

    w = PdfWriter(str(src), incremental=True)
    w.add_blank_page(width=595, height=842)
    with open(out, "wb") as fh:  # in incremental mode the original bytes first, then the update
        w.write(fh)
    assert out.read_bytes().startswith(src.read_bytes())
    return out


def break_signature(src: Path, out: Path) -> Path:
    """A copy whose signature value (/Contents) is no CMS any more: the same length of zeros."""
    data = src.read_bytes()
    a, b, c, d = byte_range(data)
    contents = data[b:c]  # `<hex…>` between the two signed ranges
    out.write_bytes(data[:b] + b"<" + b"0" * (len(contents) - 2) + b">" + data[c:])
    return out


def break_byte_range(src: Path, out: Path) -> Path:
    """A copy whose /ByteRange names bytes past the end of the file (its text the same width)."""
    data = src.read_bytes()
    m = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    assert m
    last = m.group(4)
    out.write_bytes(data[:m.start(4)] + b"9" * len(last) + data[m.end(4):])
    return out


def countersign(src: Path, out: Path, chain: Chain, field: str = "ChuKySo2") -> Path:
    """SRC signed once more, in a new field (a second signer after the first)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(str(chain.key_pem), str(chain.leaf_pem), ca_chain_files=(str(chain.root_pem),))
    with open(src, "rb") as inf, open(out, "wb") as outf:
        w = IncrementalPdfFileWriter(inf, strict=False)
        signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name=field), signer=signer, output=outf)
    return out
