"""The query language and code spellings, independent of the engine."""
from __future__ import annotations

import pytest

from index.graph.codequery import candidates, index_terms, parse_code_query
from index.search._query_language import Code, Or, Phrase, QueryError, Word, parse, parse_date


@pytest.mark.parametrize("spelling", ["57-KL/TW", "57/KL-TW", "57 KL TW", "57-kl/tw", "57 - KL / TW"])
def test_code_spellings_meet_the_indexed_code(spelling):
    cq = parse_code_query(spelling)
    assert cq is not None
    assert set(cq.terms) & set(index_terms("57-KL/TW"))
    assert "57-KL/TW" in candidates(spelling)


def test_partial_and_folded_codes():
    assert set(parse_code_query("kl 57").terms) & set(index_terms("57-KL/TW"))
    assert set(parse_code_query("33-CV/TTDN").full) & set(index_terms("33-CV/TTĐN"))
    assert set(parse_code_query("01/2024/tt-btc").full) & set(index_terms("1/2024/TT-BTC"))


@pytest.mark.parametrize("text", ["thông tin 2025", "nghị định 30", "thong tin doi ngoai", "giải thưởng"])
def test_words_are_not_codes(text):
    assert parse_code_query(text) is None


def test_words_phrases_fields_and_operators():
    q = parse('thong tin "đối ngoại" loai:cv coquan:"ban tuyên giáo" tu:2024 den:6/2025 -hưng')
    assert q.must[:2] == [Word("thong"), Word("tin")]
    assert q.must[2] == Phrase(["đối", "ngoại"])
    assert q.filters.doc_types == ["cong van"]
    assert q.filters.issuer == ["ban", "tuyen", "giao"]
    assert q.filters.since == 20240000 and q.filters.until == 20250699
    assert q.must_not == [Word("hưng")]
    q = parse("tuyên truyền OR thông tin NOT giải")  # OR joins its neighbours only
    assert q.must == [Word("tuyên"), Or([Word("truyền"), Word("thông")]), Word("tin")]
    assert q.must_not == [Word("giải")]
    assert isinstance(parse("so:57-kl/tw").must[0], Code)
    assert parse("Hoà bình").must[0] == Word("hòa")  # one tone placement


@pytest.mark.parametrize("bad", ['"thông tin', "loai:", "tu:abc", "OR thông", "thông NOT", "NOT thông", "nam:25"])
def test_bad_queries_say_what_is_wrong(bad):
    with pytest.raises(QueryError) as err:
        parse(bad)
    assert str(err.value)


def test_dates_in_common_forms():
    assert parse_date("15/8/2025") == 20250815
    assert parse_date("8/2025") == 20250800
    assert parse_date("2025-08", end=True) == 20250899
    with pytest.raises(QueryError):
        parse_date("32/1/2025")
