"""The web page of the archive: a thin Starlette shell over `index.archive.Archive`.

`congvan serve` runs `create_app` with uvicorn; pages are rendered on the server (Jinja2),
speak Vietnamese, and load nothing from outside the app (no CDN)."""
from web.app import create_app

__all__ = ["create_app"]
