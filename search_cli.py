"""congvan: the command line, a thin shell over `index.archive.Archive`."""
from __future__ import annotations

import datetime
import getpass
import ipaddress
import json
import os
import sys
import time
from collections.abc import Callable

import click

from index.archive import (
    ACTIONS,
    CLEARANCE_NAMES,
    CLEARANCES,
    DIRECTIONS,
    FIRST_PAGE,
    FORMATS,
    FULL,
    GROUP_PAGE,
    MAX_EXPORT,
    ROLE_NAMES,
    ROLES,
    AccountError,
    Archive,
    ArchiveBusy,
    IngestError,
    Limits,
    Lookup,
    OfficeError,
    Paging,
    QueryError,
    Signature,
    TrustError,
    VerifyReport,
    Viewer,
    cited_once,
    deadline_day,
    describe,
    holder,
    plain_snippet,
    printable,
)

EXIT_IOERR = 74  # EX_IOERR: the disk is full or read-only; what was stored before stays whole
EXIT_BUSY = 75  # EX_TEMPFAIL: another process writes to the archive; nothing was done, try again later


def _disk_trouble(exc: BaseException) -> str | None:
    """The one-line Vietnamese reason when `exc` (or what it wraps) is a full or read-only disk."""
    import errno
    seen = 0
    while exc is not None and seen < 10:
        text = str(exc).lower()
        if (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) \
                or "disk is full" in text or "no space left" in text:
            return "đĩa đã đầy: không ghi được vào kho; giải phóng chỗ trống rồi chạy lại lệnh " \
                   "(những tệp đã nhập vẫn nguyên vẹn)"
        if (isinstance(exc, OSError) and exc.errno == errno.EROFS) or "readonly database" in text \
                or "read-only file system" in text:
            return "kho nằm trên ổ chỉ đọc: lệnh này cần ghi vào kho; chép kho sang ổ ghi được để dùng lệnh này"
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


class _Shell(click.Group):
    """Every command answers the same way when the archive is busy (exit 75) or the disk is
    full or read-only (exit 74): one line in Vietnamese, no traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ArchiveBusy:
            root = (ctx.obj or {}).get("archive", "archive")
            click.echo(f"Lỗi: kho {printable(str(root))} đang bận: {printable(holder(root))} đang ghi vào kho. "
                       "Hãy chạy lại khi xong, hoặc thêm --wait GIÂY để chờ.", err=True)
            sys.exit(EXIT_BUSY)
        except (OSError, Exception) as exc:
            why = _disk_trouble(exc)
            if why is None or isinstance(exc, click.ClickException):
                raise
            click.echo(f"Lỗi: {why} ({type(exc).__name__})", err=True)
            sys.exit(EXIT_IOERR)


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _archive(ctx: click.Context) -> Archive:
    """The archive as the person running the command sees it (`ctx.obj["viewer"]`, set by
    `--as NAME` where accounts exist; else FULL: the archive's owner sees everything)."""
    archive, viewer = Archive(ctx.obj["archive"]), ctx.obj.get("viewer")
    # a view shares the archive's open catalog and index (closing it leaves them to the process)
    return archive if viewer is None or viewer == FULL else archive.as_viewer(viewer)


def _note(ctx: click.Context, archive: Archive, action: str, target: str = "") -> None:
    """Record a command's action in the archive's audit log, as the OS user, marked as the CLI."""
    viewer = ctx.obj.get("viewer")
    via = f"cli --as {viewer.name}" if viewer is not None else "cli"
    try:
        archive.audit().add(_os_user(), action, target, via=via)
    except Exception as exc:  # a log that cannot be written (disk, lock) must not lose the answer
        click.echo(f"Cảnh báo: không ghi được nhật ký ({type(exc).__name__})", err=True)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no name for this uid (a container)
        return f"uid {os.getuid()}"


def _viewer_of(archive_dir: str, name: str) -> Viewer:
    """The account NAME as a `Viewer`; unknown or disabled: a Vietnamese line and exit 2."""
    archive = Archive(archive_dir)
    try:
        account = archive.accounts().get(name)
    finally:
        archive.close()
    if account is None or account.disabled:
        why = "không có trong kho" if account is None else "đã bị khóa"
        click.echo(f"Lỗi: tài khoản {printable(name)!r} {why}; --as cần một tài khoản đang dùng "
                   "(xem `congvan users list`).", err=True)
        sys.exit(2)
    return account.viewer()


@click.group(cls=_Shell)
@click.option("--archive", "archive_dir", envvar="CONGVAN_ARCHIVE", default="archive",
              show_default=True, help="Archive folder (or $CONGVAN_ARCHIVE).")
@click.option("--as", "as_name", default=None, metavar="NAME",
              help="Answer as this account sees the archive (for scripts that prepare lists for a person).")
@click.pass_context
def cli(ctx: click.Context, archive_dir: str, as_name: str | None) -> None:
    """congvan: archive and search Vietnamese official documents, offline."""
    ctx.obj = {"viewer": None, **(ctx.obj or {}), "archive": archive_dir}  # a caller may name the viewer
    if as_name is not None:
        ctx.obj["viewer"] = _viewer_of(archive_dir, as_name)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--workers", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary: no line per file read or per duplicate found.")
@click.option("--near", type=click.FloatRange(0, 1), default=None,
              help="Near-duplicate threshold for this run (default: the archive's, see `dedup --near`).")
@click.option("--series", type=click.FloatRange(0, 1), default=None,
              help="Series threshold for this run (default: the archive's).")
@click.option("--timeout", type=float, default=None, help="Seconds to read one file, 0 = none [$CONGVAN_TIMEOUT; 300].")
@click.option("--memory-mb", type=int, default=None,
              help="Memory one file may take while read, 0 = none [$CONGVAN_MEMORY_MB; 2048].")
@click.option("--max-chars", type=int, default=None,
              help="Characters of text one file may hold, 0 = none [$CONGVAN_MAX_CHARS; 5000000].")
@click.option("--wait", type=float, default=0.0, show_default=True,
              help="Seconds to queue when another ingest is writing to the archive (default: stop at once).")
@click.option("--engine", type=click.Choice(["whoosh", "tantivy"]), default=None,
              help="Search engine of a new archive (default tantivy; kept in the archive).")
@click.option("--follow-symlinks", is_flag=True,
              help="Read through symbolic links, but only to files inside the paths given (default: skip them).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], workers: int | None, ocr: str, as_json: bool,
           timeout: float | None, memory_mb: int | None, max_chars: int | None, wait: float,
           engine: str | None = None, near: float | None = None, series: float | None = None,
           quiet: bool = False, follow_symlinks: bool = False) -> None:
    """Ingest files and folders (PDF, DOCX, TXT, MD) into the archive.

    Exit status: 0 all files read, 1 some files failed or were skipped (each with a one-line
    reason), 74 the disk is full or read-only, 75 the archive is busy with another writer."""
    archive = Archive(ctx.obj["archive"], engine=engine, viewer=ctx.obj.get("viewer") or FULL)
    if near is not None or series is not None:
        archive.dedup_config = archive.dedup_config.override(near=near, series=series)

    started = time.monotonic()

    def progress(done: int, total: int, path: str) -> None:
        if not as_json and not quiet:
            rate = done / max(time.monotonic() - started, 1e-6)  # files per second so far
            eta = (total - done) / rate if rate else 0.0
            click.echo(f"[{done}/{total}] {rate:.2f} files/s, ETA {eta:.0f} s  {printable(path)}", err=True)

    try:
        report = archive.ingest(paths, workers=workers, ocr=ocr, progress=progress, wait=wait,
                                limits=Limits.from_env(timeout, memory_mb, max_chars),
                                follow_symlinks=follow_symlinks)
    except BaseException:
        archive.close()
        raise
    _note(ctx, archive, "upload", f"{len(report.ingested)} tệp nhập: " + ", ".join(str(p) for p in paths))
    # The file that first brought the text, as the duplicate index recorded it (every document a
    # copy is found of has its signature stored): two files of one text share one document id, so
    # the batch's own list would name the second file as the copy of itself.
    first_paths = {d["of"]: archive.first_path(d["of"]) for d in report.duplicates}
    codes = {d["id"]: getattr(archive.record(d["id"]), "code", None) for d in report.duplicates}
    archive.close()
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(f"ingested {len(report.ingested)} file(s), "
                   f"{sum(len(x['ids']) for x in report.ingested)} document(s); "
                   f"unchanged {len(report.unchanged)}; failed {len(report.failed)}")
        if quiet and report.duplicates:
            click.echo(f"  copies of letters already held: {len(report.duplicates)} "
                       "(search shows each letter once; `congvan dedup` lists the copies)")
        for d in [] if quiet else report.duplicates:
            code = f" {codes[d['id']]}" if codes.get(d["id"]) else ""
            click.echo(f"  {printable(d['path'])}{code}: {d['relation']} of "
                       f"{printable(first_paths.get(d['of']) or d['of'])} ({d['similarity']:.2f})")
        for x in report.ingested:
            if x.get("active_content"):
                click.echo(f"  warning {printable(x['path'])}: PDF with {', '.join(x['active_content'])}; "
                           "the web page serves its original only as a download")
        for f in report.failed:
            click.echo(f"  skipped {printable(f['path'])}: {printable(f['error'])}")
        _print_altered(report.altered)
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path())
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto")
@click.option("--json", "as_json", is_flag=True, help="Print the records as a JSON array.")
def parse(file: str, ocr: str, as_json: bool) -> None:
    """Print the records of one file; nothing is stored."""
    try:
        records = [rec.to_dict() for rec in Archive.parse(file, ocr=ocr)]
    except IngestError as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    if as_json:
        _echo_json(records)
        return
    for rec in records:
        _print_record(rec)


def _recipients(names: list[str], width: int = 160) -> str:
    """The addressees on about one line: a long distribution list ends `… (+N nơi nhận khác)`
    (`--json` has them all)."""
    shown: list[str] = []
    for name in names:
        if shown and len("; ".join(shown + [name])) > width:
            break
        shown.append(name)
    rest = len(names) - len(shown)
    return "; ".join(shown) + (f"; … (+{rest} nơi nhận khác)" if rest else "")


def _print_record(rec: dict) -> None:
    issuer = rec.get("issuer") or {}
    signer = rec.get("signer") or {}
    rows = [
        ("Số, ký hiệu", rec.get("code")), ("Loại", rec.get("doc_type")),
        ("Ngày", rec.get("issued_date")), ("Nơi ban hành", rec.get("place")),
        ("Cơ quan", " / ".join(x for x in (issuer.get("parent"), issuer.get("name")) if x)
         + (" (theo chữ ký số)" if issuer.get("source") == "signature" else "")),
        ("Trích yếu", rec.get("subject")), ("Kính gửi", _recipients(rec.get("recipients") or [])),
        ("Người ký", ", ".join(x for x in (signer.get("authority"), signer.get("position"),
                                            signer.get("name")) if x)),
    ]
    for label, value in rows:
        if value:
            click.echo(f"{label:<13} {value}")
    for ref in cited_once(rec.get("references") or []):  # once per cited document (the JSON keeps each mention)
        times = f" ({ref['mentions']} lần)" if ref["mentions"] > 1 else ""
        click.echo(f"  ↳ {ref.get('doc_type') or ''} {ref.get('code') or ref.get('text') or ''} "
                   f"{ref.get('date') or ''}".rstrip() + times)
    for line in _signature_lines(rec):
        click.echo(line)
    for d in rec.get("deadlines") or []:
        click.echo(f"  ⏰ {d['date']}: {d['text']}")
    for d in rec.get("duplicates") or []:  # `show` adds these: other copies, series, conflicts
        label = _RELATION_VI.get(d["relation"], d["relation"])
        sim = f" {d['similarity']:.0%}" if d.get("similarity") is not None else ""
        click.echo(f"  ≈ {label}{sim}: {d.get('code') or ''}  {printable(d.get('path') or d['id'])}")
    click.echo(f"id {rec['id']}\n")


_RELATION_VI = {"duplicate": "bản trùng", "near-duplicate": "bản gần trùng", "series": "cùng loạt",
                "conflict": "trùng số, khác nội dung"}


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--type", "doc_type", default=None, help="Only this document type: 'Công văn', 'cong van' or CV.")
@click.option("--issuer", default=None, help="Only documents whose issuer's name has these words.")
@click.option("--since", default=None, help="Issued on or after: 2025, 2025-08, 8/2025, 15/8/2025.")
@click.option("--until", default=None, help="Issued on or before (same forms).")
@click.option("--year", type=int, default=None)
@click.option("--signed", type=click.Choice(["signed", "unsigned", "altered"]), default=None,
              help="Only letters with a digital signature (chữ ký số), without one, or changed after signing.")
@click.option("--sort", type=click.Choice(["score", "date", "date_asc"]), default="score", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Hits shown [10; with --format: 10000].")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Every hit up to --limit as a table: csv (UTF-8, opens in Excel), xlsx (needs --output), jsonl.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="With --format: write to FILE.")
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], doc_type: str | None, issuer: str | None,
           since: str | None, until: str | None, year: int | None, sort: str, limit: int | None, page: int,
           as_json: bool, fmt: str | None = None, output: str | None = None,
           signed: str | None = None) -> None:
    """Full-text search, with or without diacritics.

    \b
    Words must all match; "phrases" match consecutive words; OR, NOT (or -word).
    Fields: loai:/type:, coquan:/issuer:, so:/code:, ky:/signer:, tu:/since:, den:/until:, nam:/year:
    A query that is only a document code (57-KL/TW, 57 kl tw, kl 57) shows that document.
    """
    text = " ".join(query)
    if fmt is not None or output is not None:
        _export_search(ctx, text, fmt, output, limit or MAX_EXPORT, doc_type=doc_type, year=year, issuer=issuer,
                       since=since, until=until, sort=sort, signed=signed)
        return
    limit = limit or 10
    archive = _archive(ctx)
    _note(ctx, archive, "search", text)
    try:
        result = archive.search(text, limit=limit, doc_type=doc_type, year=year, issuer=issuer, since=since,
                                until=until, offset=(page - 1) * limit, sort=sort, signed=signed)
    except QueryError as exc:
        archive.close()
        raise click.ClickException(str(exc)) from exc
    if not as_json and page == 1:
        # a bare code (or id) goes straight to the document it names (its own code, any spelling)
        found = archive.opens(text, result.hits)
        rec = archive.get(found) if found is not None else None
        if rec is not None:
            data = rec.to_dict()
            others = archive.others(found)
            archive.close()
            _print_record(data)
            _print_others(others)
            return
    archive.close()
    if as_json:
        _echo_json(result.to_dict())
        return
    click.echo(f"{result['total']} kết quả")
    if result.get("suggestion"):
        click.echo(f"Có phải bạn muốn tìm: {result['suggestion']}")
    if result.get("relaxed"):
        click.echo("(không văn bản nào có đủ mọi từ; đây là các văn bản có một phần)")
    for h in result["hits"]:
        click.echo(f"{h['code'] or '(không số)':<22} {h['issued_date'] or '':<10} {h['doc_type'] or ''}: "
                   f"{h['subject'] or ''}{_copies_note(h)}")
        snip = plain_snippet(h['snippet'])
        click.echo(f"    {snip[:160]}{'…' if len(snip) > 160 and not snip[:160].endswith('…') else ''}")
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
    found = archive.lookup(key)
    rec = archive.get(found) if found is not None else None
    _note(ctx, archive, "open", rec.id if rec is not None else key)
    if rec is None:
        archive.close()
        if found is not None:  # cited by archived letters, not archived itself
            raise click.ClickException(f"văn bản {key!r} chưa có trong kho lưu trữ, chỉ biết qua trích dẫn; "
                                       f"xem `congvan cited-by {key}`")
        raise _not_found(key)
    data = rec.to_dict()
    data["cited_by"] = archive.cited_by(found).documents if rec.code else []
    data["duplicates"] = [d.to_dict() for d in archive.duplicates(found)]
    data["others"] = archive.others(found)
    answers = archive.answers(rec.id).to_dict()
    data["answered_by"] = answers["answered_by"]
    data["signatures"] = [s.to_dict() for s in archive.signatures(rec)]  # trusted: against today's roots
    archive.close()
    if as_json:
        _echo_json(data)
        return
    _print_record(data)
    _print_answers(answers)
    _print_others(data["others"])


def _print_others(others: list[dict]) -> None:
    """The same number printed by other bodies or in other years, under the document: let the person choose."""
    if others:
        click.echo(f"{len(others)} văn bản khác cùng số hiệu:")
        for d in others[:_OTHERS_SHOWN]:
            click.echo(f"  {_doc_line(d)}  [{d['id']}]")
        if len(others) > _OTHERS_SHOWN:  # `--json` lists them all
            click.echo(f"  … và {len(others) - _OTHERS_SHOWN} văn bản khác (xem `--json`)")


_OTHERS_SHOWN = 10  # a number every province prints: the few most likely, not a page of them


def _not_found(key: str) -> click.ClickException:
    """Exit status 1 with a message for a code (or id) that names nothing in the archive."""
    return click.ClickException(f"không có văn bản {key!r} trong kho lưu trữ (không văn bản nào mang "
                                f"hoặc trích dẫn số hiệu này); thử `congvan search {key}`")


def _resolve(archive: Archive, key: str) -> Lookup:
    """What KEY names, resolved once for the command; stop with `_not_found` when it names
    neither an archived document nor a cited one."""
    found = archive.lookup(key)
    if found is None:
        archive.close()
        raise _not_found(key)
    return found


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
    return text.rstrip() + _copies_note(d)


def _copies_note(d: dict) -> str:
    """`  (+N bản trùng)` after a letter that the archive holds more than one copy of."""
    n = len(d.get("copies") or [])
    return f"  (+{n} bản trùng)" if n else ""


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
    result = archive.references(_resolve(archive, key))
    archive.close()
    _echo_json(result.to_dict()) if as_json else _print_docs(result, "Văn bản được trích dẫn bởi")


def _paging_options(fn):
    """`--group/--limit/--offset/--all` of the commands that list a document's citers."""
    for opt in reversed([
            click.option("--group", default=None,
                         help="Only this group of citers (a province, or `trung-uong`), paged by --limit/--offset."),
            click.option("--limit", type=click.IntRange(min=0), default=None,
                         help=f"Citers shown per group [{FIRST_PAGE}; {GROUP_PAGE} with --group]."),
            click.option("--offset", type=click.IntRange(min=0), default=0, help="Citers skipped in each group."),
            click.option("--all", "show_all", is_flag=True,
                         help="Every citer, ungrouped (for a directive cited thousands of times: long)."),
    ]):
        fn = opt(fn)
    return fn


def _paging(group: str | None, limit: int | None, offset: int, show_all: bool) -> Paging:
    return Paging(group=group, limit=limit, offset=offset, all=show_all)


def _print_groups(result: dict, entries: list[dict], command: str, key: str, prefix: str,
                  show: Callable[[dict, str, bool], None]) -> None:
    """A grouped answer: each group's summary, its shown entries (through `show`), and the
    command that shows the next page of the group."""
    groups = result["groups"]
    if not groups:
        click.echo(f"{prefix}(không có nhóm nào như vậy)")
    by_group: dict[str, list[dict]] = {}
    for e in entries:
        by_group.setdefault(e.get("group"), []).append(e)
    for g in groups:
        span = " – ".join(dict.fromkeys(x for x in (g["first_date"], g["last_date"]) if x))
        click.echo(f"{prefix}{g['name']} [{g['group']}]: {g['count']} văn bản" + (f", {span}" if span else ""))
        issuers = [f"{i['issuer']} {i['count']}" for i in g["issuers"][:4]]
        more = len(g["issuers"]) - len(issuers)
        click.echo(f"{prefix}  " + " · ".join(issuers) + (f" · và {more} cơ quan khác" if more > 0 else ""))
        rest = g["count"] - g["offset"] - g["shown"]
        page = by_group.get(g["group"], [])
        for i, e in enumerate(page):
            show(e, prefix + "  ", i == len(page) - 1 and rest <= 0)
        if rest > 0:
            click.echo(f"{prefix}  … còn {rest} văn bản: congvan {command} {key} --group {g['group']} "
                       f"--offset {g['offset'] + g['shown']}" + (f" --limit {g['limit']}" if g["shown"] else ""))


@cli.command("cited-by")
@click.argument("key")
@click.option("--json", "as_json", is_flag=True)
@_paging_options
@click.pass_context
def cited_by(ctx: click.Context, key: str, as_json: bool, group: str | None = None, limit: int | None = None,
             offset: int = 0, show_all: bool = False) -> None:
    """Which documents cite KEY (grouped by province when many do; --all lists every one)."""
    archive = _archive(ctx)
    result = archive.cited_by(_resolve(archive, key), paging=_paging(group, limit, offset, show_all))
    archive.close()
    if as_json:
        _echo_json(result.to_dict())
    elif result.grouped:
        click.echo(f"Văn bản trích dẫn {result['key']}: {result['total']} văn bản, "
                   f"{len(result['groups'])} nhóm (theo tỉnh, thành phố hoặc cấp trung ương)")
        _print_groups(result, result["documents"], "cited-by", key, "  ",
                      lambda d, pre, _last: click.echo(f"{pre}{_doc_line(d)}"))
    else:
        _print_docs(result, "Văn bản trích dẫn")


@cli.command()
@click.argument("key")
@click.option("--depth", type=int, default=3, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@_paging_options
@click.pass_context
def trace(ctx: click.Context, key: str, depth: int, as_json: bool, group: str | None = None,
          limit: int | None = None, offset: int = 0, show_all: bool = False) -> None:
    """The tree of documents that implement KEY, level by level (a much-cited KEY: its citers
    grouped by province, the first page of each; --all gives the whole tree)."""
    archive = _archive(ctx)
    traced = archive.trace(_resolve(archive, key), depth=depth, paging=_paging(group, limit, offset, show_all))
    archive.close()
    if as_json:
        _echo_json(traced.to_dict())
        return
    if not traced.found:
        raise click.ClickException(f"nothing in the archive is or cites {key!r}; try `congvan search {key}`")

    def walk(node: dict, prefix: str, last: bool, root: bool) -> None:
        click.echo(_doc_line(node) if root else f"{prefix}{'└── ' if last else '├── '}{_doc_line(node)}")
        kids = node["children"]
        inner = prefix + ("" if root else ("    " if last else "│   "))
        for i, child in enumerate(kids):
            walk(child, inner, i == len(kids) - 1 and not node.get("more") and not node.get("restricted"), False)
        if node.get("more"):
            tail = "├── " if node.get("restricted") else "└── "
            click.echo(f"{inner}{tail}… và {node['more']} văn bản khác: congvan trace {node['code'] or node['key']}")
        if node.get("restricted"):  # citers the person may not see: counted, never named
            click.echo(f"{inner}└── {node['restricted']} văn bản hạn chế")

    tree = traced.root
    if "groups" in tree:
        click.echo(_doc_line(tree))
        click.echo(f"{tree['total']} văn bản trích dẫn trực tiếp, {len(tree['groups'])} nhóm "
                   "(theo tỉnh, thành phố hoặc cấp trung ương):")
        _print_groups(tree, tree["children"], "trace", key, "  ", lambda d, pre, last: walk(d, pre, last, False))
        return
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
    archive = _archive(ctx)
    data = archive.graph(around=around, depth=depth)
    archive.close()
    if around and not data.nodes:
        raise click.ClickException(f"nothing in the archive is or cites {around!r}")
    text = data.export(fmt)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(f"wrote {len(data.nodes)} node(s), {len(data.edges)} edge(s) to {output}", err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Documents by type, issuer and year; the most cited; citations still unresolved."""
    archive = _archive(ctx)
    data = archive.stats().to_dict()
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
@click.option("--near", type=click.FloatRange(0, 1), default=None,
              help="Body similarity from which a same-code document is a near-duplicate (stored for this archive).")
@click.option("--series", type=click.FloatRange(0, 1), default=None,
              help="Body similarity from which another number of the same issuer is a series (stored).")
@click.option("--recheck", is_flag=True, help="Check every document again against those before it.")
@click.option("--wait", type=float, default=0.0, show_default=True,
              help="With --near, --series or --recheck: seconds to queue when another process writes.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def dedup(ctx: click.Context, near: float | None, series: float | None, recheck: bool, as_json: bool,
          wait: float = 0.0) -> None:
    """Clusters of duplicates, near-duplicates, series and code conflicts."""
    archive = _archive(ctx)
    config = None
    if near is not None or series is not None:
        config = archive.dedup_config
        config.near = near if near is not None else config.near
        config.series = series if series is not None else config.series
    try:
        result = archive.dedup(config=config, recheck=recheck, wait=wait)
    finally:
        archive.close()
    if as_json:
        _echo_json(result.to_dict())
        return
    if not result.clusters:
        click.echo("no duplicates, series or conflicts")
    for c in result.clusters:
        click.echo(f"{c['relation']} ({len(c['members'])}):")
        for m in c["members"]:
            click.echo(f"  {m['similarity']:.2f}  {m['code'] or '(không số)':<22} {printable(m['path'] or m['id'])}")


@cli.command()
@click.option("--engine", type=click.Choice(["whoosh", "tantivy"]), default=None,
              help="Switch the archive to this search engine (kept in the archive).")
@click.option("--wait", type=float, default=0.0, show_default=True,
              help="Seconds to queue when another process is writing to the archive (default: stop at once).")
@click.pass_context
def reindex(ctx: click.Context, engine: str | None, wait: float) -> None:
    """Rebuild the full-text index from the catalog, beside the one in use: searches go on
    meanwhile and see the new index once it is complete.

    Exit status: 0 done, 74 the disk is full or read-only, 75 the archive is busy."""
    archive = _archive(ctx)
    try:
        n = archive.reindex(engine=engine, wait=wait)
    finally:
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
    found = archive.lookup(key)
    if found is None or archive.get(found) is None:
        archive.close()
        raise click.ClickException(f"no document {key!r} in the archive; try `congvan search {key}`")
    result = archive.similar(found, limit=limit)
    archive.close()
    if as_json:
        _echo_json(result.to_dict())
        return
    click.echo(f"Văn bản tương tự {result['key']}:")
    for d in result.documents:
        click.echo(f"  {d['similarity']:.2f}  {d.get('code') or '(không số)':<22} {d.get('issued_date') or '':<10} "
                   f"{d.get('subject') or ''}")


@cli.command()
@click.option("--repair", is_flag=True, help="Rebuild what is derived (the full-text index), recover lost originals "
              "from their source paths, remove leftovers of interrupted runs.")
@click.option("--deep", is_flag=True, help="Also verify every original's sha256 (reads them all).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def check(ctx: click.Context, repair: bool, deep: bool, as_json: bool) -> None:
    """Verify that catalog, originals and full-text index agree; exit 1 if problems remain."""
    archive = _archive(ctx)
    try:
        result = archive.check(repair=repair, deep=deep)
    finally:
        archive.close()
    if as_json:
        _echo_json(result.to_dict())
    else:
        click.echo(result.summary())
        for p in result.problems:
            click.echo(f"  {'repaired' if p['repaired'] else 'PROBLEM '} {p['kind']}: {p['detail']}")
    if not result.ok:
        sys.exit(1)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the page to the whole network.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--archive", "archive_dir", default=None, help="Archive folder (overrides the global --archive).")
@click.option("--allow-upload", is_flag=True, help="Add the page that ingests uploaded files.")
@click.option("--max-upload-mb", type=click.IntRange(1, 1024), default=25, show_default=True)
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A name or address the page may be opened by besides loopback (repeatable); "
                   "any other Host header is refused.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes answering at once (each opens the archive itself); "
                   "about the number of cores for many people.")
@click.option("--idle-minutes", type=click.IntRange(1, 24 * 60), default=30, show_default=True,
              help="With accounts: a login ends after this many minutes without a request.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, archive_dir: str | None, allow_upload: bool,
          max_upload_mb: int, allowed_hosts: tuple[str, ...], workers: int, idle_minutes: int = 30) -> None:
    """The web page: search, read, follow references, see duplicates.

    Once an account exists (`congvan users add`), every page asks for a login. Listening on an
    address other than loopback is refused while no account exists (exit 2)."""
    import uvicorn

    from web import create_app

    if not _loopback(host) and not _has_accounts(archive_dir or ctx.obj["archive"]):
        click.echo(f"Lỗi: chưa có tài khoản nào, nên trang không được mở ra mạng ({printable(host)}): "
                   "ai vào được mạng cũng sẽ đọc được cả kho. Hãy tạo tài khoản trước "
                   "(congvan users add TÊN --role quan-tri), hoặc chạy với --host 127.0.0.1.", err=True)
        sys.exit(2)
    # the address listened on is a name the page is opened by (not the wildcards)
    names = [*allowed_hosts, *([host] if host not in ("0.0.0.0", "::", "") else [])]
    options = {"allow_upload": allow_upload, "max_upload": max_upload_mb * 2**20, "allowed_hosts": names,
               "idle_minutes": idle_minutes}
    click.echo(f"congvan: http://{host}:{port}/  (Ctrl+C to stop)", err=True)
    if workers == 1:
        uvicorn.run(create_app(archive_dir or ctx.obj["archive"], **options), host=host, port=port,
                    log_level="warning", server_header=False)
        return
    from web.workers import ENVIRONMENT, options_for_workers
    # uvicorn starts each worker from an import string: the options reach them in the environment
    os.environ[ENVIRONMENT] = options_for_workers(os.path.abspath(archive_dir or ctx.obj["archive"]), **options)
    uvicorn.run("web.workers:from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning", server_header=False)


# -- backup and restore (index/catalog/_backup.py through `Archive`) ------------------------
@cli.command()
@click.argument("dest", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def backup(ctx: click.Context, dest: str, as_json: bool) -> None:
    """Copy the archive into DEST while it stays in use: the catalog (SQLite's online backup),
    then the originals it names, each checked by its sha256; a second backup to the same DEST
    copies only what is new. The full-text index is not copied: `restore` rebuilds it."""
    from index.archive import Archive, BackupError

    root = ctx.obj["archive"]
    if not os.path.isfile(os.path.join(root, "catalog.sqlite3")):
        click.echo(f"Lỗi: không có kho nào ở {printable(str(root))} (thiếu catalog.sqlite3)", err=True)
        sys.exit(1)
    archive = Archive(root)
    try:
        report = archive.backup(dest)
    except BackupError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(EXIT_IOERR if exc.disk else 1)
    finally:
        archive.close()
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(f"Đã sao lưu {report.documents} văn bản, {report.files} tệp vào {printable(report.dest)}: "
                   f"chép {report.copied} bản gốc ({report.bytes_copied / 2**20:.1f} MB), "
                   f"{report.skipped} bản đã có sẵn; {report.seconds:.1f} s")
        for original in report.damaged:
            click.echo(f"  HỎNG  {original}: bản gốc trong kho không khớp mã sha256, không được chép "
                       "(`congvan check --deep --repair`)", err=True)
    if report.damaged:
        sys.exit(1)


@cli.command()
@click.argument("src", type=click.Path(file_okay=False))
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def restore(src: str, folder: str, as_json: bool) -> None:
    """Make a working archive in DIR (new or empty) from the backup in SRC; the full-text index
    is rebuilt from the restored catalog."""
    from index.archive import Archive, BackupError

    try:
        report = Archive.restore(src, folder)
    except BackupError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(EXIT_IOERR if exc.disk else 1)
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(f"Đã khôi phục {report.documents} văn bản, {report.files} tệp vào {printable(report.dir)}; "
                   f"chỉ mục toàn văn dựng lại: {report.indexed} văn bản; {report.seconds:.1f} s")

def _loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any address


def _has_accounts(archive_dir: str) -> bool:
    archive = Archive(archive_dir)
    try:
        return archive.accounts().any()
    finally:
        archive.close()


# -- accounts and the audit log (issue 20) ----------------------------------------------------
def _new_password(password: str | None) -> str:
    """`--password`, else asked twice without echo (it is never printed nor logged)."""
    if password is not None:
        return password
    for _ in range(3):  # click's own confirmation says its mismatch in English: ours in Vietnamese
        first = click.prompt("Mật khẩu", hide_input=True)
        if click.prompt("Nhập lại mật khẩu", hide_input=True) == first:
            return first
        click.echo("Hai lần nhập không giống nhau; xin nhập lại.", err=True)
    raise click.ClickException("mật khẩu nhập lại không khớp ba lần; chưa đổi gì")


def _account_change(ctx: click.Context, action: str, change: Callable[[Archive], object], name: str) -> None:
    archive = Archive(ctx.obj["archive"])
    try:
        change(archive)
        _note(ctx, archive, action, name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        archive.close()


@cli.group("users")
def users() -> None:
    """Accounts of the people who share the archive (roles: doc reads, van-thu also ingests,
    quan-tri also manages accounts). Once one exists, the web page asks for a login."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--clearance", type=click.Choice(CLEARANCES), default=None, help="Secret documents this person may read.")
@click.option("--password", default=None, help="The password (default: asked twice, not shown).")
@click.pass_context
def users_add(ctx: click.Context, name: str, role: str, clearance: str | None, password: str | None) -> None:
    """Add the account NAME (Vietnamese letters allowed)."""
    password = _new_password(password)
    _account_change(ctx, "account-add", lambda a: a.accounts().add(name, role, password, clearance), name)
    click.echo(f"Đã thêm tài khoản {name} ({ROLE_NAMES[role]}, mật: {CLEARANCE_NAMES[clearance]}).")


@users.command("passwd")
@click.argument("name")
@click.option("--password", default=None, help="The new password (default: asked twice, not shown).")
@click.pass_context
def users_passwd(ctx: click.Context, name: str, password: str | None) -> None:
    """Set a new password for NAME (its lock is lifted; its open sessions end)."""
    password = _new_password(password)
    _account_change(ctx, "account-passwd", lambda a: a.accounts().passwd(name, password), name)
    click.echo(f"Đã đổi mật khẩu của {name}.")


@users.command("disable")
@click.argument("name")
@click.pass_context
def users_disable(ctx: click.Context, name: str) -> None:
    """Disable NAME: it can no longer log in (its sessions end); its history stays."""
    _account_change(ctx, "account-disable", lambda a: a.accounts().set_disabled(name, True), name)
    click.echo(f"Đã khóa tài khoản {name}.")


@users.command("enable")
@click.argument("name")
@click.pass_context
def users_enable(ctx: click.Context, name: str) -> None:
    """Enable NAME again."""
    _account_change(ctx, "account-enable", lambda a: a.accounts().set_disabled(name, False), name)
    click.echo(f"Đã mở lại tài khoản {name}.")


@users.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def users_list(ctx: click.Context, as_json: bool) -> None:
    """The accounts: name, role, clearance, whether disabled or locked."""
    archive = Archive(ctx.obj["archive"])
    try:
        accounts = archive.accounts().list()
    finally:
        archive.close()
    if as_json:
        _echo_json([a.to_dict() for a in accounts])
        return
    if not accounts:
        click.echo("Chưa có tài khoản nào (trang web mở cho máy này, không cần đăng nhập).")
    now = time.time()
    for a in accounts:
        state = "đã khóa" if a.disabled else (
            f"tạm khóa đến {datetime.datetime.fromtimestamp(a.locked_until):%H:%M %d/%m/%Y}"
            if a.locked_until > now else "đang dùng")
        click.echo(f"{a.name:<24} {ROLE_NAMES[a.role]:<10} mật: {CLEARANCE_NAMES[a.clearance]:<10} {state}")


def _since(text: str | None) -> float | None:
    """`--since`: 2025-09-15, 15/9/2025 (the start of that day, local time)."""
    if not text:
        return None
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"):
        try:
            return datetime.datetime.strptime(text, fmt).timestamp()
        except ValueError:
            continue
    raise click.BadParameter(f"không hiểu ngày {text!r}: xin viết 2025-09-15 hoặc 15/9/2025", param_hint="--since")


@cli.command("audit")
@click.option("--user", "who", default=None, help="Only what this account (or OS user, for the CLI) did.")
@click.option("--since", default=None, help="Only from this day on: 2025-09-15 or 15/9/2025.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="The newest N entries only.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def audit(ctx: click.Context, who: str | None, since: str | None, limit: int | None, as_json: bool) -> None:
    """Who searched, opened, downloaded, uploaded, logged in or changed an account, and when."""
    start = _since(since)
    archive = Archive(ctx.obj["archive"])
    try:
        entries = archive.audit().entries(who=who, since=start, limit=limit)
    finally:
        archive.close()
    if as_json:
        _echo_json([e.to_dict() for e in entries])
        return
    for e in entries:
        when = datetime.datetime.fromtimestamp(e.at).strftime("%d/%m/%Y %H:%M:%S")
        click.echo(f"{when}  {printable(e.who) or '(chủ kho)':<16} {e.via:<6} {ACTIONS.get(e.action, e.action):<20} "
                   f"{printable(e.target)}{'  từ ' + e.address if e.address else ''}")


# -- what is due, what is answered (issue 19) ---------------------------------------------------
def _day_vn(iso: str) -> str:
    """`2025-09-05` → `5/9/2025`, as a letter prints a date."""
    parts = iso.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return iso
    return f"{int(parts[2])}/{int(parts[1])}/{parts[0]}"


def _monday(iso: str) -> datetime.date | None:
    try:
        d = datetime.date.fromisoformat(iso)
    except ValueError:
        return None
    return d - datetime.timedelta(days=d.weekday())


def _week_title(monday: datetime.date | None, today: datetime.date) -> str:
    if monday is None:
        return "Ngày không hợp lệ"
    sunday = monday + datetime.timedelta(days=6)
    span = f"Tuần {_day_vn(monday.isoformat())} – {_day_vn(sunday.isoformat())}"
    this = today - datetime.timedelta(days=today.weekday())
    if monday == this:
        return span + " (tuần này)"
    if monday == this + datetime.timedelta(days=7):
        return span + " (tuần sau)"
    return span + (" (đã qua)" if monday < this else "")


def _print_deadlines(items: list, today: datetime.date) -> None:
    """One block per week (Monday to Sunday), each obligation with the letter and the words that set it."""
    if not items:
        click.echo("Không có việc đến hạn nào khớp điều kiện.")
        return
    week = object()
    for o in items:
        monday = _monday(o.date)
        if monday != week:
            week = monday
            click.echo(f"\n{_week_title(monday, today)}")
        doc = o.document
        state = "QUÁ HẠN" if o.overdue else ("đã trả lời" if o.answered_by else "chưa trả lời")
        who = f"{doc.get('issuer')}: " if doc.get("issuer") else ""
        code = doc.get("code") or "(không số)"
        click.echo(f"  {_day_vn(o.date):<10} [{state}] {code}  {who}{doc.get('subject') or ''}")
        click.echo(f"             «{o.text}»")
        for a in o.answered_by:
            click.echo(f"             ↩ trả lời: {a.get('code') or '(không số)'} {_day_vn(a.get('issued_date') or '')}")
    overdue = sum(1 for o in items if o.overdue)
    click.echo(f"\n{len(items)} việc; {overdue} quá hạn chưa có văn bản trả lời.")


@cli.command()
@click.option("--from", "since", default=None, help="Hạn từ ngày: 15/9/2025, 2025-09-15, 9/2025, 2025.")
@click.option("--to", "until", default=None, help="Hạn đến ngày (cùng cách viết).")
@click.option("--overdue", is_flag=True, help="Chỉ việc đã quá hạn (hạn trước hôm nay).")
@click.option("--open", "open_only", is_flag=True, help="Chỉ việc chưa có văn bản nào trả lời.")
@click.option("--issuer", default=None, help="Chỉ văn bản của cơ quan có các từ này (có dấu hay không).")
@click.option("--json", "as_json", is_flag=True)
@click.option("--ics", "ics_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Ghi lịch iCalendar (.ics) để nhập vào Outlook, Thunderbird, điện thoại.")
@click.option("--url-base", default="http://127.0.0.1:8000", show_default=True,
              help="Địa chỉ trang web mà mỗi sự kiện trong lịch liên kết tới.")
@click.option("--today", default=None, hidden=True, help="The day taken as today (tests, reports of a past day).")
@click.pass_context
def deadlines(ctx: click.Context, since: str | None, until: str | None, overdue: bool, open_only: bool,
              issuer: str | None, as_json: bool, ics_file: str | None, url_base: str, today: str | None) -> None:
    """Việc đến hạn: each deadline a letter sets, by date, with the letters that answer it."""
    archive = _archive(ctx)
    try:
        day = datetime.date.fromisoformat(deadline_day(today)) if today else datetime.date.today()
        result = archive.deadlines(since=since, until=until, overdue=overdue, open_only=open_only,
                                   issuer=issuer, today=day)
    except (QueryError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        archive.close()
    if ics_file:
        data = result.to_ics(url_base)
        try:
            with open(ics_file, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise click.ClickException(f"không ghi được tệp lịch {ics_file}: {exc.strerror or exc}") from exc
        if not as_json:
            click.echo(f"Đã ghi {len(result.items)} sự kiện vào {ics_file}", err=True)
    if as_json:
        _echo_json(result.to_dict())
        return
    _print_deadlines(result.items, day)


def _print_answers(answers: dict) -> None:
    """Under `show`: the letters that answer this one, or that none does yet although it asks."""
    if answers["answered_by"]:
        names = "; ".join(f"{a.get('code') or '(không số)'} ({_day_vn(a.get('issued_date') or '')})"
                          for a in answers["answered_by"])
        click.echo(f"Đã có văn bản trả lời: {names}")
    elif answers["asks"]:
        click.echo("Chưa có văn bản trả lời")


# -- the office's work: settings, registers, results out, a watched folder (issue 19) -------
def _write_out(data: bytes, output: str | None, what: str) -> None:
    """DATA to OUTPUT, or to stdout; a line on stderr says what was written where."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        with open(output, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise click.ClickException(f"không ghi được {output}: {exc.strerror or exc}") from exc
    click.echo(f"đã ghi {what} vào {output}", err=True)


def _export_search(ctx: click.Context, text: str, fmt: str | None, output: str | None, limit: int,
                   **filters) -> None:
    if fmt is None:
        fmt = (output or "").rsplit(".", 1)[-1].lower() if output else ""
        if fmt not in FORMATS:
            raise click.UsageError("--output cần --format csv|xlsx|jsonl (hoặc tên tệp có đuôi .csv, .xlsx, .jsonl)")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx cần --output TỆP (bảng tính không in ra màn hình được)")
    archive = _archive(ctx)
    _note(ctx, archive, "download", f"{fmt}: {text}")
    try:
        data = archive.export_search(text, fmt, limit=limit, **filters)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        archive.close()
    _write_out(data, output, f"kết quả tìm kiếm ({fmt})")


@cli.group("config")
def config() -> None:
    """Settings of the archive: the office that keeps it, the trust roots of digital signatures."""


@config.command("office")
@click.option("--name", default=None,
              help="The office's name as its letters print it, e.g. \"Văn phòng Tỉnh ủy Nghệ An\".")
@click.option("--code", "codes", multiple=True, metavar="CODE",
              help="An authority code of its letters (repeatable): VPCP, BTC; a code every province has "
                   "with its place: UBND:Nghệ An (the place named in --name when left out).")
@click.option("--wait", type=float, default=0.0, show_default=True,
              help="Seconds to queue when another process writes to the archive.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def config_office(ctx: click.Context, name: str | None, codes: tuple[str, ...], wait: float, as_json: bool) -> None:
    """Set (or, without options, print) the office whose own letters make the outgoing register.

    \b
    A letter is the office's own when its issuing body's name is the office's name (any case,
    diacritics, UBND = Ủy ban nhân dân) or the authority part of its code is one of the codes
    (for UBND, VPTU, SYT… only the body of that place). All other letters are incoming."""
    archive = _archive(ctx)
    try:
        if name is None and not codes:
            office = archive.office()
        else:
            if name is None:
                current = archive.office()
                if current is None:
                    raise click.UsageError("lần đầu đặt cơ quan cần --name \"Tên cơ quan\"")
                name = current.name
            office = archive.set_office(name, codes, wait=wait)
    except OfficeError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        archive.close()
    if as_json:
        _echo_json(office.to_dict() if office else None)
    elif office is None:
        click.echo("Chưa đặt cơ quan. Đặt bằng: congvan config office --name \"Tên cơ quan\" --code MÃ")
    else:
        click.echo(f"Cơ quan: {office.name}")
        click.echo("Mã: " + (", ".join(str(c) for c in office.codes) or "(không có)"))


@cli.command()
@click.argument("direction", type=click.Choice(DIRECTIONS))
@click.option("--year", type=int, required=True, help="The year of the register.")
@click.option("--office", "office_name", default=None,
              help="For this run, the office with this name (and the --code given) instead of the one set.")
@click.option("--code", "codes", multiple=True, metavar="CODE", help="With --office: its authority codes.")
@click.option("--xlsx", "xlsx_file", type=click.Path(dir_okay=False), default=None, help="Write the register as XLSX.")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None,
              help="Write it as CSV (UTF-8 with BOM); `-` for stdout.")
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON.")
@click.pass_context
def register(ctx: click.Context, direction: str, year: int, office_name: str | None, codes: tuple[str, ...],
             xlsx_file: str | None, csv_file: str | None, as_json: bool) -> None:
    """The sổ đăng ký văn bản đến (in) or đi (out) of a year, Nghị định 30/2020's columns.

    \b
    One row per letter (copies folded); incoming letters numbered (Số đến) in the order they
    were ingested that year. `out` holds the office's own letters (`congvan config office`)."""
    from index.archive import Office

    if not (xlsx_file or csv_file or as_json):
        raise click.UsageError("chọn --xlsx TỆP, --csv TỆP hoặc --json")
    archive = _archive(ctx)
    try:
        office = Office.make(office_name, codes) if office_name else None
        if codes and not office_name:
            raise click.UsageError("--code ở đây đi cùng --office TÊN (mã của cơ quan đã đặt: congvan config office)")
        book = archive.register(direction, year, office=office)
    except OfficeError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        archive.close()
    rows = len(book.table.rows)
    if as_json:
        _echo_json(book.to_dict())
    if xlsx_file:
        _write_out(book.render("xlsx"), xlsx_file, f"{rows} văn bản (XLSX)")
    if csv_file:
        _write_out(book.render("csv"), None if csv_file == "-" else csv_file, f"{rows} văn bản (CSV)")


@cli.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--interval", type=click.FloatRange(min=0.1), default=2.0, show_default=True,
              help="Seconds a file's size and time must stay the same before it is read.")
@click.option("--poll", is_flag=True, help="Look for changes by polling (network shares; automatic without inotify).")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.pass_context
def watch(ctx: click.Context, folders: tuple[str, ...], interval: float, poll: bool, ocr: str) -> None:
    """Ingest each new or changed file in FOLDERS once it has stopped growing; runs until
    SIGTERM or Ctrl+C. Files are only read: never moved, changed or deleted.

    \b
    On start, what arrived while it was stopped is ingested (the catalog knows what it holds);
    one line per file. Exit status 0 when stopped by a signal."""
    archive = _archive(ctx)
    try:
        archive.watch(folders, interval=interval, poll=poll, ocr=ocr,
                      log=lambda line: click.echo(printable(line), err=True))
    finally:
        archive.close()


# -- digital signatures (chữ ký số, issue 21) ---------------------------------------------------
def _signature_lines(rec: dict) -> list[str]:
    return [describe(Signature.from_dict(s)) for s in rec.get("signatures") or []]


def _print_altered(altered: list[dict]) -> None:
    for a in altered:
        click.echo(f"  CẢNH BÁO {printable(a['path'])}: chữ ký số {'; '.join(a['signatures'])}")


@config.group("trust")
def trust_group() -> None:
    """Trust roots for digital signatures: the CA certificates this office trusts (offline)."""


@trust_group.command("add")
@click.argument("cert", type=click.Path(dir_okay=False))
@click.pass_context
def trust_add(ctx: click.Context, cert: str) -> None:
    """Trust the CA certificate(s) of CERT (.pem or .cer/.der, e.g. the Government's root CA)."""
    archive = Archive(ctx.find_root().obj["archive"])
    try:
        added = archive.trust_add(cert)
    except TrustError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        archive.close()
    for r in added:
        click.echo(f"đã thêm gốc tin cậy {r.fingerprint}  {r.subject} (hết hạn {r.not_after})")


@trust_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def trust_list(ctx: click.Context, as_json: bool) -> None:
    """The trust roots of the archive."""
    archive = Archive(ctx.find_root().obj["archive"])
    roots = archive.trust_roots()
    archive.close()
    if as_json:
        _echo_json({"roots": [r.to_dict() for r in roots]})
        return
    if not roots:
        click.echo("kho chưa có gốc tin cậy nào: nguồn gốc chữ ký số chưa được xác minh "
                   "(thêm bằng `congvan config trust add CERT.pem`)")
    for r in roots:
        click.echo(f"{r.fingerprint}  {r.subject} (hết hạn {r.not_after})")


@trust_group.command("remove")
@click.argument("fingerprint")
@click.pass_context
def trust_remove(ctx: click.Context, fingerprint: str) -> None:
    """Stop trusting the root whose SHA-256 fingerprint is FINGERPRINT (its first 8+ digits do)."""
    archive = Archive(ctx.find_root().obj["archive"])
    try:
        root = archive.trust_remove(fingerprint)
    except TrustError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        archive.close()
    click.echo(f"đã bỏ gốc tin cậy {root.fingerprint}  {root.subject}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def verify(ctx: click.Context, files: tuple[str, ...], as_json: bool) -> None:
    """Check the digital signatures of FILES without ingesting them (against the archive's
    trust roots when the archive exists). Exit 1 when a file is altered or cannot be read."""
    root = ctx.obj["archive"]
    if os.path.isfile(os.path.join(root, "catalog.sqlite3")):
        archive = Archive(root)
        report: VerifyReport = archive.verify(files)
        archive.close()
    else:
        report = Archive.verify_without_archive(files)
    if as_json:
        _echo_json(report.to_dict())
    else:
        for f in report.files:
            if f.error:
                click.echo(f"{printable(f.path)}: {f.error}")
            elif not f.signatures:
                click.echo(f"{printable(f.path)}: không có chữ ký số")
            for s in f.signatures:
                click.echo(f"{printable(f.path)}: {describe(s)}")
    if any(f.altered or f.error for f in report.files):
        sys.exit(1)


def main() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    cli()


if __name__ == "__main__":
    main()
