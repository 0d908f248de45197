from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_archive(tmp_path_factory) -> Path:
    """An archive with corpus/text ingested once for the whole session (read-only use)."""
    from index.archive import Archive

    root = tmp_path_factory.mktemp("archive")
    archive = Archive(root)
    report = archive.ingest([CORPUS / "text"], workers=1)
    archive.close()
    assert not report.failed, report.failed
    return root
