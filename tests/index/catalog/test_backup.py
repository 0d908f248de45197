"""`congvan backup DEST` while a real `congvan ingest` writes, `congvan restore SRC DIR`, and
`check --deep` on what was restored: the same documents, searches and traces as the archive
at the moment of the snapshot; a second backup copies only what is new; a destination that
cannot be written fails with one line and exit 74; a restore never writes over a folder."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.generate import generate
from index.archive import Archive
from tests.conftest import ROOT

FIRST = 60  # letters in the archive before the ingest that runs during the backup
LETTERS = 360


def congvan(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "search_cli.py"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def counts(arc: Path) -> tuple[int, int]:
    """(files, documents) committed in the catalog at `arc`, read as any reader reads it."""
    try:
        db = sqlite3.connect(f"file:{arc / 'catalog.sqlite3'}?mode=ro", uri=True, timeout=5)
        try:
            return (db.execute("SELECT count(*) FROM files").fetchone()[0],
                    db.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0, 0


def records(arc: Path) -> dict[str, dict]:
    archive = Archive(arc)
    try:
        return {r.id: r.to_dict() for r in archive.catalog.documents()}
    finally:
        archive.close()


def snapshot_records(catalog: Path) -> dict[str, dict]:
    db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    try:
        return {doc_id: json.loads(record) for doc_id, record in db.execute("SELECT id, record FROM documents")}
    finally:
        db.close()


def answers(arc: Path, queries: list[str], codes: list[str], ranked: bool = True) -> dict:
    """What a person sees: each query's total, facets and every hit, ranked (hits of equal score
    as one group: the engine orders exact ties by where a build put them) or as a set; and
    each code's trace."""
    archive = Archive(arc)
    try:
        found = {}
        for q in queries:
            got = archive.search(q, limit=max(archive.search(q, limit=1)["total"], 1))
            if ranked:
                groups: dict[float, list[str]] = {}
                for h in got["hits"]:
                    groups.setdefault(round(h["score"], 4), []).append(h["id"])
                hits = [(score, sorted(ids)) for score, ids in groups.items()]
            else:
                hits = sorted(h["id"] for h in got["hits"])
            found[q] = (got["total"], got["facets"], hits)
        traces = {code: archive.trace(code, depth=3) for code in codes}
        return {"search": found, "trace": traces}
    finally:
        archive.close()


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("backup-letters")
    generate(out, docs=LETTERS, seed=23, pdf=0)
    files = sorted((out / "text").rglob("*.txt"))
    first, rest = out / "first", out / "rest"
    for i, f in enumerate(files):
        target = (first if i < FIRST else rest) / f.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy(f, target)
    return out


@pytest.fixture(scope="module")
def during_ingest(letters, tmp_path_factory) -> dict:
    """An archive of FIRST letters; a `congvan ingest` of the rest started; `congvan backup`
    run once the ingest has committed some files and while it still runs; then a second backup
    to the same DEST once the ingest has finished."""
    base = tmp_path_factory.mktemp("backup-run")
    arc, dest = base / "arc", base / "backup"
    got = congvan("--archive", str(arc), "ingest", "-q", str(letters / "first"))
    assert got.returncode == 0, got.stderr[-2000:]
    before = counts(arc)
    ingest = subprocess.Popen([sys.executable, str(ROOT / "search_cli.py"), "--archive", str(arc), "ingest", "-q",
                               "--workers", "1", str(letters / "rest")], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 300
        while counts(arc)[0] < before[0] + 20:  # the writer is well into its run
            assert ingest.poll() is None, ingest.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        first = congvan("--archive", str(arc), "backup", str(dest), "--json")
        ingest_running_after = ingest.poll() is None
        out, err = ingest.communicate(timeout=600)
    finally:
        if ingest.poll() is None:
            ingest.kill()
    assert ingest.returncode == 0, err[-2000:]
    assert first.returncode == 0, first.stderr[-2000:]
    snapshot = json.loads(first.stdout)
    snapshot_dir = base / "snapshot"  # the first backup as it was, before the second one adds to DEST
    shutil.copytree(dest, snapshot_dir)
    second = congvan("--archive", str(arc), "backup", str(dest), "--json")
    assert second.returncode == 0, second.stderr[-2000:]
    return {"arc": arc, "dest": dest, "snapshot_dir": snapshot_dir, "before": before, "after": counts(arc),
            "first": snapshot, "second": json.loads(second.stdout), "ingest_running_after": ingest_running_after,
            "base": base}


def test_the_backup_is_a_snapshot_taken_while_the_ingest_wrote(during_ingest):
    run = during_ingest
    first, after = run["first"], run["after"]
    # taken mid-run: more than the archive held before, less than it holds after
    assert run["before"][1] < first["documents"] < after[1], (run["before"], first, after)
    assert run["ingest_running_after"], "the ingest finished before the backup did: not a backup under load"
    assert first["damaged"] == [] and first["copied"] == first["files"] and first["skipped"] == 0
    manifest = json.loads((run["snapshot_dir"] / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["documents"], manifest["files"]) == (first["documents"], first["files"])
    assert manifest["format"] == "congvan-backup" and manifest["catalog_version"]
    # never the derived full-text index
    assert not [p for p in run["dest"].iterdir() if p.name.startswith(("tantivy", "fulltext"))]


def test_every_original_the_snapshot_names_is_in_the_backup_and_matches_its_hash(during_ingest):
    for dest in (during_ingest["snapshot_dir"], during_ingest["dest"]):
        db = sqlite3.connect(f"file:{dest / 'catalog.sqlite3'}?mode=ro", uri=True)
        rows = db.execute("SELECT sha256, size FROM files").fetchall()
        db.close()
        assert rows
        for sha, size in rows:
            held = dest / "originals" / sha[:2] / sha
            assert held.stat().st_size == size
            assert hashlib.sha256(held.read_bytes()).hexdigest() == sha
        assert not list(dest.rglob("*.part"))


def test_a_second_backup_to_the_same_dest_copies_only_what_is_new(during_ingest):
    first, second, after = during_ingest["first"], during_ingest["second"], during_ingest["after"]
    assert (second["files"], second["documents"]) == after
    assert second["skipped"] == first["files"]
    assert second["copied"] == after[0] - first["files"]
    third = congvan("--archive", str(during_ingest["arc"]), "backup", str(during_ingest["dest"]), "--json")
    assert third.returncode == 0 and json.loads(third.stdout)["copied"] == 0


@pytest.mark.parametrize("which", ["snapshot_dir", "dest"])
def test_a_restored_backup_is_the_same_archive(during_ingest, letters, which, tmp_path):
    run = during_ingest
    restored = tmp_path / "restored"
    got = congvan("restore", str(run[which]), str(restored), "--json")
    assert got.returncode == 0, got.stderr[-2000:]
    backed_up = run["first"] if which == "snapshot_dir" else run["second"]
    assert json.loads(got.stdout)["indexed"] == backed_up["documents"]
    check = congvan("--archive", str(restored), "check", "--deep", "--json")
    assert check.returncode == 0, check.stdout[-2000:]
    result = json.loads(check.stdout)
    assert result["ok"] and result["problems"] == []
    assert result["counts"]["documents"] == result["counts"]["indexed"]
    assert result["counts"]["originals"] == result["counts"]["files"]

    source, back = records(run["arc"]), records(restored)
    # the snapshot's documents, byte for byte as the backed-up catalog holds them, all still in
    # the live archive (a later file with the same text may since have rewritten a record's source)
    assert back == snapshot_records(run[which] / "catalog.sqlite3")
    assert back and set(back) <= set(source)
    if which == "dest":  # the second backup was taken after the ingest: everything, unchanged
        assert back == source
        queries = [json.loads(line)["query"] for line in (letters / "queries.jsonl").open(encoding="utf-8")][:25]
        codes = sorted({r["code"] for r in source.values() if r["code"]})[::15][:12]
        # the live index also counts the rows its ingest rewrote and has not merged away yet, so
        # near ties may rank otherwise there: the same hits, totals, facets and traces; and the
        # same ranking as the live archive's index rebuilt from its catalog (the index is derived)
        assert answers(restored, queries, codes, ranked=False) == answers(run["arc"], queries, codes, ranked=False)
        rebuilt = tmp_path / "live-reindexed"
        shutil.copytree(run["arc"], rebuilt)
        assert congvan("--archive", str(rebuilt), "reindex").returncode == 0
        assert answers(restored, queries, codes) == answers(rebuilt, queries, codes)


def test_restore_refuses_a_folder_that_is_not_empty(during_ingest, tmp_path):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("của người dùng", encoding="utf-8")
    got = congvan("restore", str(during_ingest["dest"]), str(folder))
    assert got.returncode == 1
    assert got.stderr.startswith("Lỗi: ") and "không trống" in got.stderr and len(got.stderr.splitlines()) == 1
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".busy")]  # nothing left beside it


def test_restore_refuses_what_is_not_a_whole_backup(during_ingest, tmp_path):
    partial = tmp_path / "partial"
    shutil.copytree(during_ingest["snapshot_dir"], partial)
    (partial / "manifest.json").unlink()  # as a backup stopped before its end leaves it
    for src in (partial, during_ingest["arc"], tmp_path / "absent"):
        got = congvan("restore", str(src), str(tmp_path / "out"))
        assert got.returncode == 1 and "không phải một bản sao lưu" in got.stderr, got.stderr
        assert not (tmp_path / "out").exists()
    # an original missing from the backup: refused, nothing half made
    broken = tmp_path / "broken"
    shutil.copytree(during_ingest["snapshot_dir"], broken)
    next(p for p in (broken / "originals").rglob("*") if p.is_file()).unlink()
    got = congvan("restore", str(broken), str(tmp_path / "out"))
    assert got.returncode == 1 and "thiếu hoặc hỏng bản gốc" in got.stderr
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.restoring-*"))


def test_a_backup_never_writes_into_a_folder_that_is_not_a_backup(during_ingest, tmp_path):
    other = tmp_path / "other-archive"
    got = congvan("--archive", str(other), "ingest", "-q", str(ROOT / "corpus" / "text"))
    assert got.returncode == 0, got.stderr[-2000:]
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "catalog.sqlite3").write_bytes(b"not ours")
    (papers / "ghi-chu.txt").write_text("của người dùng", encoding="utf-8")
    for dest in (other, papers):
        before = {p: p.read_bytes() for p in dest.rglob("*") if p.is_file() and p.name != "writer.lock"}
        got = congvan("--archive", str(during_ingest["arc"]), "backup", str(dest))
        assert got.returncode == 1 and "không phải một bản sao lưu" in got.stderr, got.stderr
        assert len(got.stderr.strip().splitlines()) == 1
        assert {p: p.read_bytes() for p in dest.rglob("*") if p.is_file() and p.name != "writer.lock"} == before


def test_a_damaged_original_is_reported_and_not_copied(during_ingest, tmp_path):
    arc = tmp_path / "arc"
    shutil.copytree(during_ingest["arc"], arc)
    victim = sorted(p for p in (arc / "originals").rglob("*") if p.is_file() and len(p.name) == 64)[3]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x20  # same size: only its hash tells
    victim.write_bytes(bytes(data))
    db = sqlite3.connect(arc / "catalog.sqlite3")  # a forged row: its "hash" and path point outside
    db.execute("INSERT INTO files VALUES ('../../../escaped', 'text', 5, 'originals/../../escaped', 0)")
    db.commit()
    db.close()
    got = congvan("--archive", str(arc), "backup", str(tmp_path / "bk"), "--json")
    assert got.returncode == 1
    report = json.loads(got.stdout)
    assert sorted(Path(p).name for p in report["damaged"]) == sorted([victim.name, "escaped"])
    assert report["copied"] == report["files"] - 2
    assert not list(tmp_path.rglob("escaped"))
    assert not (tmp_path / "bk" / "originals" / victim.name[:2] / victim.name).exists()


def _mount(args: list[str]) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def read_only_dest(tmp_path):
    src, mnt = tmp_path / "ro-src", tmp_path / "ro"
    src.mkdir()
    mnt.mkdir()
    if not _mount(["--bind", str(src), str(mnt)]):
        pytest.skip("no bind mount on this machine")
    try:
        if not _mount(["-o", "remount,bind,ro", str(mnt)]):
            pytest.skip("no read-only remount on this machine")
        yield mnt / "backup"
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


@pytest.fixture
def full_dest(tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    if not _mount(["-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)]):
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mnt / "backup"
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


@pytest.mark.parametrize("dest", ["read_only_dest", "full_dest"])
def test_a_destination_that_cannot_be_written_fails_with_one_line_and_74(during_ingest, dest, request):
    target = request.getfixturevalue(dest)
    got = congvan("--archive", str(during_ingest["arc"]), "backup", str(target))
    assert got.returncode == 74, (got.returncode, got.stderr[-2000:])
    lines = got.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), got.stderr
    assert ("đầy" if dest == "full_dest" else "chỉ đọc") in lines[0]
    assert not (target / "manifest.json").exists()  # never taken for a whole backup
    assert not list(target.parent.rglob("*.part"))
