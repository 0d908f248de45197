"""Files in, documents out: text per document (NFC) with layout lines. Knows file formats,
not the meaning of Vietnamese documents; never writes the archive."""
from ingest.models import Extracted, IngestError, Line, Source
from ingest.reader import SUPPORTED, extract, sha256_file

__all__ = ["Extracted", "IngestError", "Line", "Source", "SUPPORTED", "extract", "sha256_file"]
