"""The digital signatures (chữ ký số) embedded in a PDF, read and checked offline with pyHanko.

For each signature, in signing order: the certificate's common name and organization, the
signing time, whether the signed bytes are unchanged (`intact`), whether nothing was added
after signing (`whole_file`) and whether its chain reaches one of the trust roots given
(`trusted`, None when none are given). Nothing is fetched from the network: the validation
context never fetches, and the revocation data that the file carries (its DSS, the signature's
adbe-revocationInfoArchival attribute) is what revocation is checked against.

`whole_file` rule: the signature covers the whole file, or what was appended after it is only
what pyHanko's standard difference policy allows up to form filling: later signatures and
timestamps, validation data (DSS), form fields filled. A page, an annotation or any other
change appended after signing makes it false.

A file that cannot be read as a signed PDF never fails: each signature that cannot be checked
is an entry with `error` (the reason) and `intact` false."""
from __future__ import annotations

import binascii
import logging
import mmap
import os
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path

from ingest.models import Signature
from text.normalize import nfc

# every signature dictionary has a /ByteRange, written in clear text (its offsets name bytes of
# the file, so it cannot sit in a compressed object stream): a file without one is not signed,
# and is answered without loading pyHanko
MARKER = b"/ByteRange"


def may_be_signed(path: str | Path) -> bool:
    """Whether the file holds a signature dictionary's marker (cheap: a scan of its bytes)."""
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size == 0:
                return False
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as m:
                return m.find(MARKER) >= 0
    except (OSError, ValueError):
        return False


def read_signatures(path: str | Path, roots: Sequence[bytes] | None = None, diff: bool = True) -> list[Signature]:
    """The signatures of the PDF at PATH, in signing order; `[]` when it has none. `roots`: the
    DER certificates of the trust roots (None or empty: `trusted` is None). `diff`: analyse
    what was appended after each signature (False when only `trusted` is wanted)."""
    if not may_be_signed(path):
        return []
    _load()
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        with open(path, "rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            embedded = list(reader.embedded_signatures)
            if not embedded:
                return []
            contexts = _contexts(reader, roots)
            return [_check(sig, contexts, bool(roots), diff) for sig in embedded]
    except Exception as exc:  # a malformed file or signature field: reported, never a failure
        return [Signature(intact=False, whole_file=False, trusted=False if roots else None,
                          error=f"không đọc được chữ ký số ({type(exc).__name__}: {str(exc)[:120]})")]


def _contexts(reader, roots: Sequence[bytes] | None):
    """Validation context kwargs of the file: the roots, its embedded certificates and revocation data."""
    from asn1crypto import x509
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError

    kwargs = {"trust_roots": [x509.Certificate.load(der) for der in roots or ()], "allow_fetching": False,
              "revocation_mode": "soft-fail"}
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        kwargs["other_certs"] = list(dss.load_certs())
        kwargs["ocsps"], kwargs["crls"] = _dss_revocation(dss)
    except NoDSSFoundError:
        pass
    except Exception:  # a damaged DSS: validated without it
        pass
    return kwargs


def _dss_revocation(dss) -> tuple[list, list]:
    from asn1crypto import crl as asn1_crl
    from asn1crypto import ocsp as asn1_ocsp

    ocsps = [asn1_ocsp.OCSPResponse.load(ref.get_object().data) for ref in dss.ocsps]
    crls = [asn1_crl.CertificateList.load(ref.get_object().data) for ref in dss.crls]
    return ocsps, crls


def _archived_revocation(sig) -> tuple[list, list]:
    """The signature's own adbe-revocationInfoArchival attribute: CRLs and OCSP responses."""
    from pyhanko.sign.general import find_unique_cms_attribute

    try:
        info = find_unique_cms_attribute(sig.signer_info["signed_attrs"], "adobe_revocation_info_archival")
    except Exception:
        return [], []
    crls = list(info["crl"]) if info["crl"] else []
    ocsps = list(info["ocsp"]) if info["ocsp"] else []
    return ocsps, crls


def _context(base: dict, sig):
    from pyhanko_certvalidator import ValidationContext

    ocsps, crls = _archived_revocation(sig)
    kwargs = dict(base)
    kwargs["ocsps"] = list(kwargs.get("ocsps", ())) + ocsps
    kwargs["crls"] = list(kwargs.get("crls", ())) + crls
    return ValidationContext(**kwargs)


def _check(sig, base: dict, has_roots: bool, diff: bool) -> Signature:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature

    out = Signature(intact=False, whole_file=False, trusted=False if has_roots else None)
    try:
        cert = sig.signer_cert
        out.signer, out.organization = _name(cert, "common_name"), _name(cert, "organization_name")
    except Exception as exc:
        out.error = f"không đọc được chứng thư số ({type(exc).__name__})"
        return out
    try:
        context = _context(base, sig)
        status = validate_pdf_signature(sig, context, ts_validation_context=context, skip_diff=not diff)
    except Exception as exc:
        out.error = f"không kiểm tra được chữ ký số ({type(exc).__name__}: {str(exc)[:120]})"
        return out
    out.signed_at = _iso(status.signer_reported_dt or (status.timestamp_validity.timestamp
                                                       if status.timestamp_validity else None))
    out.intact = bool(status.intact and status.valid)
    allowed = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
    out.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        diff and status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in allowed and status.docmdp_ok is not False)
    if has_roots:
        out.trusted = bool(status.trusted)
    return out


def _name(cert, attribute: str) -> str | None:
    value = cert.subject.native.get(attribute)
    if isinstance(value, list):  # a multi-valued attribute: its values in order
        value = ", ".join(str(v) for v in value)
    return nfc(str(value)) if value else None


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


# -- pyHanko, loaded once per process ---------------------------------------------------------
@cache
def _load() -> None:
    """Import pyHanko; quiet its loggers (a chain that reaches no root is an answer here, not a
    warning with a traceback), and read hex strings faster (see `read_hex_string`)."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    from pyhanko.pdf_utils import generic

    original = generic.read_hex_string_from_stream

    def fast(stream):
        return read_hex_string(stream, original)

    generic.read_hex_string_from_stream = fast


HEX = b"0123456789abcdefABCDEF"
_SPACE = b" \n\r\t\f\x00"


def read_hex_string(stream, fallback):
    """pyHanko's `read_hex_string_from_stream`, in bulk: it reads a hex string token by token in
    Python, which for a signature's /Contents (tens of KB of hex) cost about 0.1 s a file, more
    than reading the file's text. Same answers: the digits up to `>`, white space skipped, an odd
    count padded with 0; anything else (a comment, a bad digit, no end) is left to pyHanko's own."""
    from pyhanko.pdf_utils.generic import pdf_string

    start = stream.tell()
    stream.read(1)  # the `<`
    chunks = []
    while True:
        block = stream.read(1 << 16)
        if not block:
            stream.seek(start)
            return fallback(stream)
        end = block.find(b">")
        chunks.append(block if end < 0 else block[:end])
        if end >= 0:
            stream.seek(end + 1 - len(block), os.SEEK_CUR)
            break
    digits = b"".join(chunks).translate(None, _SPACE)
    if digits.translate(None, HEX):  # a byte that is no hex digit
        stream.seek(start)
        return fallback(stream)
    if len(digits) % 2:
        digits += b"0"
    return pdf_string(binascii.unhexlify(digits))
