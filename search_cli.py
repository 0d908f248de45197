"""congvan: the command line, a thin shell over `index.archive.Archive`."""
from __future__ import annotations

import json
import os
import sys
import time

import click

from index.archive import Archive
from ingest import IngestError, extract
from nlp import parse as parse_document


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _archive(ctx: click.Context) -> Archive:
    return Archive(ctx.obj["archive"])


@click.group()
@click.option("--archive", "archive_dir", envvar="CONGVAN_ARCHIVE", default="archive",
              show_default=True, help="Archive folder (or $CONGVAN_ARCHIVE).")
@click.pass_context
def cli(ctx: click.Context, archive_dir: str) -> None:
    """congvan: archive and search Vietnamese official documents, offline."""
    ctx.obj = {"archive": archive_dir}


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--workers", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], workers: int | None, ocr: str, as_json: bool) -> None:
    """Ingest files and folders (PDF, DOCX, TXT, MD) into the archive."""
    archive = _archive(ctx)

    started = time.monotonic()

    def progress(done: int, total: int, path: str) -> None:
        if not as_json:
            rate = done / max(time.monotonic() - started, 1e-6)  # files per second so far
            eta = (total - done) / rate if rate else 0.0
            click.echo(f"[{done}/{total}] {rate:.2f} files/s, ETA {eta:.0f} s  {path}", err=True)

    report = archive.ingest(paths, workers=workers, ocr=ocr, progress=progress)
    archive.close()
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(f"ingested {len(report.ingested)} file(s), "
                   f"{sum(len(x['ids']) for x in report.ingested)} document(s); "
                   f"unchanged {len(report.unchanged)}; failed {len(report.failed)}")
        for f in report.failed:
            click.echo(f"  skipped {f['path']}: {f['error']}")
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path())
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto")
@click.option("--json", "as_json", is_flag=True, help="Print the records as a JSON array.")
def parse(file: str, ocr: str, as_json: bool) -> None:
    """Print the records of one file; nothing is stored."""
    try:
        records = [parse_document(doc).to_dict() for doc in extract(file, ocr=ocr)]
    except IngestError as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    if as_json:
        _echo_json(records)
        return
    for rec in records:
        _print_record(rec)


def _print_record(rec: dict) -> None:
    issuer = rec.get("issuer") or {}
    signer = rec.get("signer") or {}
    rows = [
        ("Số, ký hiệu", rec.get("code")), ("Loại", rec.get("doc_type")),
        ("Ngày", rec.get("issued_date")), ("Nơi ban hành", rec.get("place")),
        ("Cơ quan", " / ".join(x for x in (issuer.get("parent"), issuer.get("name")) if x)),
        ("Trích yếu", rec.get("subject")), ("Kính gửi", "; ".join(rec.get("recipients") or [])),
        ("Người ký", ", ".join(x for x in (signer.get("authority"), signer.get("position"),
                                            signer.get("name")) if x)),
    ]
    for label, value in rows:
        if value:
            click.echo(f"{label:<13} {value}")
    for ref in rec.get("references") or []:
        click.echo(f"  ↳ {ref.get('doc_type') or ''} {ref.get('code') or ''} {ref.get('date') or ''}".rstrip())
    for d in rec.get("deadlines") or []:
        click.echo(f"  ⏰ {d['date']}: {d['text']}")
    click.echo(f"id {rec['id']}\n")


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--type", "doc_type", default=None, help="Only this document type, e.g. 'Công văn'.")
@click.option("--year", type=int, default=None)
@click.option("--limit", type=int, default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], doc_type: str | None, year: int | None,
           limit: int, as_json: bool) -> None:
    """Full-text search, with or without diacritics."""
    archive = _archive(ctx)
    result = archive.search(" ".join(query), limit=limit, doc_type=doc_type, year=year)
    archive.close()
    if as_json:
        _echo_json(result)
        return
    click.echo(f"{result['total']} kết quả")
    for h in result["hits"]:
        click.echo(f"{h['code'] or '(không số)':<22} {h['issued_date'] or '':<10} {h['doc_type'] or ''}: "
                   f"{h['subject'] or ''}")
        snippet = h["snippet"].replace("<b", "[").replace("</b>", "]")
        snippet = snippet.replace('class="match term0">', "").replace('class="match term1">', "")
        click.echo(f"    {snippet[:200]}")


@cli.command()
@click.argument("key")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx: click.Context, key: str, as_json: bool) -> None:
    """One document, by code in any common spelling or by id."""
    archive = _archive(ctx)
    rec = archive.get(key)
    if rec is None:
        archive.close()
        raise click.ClickException(f"no document {key!r} in the archive; try `congvan search {key}`")
    data = rec.to_dict()
    data["cited_by"] = archive.cited_by(rec.id)["documents"] if rec.code else []
    data["duplicates"] = []
    archive.close()
    if as_json:
        _echo_json(data)
    else:
        _print_record(data)


def _doc_line(d: dict) -> str:
    """`code  date  issuer: subject  [relation]`, marking documents known only by citation."""
    parts = [d.get("code") or "(không số)", d.get("issued_date") or ""]
    head = "  ".join(p for p in parts if p)
    issuer = d.get("issuer")
    subject = d.get("subject") or ""
    text = f"{head}  {issuer}: {subject}" if issuer else f"{head}  {subject}"
    rel = d.get("relation")
    if rel and rel != "cites":
        text += f"  [{rel}]"
    if not d.get("id"):
        text += "  (chỉ biết qua trích dẫn)"
    return text.rstrip()


def _print_docs(result: dict, title: str) -> None:
    click.echo(f"{title} {result['key']}:")
    if not result["documents"]:
        click.echo("  (không có)")
    for d in result["documents"]:
        click.echo(f"  {_doc_line(d)}")


@cli.command()
@click.argument("key")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def refs(ctx: click.Context, key: str, as_json: bool) -> None:
    """What a document cites."""
    archive = _archive(ctx)
    result = archive.references(key)
    archive.close()
    _echo_json(result) if as_json else _print_docs(result, "Văn bản được trích dẫn bởi")


@cli.command("cited-by")
@click.argument("key")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def cited_by(ctx: click.Context, key: str, as_json: bool) -> None:
    """Which documents cite KEY."""
    archive = _archive(ctx)
    result = archive.cited_by(key)
    archive.close()
    _echo_json(result) if as_json else _print_docs(result, "Văn bản trích dẫn")


@cli.command()
@click.argument("key")
@click.option("--depth", type=int, default=3, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def trace(ctx: click.Context, key: str, depth: int, as_json: bool) -> None:
    """The tree of documents that implement KEY, level by level."""
    archive = _archive(ctx)
    tree = archive.trace(key, depth=depth)
    archive.close()
    if as_json:
        _echo_json(tree)
        return
    if tree["id"] is None and not tree["children"] and not tree.get("doc_type"):
        raise click.ClickException(f"nothing in the archive is or cites {key!r}; try `congvan search {key}`")

    def walk(node: dict, prefix: str, last: bool, root: bool) -> None:
        click.echo(_doc_line(node) if root else f"{prefix}{'└── ' if last else '├── '}{_doc_line(node)}")
        kids = node["children"]
        for i, child in enumerate(kids):
            walk(child, prefix + ("" if root else ("    " if last else "│   ")), i == len(kids) - 1, False)

    walk(tree, "", True, True)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["dot", "graphml", "json", "svg"]), default="dot",
              show_default=True)
@click.option("--around", default=None, help="Only the documents within --depth links of this one.")
@click.option("--depth", type=int, default=2, show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to FILE (default: stdout).")
@click.pass_context
def graph(ctx: click.Context, fmt: str, around: str | None, depth: int, output: str | None) -> None:
    """The citation graph for Graphviz and Gephi, or as a picture (svg)."""
    from index.graph_export import export

    archive = _archive(ctx)
    data = archive.graph(around=around, depth=depth)
    archive.close()
    if around and not data["nodes"]:
        raise click.ClickException(f"nothing in the archive is or cites {around!r}")
    text = export(data, fmt)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(f"wrote {len(data['nodes'])} node(s), {len(data['edges'])} edge(s) to {output}", err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Documents by type, issuer and year; the most cited; citations still unresolved."""
    archive = _archive(ctx)
    data = archive.stats()
    archive.close()
    if as_json:
        _echo_json(data)
        return
    click.echo(f"{data['documents']} văn bản, {data['citations']} trích dẫn")
    for title, name in (("Theo loại", "by_type"), ("Theo cơ quan ban hành", "by_issuer"), ("Theo năm", "by_year")):
        click.echo(f"\n{title}:")
        for k, v in list(data[name].items())[:15]:
            click.echo(f"  {v:>6}  {k}")
    click.echo("\nĐược trích dẫn nhiều nhất:")
    for d in data["most_cited"]:
        click.echo(f"  {d['cited_by']:>6}  {_doc_line(d)}")
    unres = data["unresolved"]
    click.echo(f"\nChưa có trong kho: {unres['count']} văn bản, được trích dẫn {unres['citations']} lần")
    for d in unres["top"]:
        click.echo(f"  {d['cited_by']:>6}  {_doc_line(d)}")


@cli.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the full-text index from the catalog."""
    archive = _archive(ctx)
    n = archive.reindex()
    archive.close()
    click.echo(f"reindexed {n} document(s)")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the page to the whole network.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--archive", "archive_dir", default=None, help="Archive folder (overrides the global --archive).")
@click.option("--allow-upload", is_flag=True, help="Add the page that ingests uploaded files.")
@click.option("--max-upload-mb", type=click.IntRange(1, 1024), default=25, show_default=True)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, archive_dir: str | None, allow_upload: bool,
          max_upload_mb: int) -> None:
    """The web page: search, read, follow references, see duplicates."""
    import uvicorn

    from web import create_app

    app = create_app(archive_dir or ctx.obj["archive"], allow_upload=allow_upload,
                     max_upload=max_upload_mb * 2**20)
    click.echo(f"congvan: http://{host}:{port}/  (Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def main() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    cli()


if __name__ == "__main__":
    main()
