"""Each document's role (copy or letter) kept in the Tantivy index (index/search/_engine.py `COPY`):
the index's copies are the catalog's copy groups after every ingest batch, also when a document
already indexed becomes a copy; searching by role gives the pages, totals and facets that
searching by the copies' ids gives; roles the copy groups disagree with are not trusted.

The folder is `tests/index/search/test_search_copies.py`'s (letters with a re-send and a noisy copy each),
ingested in three steps: the originals, then the re-sends, then the copies."""
from __future__ import annotations

import pytest

from index.archive import Archive
from index.search import ROLES
from index.search._query_language import Filters, parse
from tests.index.search.test_search_copies import folder, letter_files, resend_line, scan_line  # noqa: F401 (fixture)


def indexed_copies(arc: Archive) -> set[str]:
    return arc.fulltext.engine.role_ids()


@pytest.fixture(scope="module")
def steps(folder, tmp_path_factory):  # noqa: F811 (the fixture imported above)
    """The archive, and after each ingest step: (the copies the index marks, the copy groups' copies)."""
    arc = Archive(tmp_path_factory.mktemp("roles"), engine="tantivy")
    seen = []
    for kind in ("original", "resend", "scan"):
        report = arc.ingest(sorted(folder.glob(f"*_{kind}.txt")), workers=1)
        assert not report.failed, report.failed
        seen.append((indexed_copies(arc), set(arc.letters().hidden())))
    yield arc, seen
    arc.close()


def test_the_index_marks_exactly_the_copies_after_every_step(steps):
    arc, seen = steps
    for marked, hidden in seen:
        assert marked == hidden
    assert seen[0][1] == set() and seen[-1][1]
    assert arc.fulltext.roles_current(arc.letters().hidden())


def test_a_document_that_becomes_a_copy_later_is_marked(steps):
    """A letter indexed in one step whose representative a later step's file became: the
    document was written as a letter and is re-written as a copy."""
    arc, seen = steps
    files = letter_files(arc)
    originals = {kinds["original"] for kinds in files.values()}
    demoted = seen[-1][1] & originals
    assert demoted, "no original lost its letter to a later copy: the case is not exercised"
    assert demoted <= indexed_copies(arc)


def queries(arc: Archive) -> list[str]:
    out = ["ghi OR quet", "lưu", "ngăn NOT hộp", '"sao y bản chính"', "văn phòng", "hop OR quet", "ủy ban"]
    for number in sorted(letter_files(arc)):
        words = resend_line(int(number)).rstrip(".").split(":")[-1].strip()
        out += [words, f'"{words}" NOT ngăn', scan_line(int(number)), f"{words} zzkhongco"]
    return out


def test_search_by_role_equals_search_by_ids(steps):
    """Every query (words only copies hold, words of every letter, NOT, OR, the any-word
    fallback), with and without a filter, by score and date, first and second page."""
    arc, _ = steps
    ft, letters = arc.fulltext, arc.letters()
    hidden = letters.hidden()
    year = int(arc.catalog.record(sorted(hidden)[0]).issued_date[:4])
    compared = 0
    for text in queries(arc):
        for filters in (None, Filters(year=year)):
            q = parse(text, filters)
            for sort in ("score", "date", "date_asc"):
                for offset in (0, 3):
                    for any_word in (False, True):
                        by_role = ft._letters_page(q, letters, hidden, 3, offset, sort, any_word, by_role=True)
                        by_ids = ft._letters_page(q, letters, hidden, 3, offset, sort, any_word, by_role=False)
                        assert by_role is not None, (text, filters, sort, offset, any_word)
                        key = (text, filters, sort, offset, any_word)
                        assert [h.id for h in by_role[0].hits] == [h.id for h in by_ids[0].hits], key
                        assert (by_role[0].total, by_role[0].facets) == (by_ids[0].total, by_ids[0].facets), key
                        assert by_role[1:] == by_ids[1:], key
                        compared += by_role[0].total > 0
    assert compared > 100


def test_roles_that_disagree_with_the_copy_groups_are_not_trusted(steps):
    """A copy re-written as a letter (what a reader sees while a writer is between its commit
    and its digest) while the digest still matches: its own line still finds its letter, once;
    with the digest gone, the roles are not used at all."""
    arc, _ = steps
    ft, letters = arc.fulltext, arc.letters()
    files = letter_files(arc)
    number, copy = next((n, k["resend"]) for n, k in sorted(files.items()) if k["resend"] in letters.hidden())
    rep = letters.representative(copy)
    words = '"' + resend_line(int(number)).rstrip(".").split(":")[-1].strip() + '"'
    try:
        ft.engine.add([arc.catalog.record(copy)], frozenset())  # now marked a letter; the digest kept
        assert ft.roles_current(letters.hidden())
        assert [h["id"] for h in arc.search(words)["hits"]] == [rep]
        (ft.folder / ROLES).unlink()
        assert not ft.roles_current(letters.hidden())
        assert [h["id"] for h in arc.search(words)["hits"]] == [rep]
    finally:
        ft.sync_roles()  # without a digest: the roles are compared and the copy re-written
    assert indexed_copies(arc) == set(letters.hidden())
    assert ft.roles_current(letters.hidden())


def test_a_recheck_that_changes_the_copy_groups_rewrites_the_roles(steps):
    """`congvan dedup --recheck` with a near-duplicate threshold no copy reaches: the re-sends
    and noisy copies are letters again, and marked so; back to the default, copies again."""
    from index.dedup import DedupConfig
    arc, _ = steps
    before = set(arc.letters().hidden())
    try:
        arc.dedup(DedupConfig(near=1.01))
        after = set(arc.letters().hidden())
        assert after < before
        assert indexed_copies(arc) == after
        assert arc.fulltext.roles_current(arc.letters().hidden())
    finally:
        arc.dedup(DedupConfig())
    assert indexed_copies(arc) == set(arc.letters().hidden()) == before
