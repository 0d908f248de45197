"""A read-only archive (archival media, a backup mount) is searched, shown, traced and served
as it lies, without a byte written (issue 17, finding 9); commands that write say in one line
that they cannot, with exit 74.

Root, who runs these tests in CI, ignores permission bits: a `chmod -R a-w` copy is no test.
So the archive is bind-mounted read-only where the machine allows it (the kernel then refuses
every write, root's too), and else opened with $CONGVAN_READ_ONLY=1 on a `chmod -R a-w` copy,
where a snapshot of every file's size and time before and after shows that nothing was written."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import CORPUS, ROOT

CODE = "1805-CV/BTGDVTW"


def congvan(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "search_cli.py"), *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("ro-src")
    got = congvan("--archive", str(src / "arc"), "ingest", str(CORPUS / "text"), "-q")
    assert got.returncode == 0, got.stderr[-2000:]
    return src


def _mount_read_only(src: Path, mnt: Path) -> bool:
    mnt.mkdir()
    if subprocess.run(["mount", "--bind", str(src), str(mnt)], capture_output=True).returncode:
        return False
    if subprocess.run(["mount", "-o", "remount,bind,ro", str(mnt)], capture_output=True).returncode:
        subprocess.run(["umount", str(mnt)], capture_output=True)
        return False
    try:
        (mnt / "probe").touch()
    except OSError:
        return True
    (mnt / "probe").unlink()
    subprocess.run(["umount", str(mnt)], capture_output=True)
    return False


@pytest.fixture(params=["read-only mount", "forced on a chmod a-w copy"])
def read_only(request, made, tmp_path, monkeypatch):
    """(archive folder, environment for the commands)."""
    if request.param == "read-only mount":
        mnt = tmp_path / "mnt"
        if not _mount_read_only(made, mnt):
            pytest.skip("no read-only bind mount on this machine (the forced case covers the code path)")
        try:
            yield mnt / "arc", {}
        finally:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
        return
    copy = tmp_path / "copy"
    shutil.copytree(made, copy)
    subprocess.run(["chmod", "-R", "a-w", str(copy)], check=True)
    monkeypatch.setenv("CONGVAN_READ_ONLY", "1")
    try:
        yield copy / "arc", {"CONGVAN_READ_ONLY": "1"}
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(copy)], check=True)


def snapshot(root: Path) -> dict:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))}


def test_a_read_only_archive_is_read_and_never_written(read_only):
    arc, env = read_only
    before = snapshot(arc)
    got = congvan("--archive", str(arc), "search", "thông", "tin", "--json", env=env)
    assert got.returncode == 0, got.stderr[-2000:]
    assert json.loads(got.stdout)["total"] >= 1
    shown = congvan("--archive", str(arc), "show", CODE, "--json", env=env)
    assert shown.returncode == 0 and json.loads(shown.stdout)["code"] == CODE, shown.stderr[-2000:]
    for command in (["trace", CODE], ["refs", CODE], ["cited-by", CODE], ["stats"], ["similar", CODE]):
        got = congvan("--archive", str(arc), *command, env=env)
        assert got.returncode == 0 and "Traceback" not in got.stderr, (command, got.stderr[-2000:])

    from web import create_app  # serve: the page reads it too
    with TestClient(create_app(arc), base_url="http://127.0.0.1:8000") as client:
        page = client.get("/", params={"q": "thông tin đối ngoại"})
        assert page.status_code == 200 and CODE in page.text

    for command in (["reindex"], ["ingest", str(CORPUS / "text")], ["check", "--repair"], ["dedup", "--recheck"]):
        got = congvan("--archive", str(arc), *command, env=env)
        assert got.returncode == 74, (command, got.stdout[-1000:], got.stderr[-2000:])
        assert got.stderr.strip().startswith("Lỗi: kho nằm trên ổ chỉ đọc") and "Traceback" not in got.stderr
        assert len(got.stderr.strip().splitlines()) == 1, got.stderr
    assert snapshot(arc) == before  # no WAL switch, no -shm, no lock file, no rebuild


def test_a_writable_archive_is_not_taken_for_read_only(made, tmp_path):
    """Decoy: a writable archive still writes (a new folder is not yet an archive either)."""
    from index.archive import Archive, is_read_only
    assert not is_read_only(made / "arc") and not is_read_only(tmp_path / "new")
    copy = tmp_path / "copy"
    shutil.copytree(made, copy)
    arc = Archive(copy / "arc")
    assert not arc.read_only
    arc.reindex()
    arc.close()
