"""The digital signatures (chữ ký số) on the page: the document's lines, the search filter."""
from __future__ import annotations

from index.archive import Archive, describe, verdict

# the search form's values (Vietnamese in the address) → `Archive.search(signed=…)`
CHOICES = {"co": "signed", "khong": "unsigned", "bi_sua": "altered"}
LABELS = {"": "Tất cả", "co": "Có chữ ký số", "khong": "Không có chữ ký số", "bi_sua": "Bị sửa sau khi ký"}


def signed_filter(value: str | None) -> str | None:
    """The filter named by the form's `chu_ky` value; anything else is no filter."""
    return CHOICES.get((value or "").strip())


def lines(archive: Archive, rec) -> list[dict]:
    """One line per signature, trusted against the archive's roots of today: its text and a
    state for the page's colour (`ok`, `warn`: origin not verified, `bad`: changed after signing)."""
    out = []
    for sig in archive.signatures(rec):
        state = "bad" if sig.altered else ("warn" if sig.trusted is False else "ok")
        out.append({"text": describe(sig), "verdict": verdict(sig), "state": state,
                    "signer": sig.signer, "organization": sig.organization})
    return out
