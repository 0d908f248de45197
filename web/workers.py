"""The app of one uvicorn worker process (`congvan serve --workers N`): uvicorn starts each
worker by importing a factory, so the options `serve` was given travel in the environment
($CONGVAN_SERVE, JSON of `create_app`'s arguments) and every worker builds its own app, with
its own handles on the archive. The archive's one writer is still the writer lock, shared by
all workers (an upload in one waits for an ingest in another)."""
from __future__ import annotations

import json
import os

from starlette.applications import Starlette

from web.app import create_app

ENVIRONMENT = "CONGVAN_SERVE"


def options_for_workers(archive_dir: str, **options) -> str:
    """What `serve` puts in $CONGVAN_SERVE for its workers."""
    return json.dumps({"archive_dir": str(archive_dir), **options}, ensure_ascii=False)


def from_environment() -> Starlette:
    """uvicorn's factory (`--factory web.workers:from_environment`)."""
    try:
        options = json.loads(os.environ[ENVIRONMENT])
    except (KeyError, ValueError) as exc:
        raise RuntimeError(f"${ENVIRONMENT} must hold the options of `congvan serve` as JSON") from exc
    return create_app(**options)
