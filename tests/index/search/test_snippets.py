"""Snippets: the words a user typed, highlighted wherever they stand in the text."""
from __future__ import annotations

from index.search._snippets import CHUNK, matches, snippet


def test_a_word_across_the_point_where_the_search_reads_on_is_found_whole():
    # the text is read in chunks; a word that starts just before a chunk's end is still found
    filler = "văn bản " * (CHUNK // 8)
    text = filler[: CHUNK - 2] + " lợi ích của người dân"
    start = text.index("lợi")
    assert start < CHUNK < start + len("lợi")
    found = matches(text, ["lợi", "dân"])
    assert (start, start + 3, "lợi") in found
    assert "<b>lợi</b>" in snippet(text, ["lợi", "dân"])


def test_a_chunk_starting_inside_a_word_does_not_match_its_tail():
    text = "x" * (CHUNK - 3) + " thông tin"  # `ông` of `thông` starts a chunk: not a word of its own
    assert text[CHUNK:CHUNK + 3] == "ông"
    assert matches(text, ["ong"]) == []


def test_typed_with_diacritics_only_that_spelling_counts_typed_without_every_spelling_does():
    text = "Thông tin đối ngoại, thỏng tín, thong tin."
    exact = [text[s:e] for s, e, _ in matches(text, ["thông", "tin"])]
    assert exact == ["Thông", "tin", "tín", "tin"]  # `tin` was typed without marks: `tín` counts
    folded = [text[s:e] for s, e, _ in matches(text, ["thong", "tin"])]
    assert folded == ["Thông", "tin", "thỏng", "tín", "thong", "tin"]


def test_every_match_inside_the_chosen_window_is_highlighted():
    # the search stops once a window holds every word, but only after the matches it shows
    text = "Thông tin đối ngoại: thông tin về đối ngoại và thông tin khác. " + "Văn bản khác. " * 200 + "thông tin"
    out = snippet(text, ["thông", "tin"])
    assert out.count("<b>") == 6
    assert out.startswith("<b>Thông</b> <b>tin</b>")
