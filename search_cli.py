"""congvan: the command line, a thin shell over `index.archive.Archive`."""
from __future__ import annotations

import json
import os
import sys

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
@click.option("--engine", type=click.Choice(["whoosh", "tantivy"]), default=None,
              help="Search engine of a new archive (default whoosh; kept in the archive).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], workers: int | None, ocr: str, as_json: bool,
           engine: str | None) -> None:
    """Ingest files and folders (PDF, DOCX, TXT, MD) into the archive."""
    archive = Archive(ctx.obj["archive"], engine=engine)

    def progress(done: int, total: int, path: str) -> None:
        if not as_json:
            click.echo(f"[{done}/{total}] {path}", err=True)

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
@click.option("--type", "doc_type", default=None, help="Only this document type: 'Công văn', 'cong van' or CV.")
@click.option("--issuer", default=None, help="Only documents whose issuer's name has these words.")
@click.option("--since", default=None, help="Issued on or after: 2025, 2025-08, 8/2025, 15/8/2025.")
@click.option("--until", default=None, help="Issued on or before (same forms).")
@click.option("--year", type=int, default=None)
@click.option("--sort", type=click.Choice(["score", "date", "date_asc"]), default="score", show_default=True)
@click.option("--limit", type=int, default=10, show_default=True)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], doc_type: str | None, issuer: str | None,
           since: str | None, until: str | None, year: int | None, sort: str, limit: int, page: int,
           as_json: bool) -> None:
    """Full-text search, with or without diacritics.

    \b
    Words must all match; "phrases" match consecutive words; OR, NOT (or -word).
    Fields: loai:/type:, coquan:/issuer:, so:/code:, ky:/signer:, tu:/since:, den:/until:, nam:/year:
    A query that is only a document code (57-KL/TW, 57 kl tw, kl 57) shows that document.
    """
    from index.codequery import candidates, index_terms, parse_code_query
    from index.query import QueryError

    text = " ".join(query)
    archive = _archive(ctx)
    try:
        result = archive.search(text, limit=limit, doc_type=doc_type, year=year, issuer=issuer, since=since,
                                until=until, offset=(page - 1) * limit, sort=sort)
    except QueryError as exc:
        archive.close()
        raise click.ClickException(str(exc)) from exc
    cq = parse_code_query(text)
    if cq is not None and not as_json and page == 1:
        # a bare code goes straight to the document it names (its own code, any spelling)
        rec = next((r for r in map(archive.get, candidates(text)) if r is not None), None)
        if rec is None and result["hits"] and result["hits"][0]["code"]:
            top = result["hits"][0]
            if set(index_terms(top["code"])) & set(cq.full):
                rec = archive.get(top["id"])
        if rec is not None:
            data = rec.to_dict()
            archive.close()
            _print_record(data)
            return
    archive.close()
    if as_json:
        _echo_json(result)
        return
    click.echo(f"{result['total']} kết quả")
    if result.get("suggestion"):
        click.echo(f"Có phải bạn muốn tìm: {result['suggestion']}")
    if result.get("relaxed"):
        click.echo("(không văn bản nào có đủ mọi từ; đây là các văn bản có một phần)")
    for h in result["hits"]:
        click.echo(f"{h['code'] or '(không số)':<22} {h['issued_date'] or '':<10} {h['doc_type'] or ''}: "
                   f"{h['subject'] or ''}")
        click.echo(f"    {h['snippet'].replace('<b>', '[').replace('</b>', ']')[:240]}")
    for name, label in (("doc_type", "Loại"), ("year", "Năm"), ("issuer", "Cơ quan")):
        counts = result["facets"].get(name) or {}
        if counts:
            top = sorted(counts.items(), key=lambda kv: -kv[1])[:6]
            click.echo(f"{label}: " + ", ".join(f"{k} ({v})" for k, v in top))


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


def _print_docs(result: dict, title: str) -> None:
    click.echo(f"{title} {result['key']}:")
    for d in result["documents"]:
        where = "" if d.get("id") else "  (chỉ biết qua trích dẫn)"
        click.echo(f"  {d.get('code') or '':<22} {d.get('issued_date') or '':<10} "
                   f"{d.get('subject') or ''}{where}")


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
    records = {}

    def label(node: dict) -> str:
        rec = records.get(node["id"]) or (archive.catalog.record(node["id"]) if node["id"] else None)
        if rec is None:
            return f"{node['code']}  (chỉ biết qua trích dẫn)"
        return f"{rec.code or '(không số)'}  {rec.issued_date or ''}  {rec.issuer.name or ''}: {rec.subject or ''}"

    if as_json:
        _echo_json(tree)
    else:
        def walk(node: dict, prefix: str, last: bool, root: bool) -> None:
            click.echo(label(node) if root else f"{prefix}{'└── ' if last else '├── '}{label(node)}")
            kids = node["children"]
            for i, child in enumerate(kids):
                walk(child, prefix + ("" if root else ("    " if last else "│   ")), i == len(kids) - 1, False)

        walk(tree, "", True, True)
    archive.close()


@cli.command()
@click.option("--engine", type=click.Choice(["whoosh", "tantivy"]), default=None,
              help="Switch the archive to this search engine (kept in the archive).")
@click.pass_context
def reindex(ctx: click.Context, engine: str | None) -> None:
    """Rebuild the full-text index from the catalog."""
    archive = _archive(ctx)
    n = archive.reindex(engine=engine)
    name = archive.engine
    archive.close()
    click.echo(f"reindexed {n} document(s) with {name}")


@cli.command()
@click.argument("key")
@click.option("--limit", type=int, default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def similar(ctx: click.Context, key: str, limit: int, as_json: bool) -> None:
    """Precedent letters like KEY (same topic in other years, same template elsewhere)."""
    archive = _archive(ctx)
    if archive.get(key) is None:
        archive.close()
        raise click.ClickException(f"no document {key!r} in the archive; try `congvan search {key}`")
    result = archive.similar(key, limit=limit)
    archive.close()
    if as_json:
        _echo_json(result)
        return
    click.echo(f"Văn bản tương tự {result['key']}:")
    for d in result["documents"]:
        click.echo(f"  {d['similarity']:.2f}  {d.get('code') or '(không số)':<22} {d.get('issued_date') or '':<10} "
                   f"{d.get('subject') or ''}")


def main() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    cli()


if __name__ == "__main__":
    main()
