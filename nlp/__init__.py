"""Vietnamese document understanding: `Extracted` text → `Record` (SCHEMA.md). No I/O."""
from nlp.models import Deadline, Issuer, Record, Reference, Signer
from nlp.parse import parse

__all__ = ["Deadline", "Issuer", "Record", "Reference", "Signer", "parse"]
