"""The compiled inner loops of the name index give what numpy and rapidfuzz give, to the bit."""

from __future__ import annotations

import numpy as np
import pytest
from bench.watchlist_generator import all_names, generate_entities, generate_queries
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

import precx.screening.matching as matching
from precx.screening.matching import index as index_module
from precx.screening.matching.index import NameIndex, name_keys
from precx.screening.matching.normalize import name_key

kernels = index_module._kernels
needs_kernels = pytest.mark.skipif(kernels is None, reason="installed without a C compiler")

# Keys as name_key makes them: lower-case ASCII words, single spaces; a few long ones, beyond
# one and two 64-bit words of the bit-parallel count.
WORD = st.text("abcdeilmnorstuz0", min_size=1, max_size=12)
KEY = st.one_of(
    st.lists(WORD, min_size=1, max_size=7).map(" ".join),
    st.lists(WORD, min_size=8, max_size=20).map(" ".join),
)


def _buffer(keys: list[str]) -> tuple[bytes, np.ndarray]:
    """Keys as the index hands them to the kernels: each followed by its sorted form."""
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum([2 * len(k) for k in keys], out=offsets[1:])
    return "".join(k + _sorted(k) for k in keys).encode("ascii"), offsets


def _sorted(key: str) -> str:
    return " ".join(sorted(key.split()))


def test_a_compiled_install_has_the_kernels() -> None:
    # make install builds both; a pure-Python install has neither, and scores the same.
    if matching.is_compiled():
        assert kernels is not None


@needs_kernels
@settings(max_examples=300, deadline=None)
@given(
    query=KEY,
    keys=st.lists(KEY, min_size=1, max_size=30),
    cutoff=st.sampled_from([0, 50, 75.5, 90]),
)
def test_ratio_is_rapidfuzz_ratio_with_its_cutoff(
    query: str, keys: list[str], cutoff: float
) -> None:
    assert kernels is not None
    blob, offsets = _buffer(keys)
    numbers = np.arange(len(keys), dtype=np.int32)[::-1].copy()  # any order, as a search asks
    for sorted_forms in (False, True):
        out = np.empty(len(keys))
        kernels.ratios(query.encode(), blob, offsets, numbers, sorted_forms, cutoff, out)
        read = [_sorted(keys[n]) if sorted_forms else keys[n] for n in numbers]
        expected = process.cdist(
            [query], read, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float64
        )[0]
        assert out.tolist() == expected.tolist()


@needs_kernels
@settings(max_examples=300, deadline=None)
@given(query=KEY, keys=st.lists(KEY, min_size=1, max_size=30))
def test_token_set_ratio_is_rapidfuzz_token_set_ratio(query: str, keys: list[str]) -> None:
    assert kernels is not None
    # Shared words, repeated words and one key inside another are the cases that branch.
    keys = [*keys, query, f"{query} {keys[0]}", f"{keys[0]} {keys[0]}"]
    blob, offsets = _buffer(keys)
    numbers = np.arange(len(keys), dtype=np.int32)
    out = np.empty(len(keys))
    kernels.token_set_ratios(query.encode(), blob, offsets, numbers, out)
    expected = process.cdist([query], keys, scorer=fuzz.token_set_ratio, dtype=np.float64)[0]
    assert out.tolist() == expected.tolist()


@needs_kernels
def test_bad_arguments_are_refused_not_read_out_of_bounds() -> None:
    assert kernels is not None
    blob, offsets = _buffer(["ivan petrov", "olga"])
    with pytest.raises(IndexError):
        kernels.ratios(b"ivan", blob, offsets, np.array([2], np.int32), False, 0.0, np.empty(1))
    with pytest.raises(ValueError, match="shorter"):
        kernels.token_set_ratios(b"ivan", blob, offsets, np.array([0, 1], np.int32), np.empty(1))
    corrupt = offsets.copy()
    corrupt[2] = len(blob) + 40  # the second key's entry would end past the buffer
    with pytest.raises(ValueError, match="outside the buffer"):
        kernels.ratios(b"ivan", blob, corrupt, np.array([1], np.int32), False, 0.0, np.empty(1))
    with pytest.raises(TypeError, match="bytes"):
        kernels.ratios(b"ivan", blob, offsets, np.array([0], np.int64), False, 0.0, np.empty(1))


@pytest.fixture(scope="module")
def both() -> tuple[NameIndex, NameIndex, list[str]]:
    """One index of generated names searched by the kernels, one by numpy and rapidfuzz."""
    keys = name_keys(all_names(list(generate_entities(3000, seed=21))))
    compiled = NameIndex.from_keys(keys)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "_kernels", None)
        pure = NameIndex.from_keys(keys)
    return compiled, pure, keys


@needs_kernels
def test_an_index_without_its_kernels_searches_as_one_built_without_them(
    both: tuple[NameIndex, NameIndex, list[str]],
) -> None:
    compiled, pure, keys = both
    twin = compiled.without_kernels()
    assert twin._kernels is None and compiled._kernels is not None
    for name in ("pacific trading", "ivan petrovich", keys[7], keys[-3]):
        assert twin.search_key(name) == pure.search_key(name) == compiled.search_key(name)
    positions = np.arange(0, len(compiled._post_keys), 3, dtype=np.int64)
    assert (
        twin._shortlist(keys[5], positions).tolist() == pure._shortlist(keys[5], positions).tolist()
    )


@needs_kernels
def test_searches_find_the_same_hits_with_the_same_scores_either_way(
    both: tuple[NameIndex, NameIndex, list[str]],
) -> None:
    compiled, pure, _ = both
    assert compiled._kernels is not None and pure._kernels is None
    queries = generate_queries(list(generate_entities(3000, seed=21)), 400, seed=22)
    shortlisted = 0
    for query in queries:
        key = name_key(query.name)
        assert compiled.search_key(key) == pure.search_key(key), query.name
        assert compiled.search_key(key, limit=3, min_score=0.9) == pure.search_key(
            key, limit=3, min_score=0.9
        )
        shortlisted += len(key.split()) > 1
    assert shortlisted > 100


@needs_kernels
def test_the_shortlist_keeps_the_same_positions_in_the_same_order(
    both: tuple[NameIndex, NameIndex, list[str]],
) -> None:
    compiled, pure, keys = both
    rng = np.random.default_rng(3)
    size = len(compiled._post_keys)
    for count in (600, 2500, 4000, 20_000):  # below and above the first, coarser cut
        positions = np.sort(rng.choice(size, size=min(count, size), replace=False)).astype(np.int64)
        for key in keys[:: len(keys) // 25]:
            kept = compiled._shortlist(key, positions)
            assert kept.tolist() == pure._shortlist(key, positions).tolist()
            assert 500 <= len(kept) <= len(positions)


@needs_kernels
def test_a_query_outside_ascii_is_scored_by_rapidfuzz_with_the_same_results(
    both: tuple[NameIndex, NameIndex, list[str]],
) -> None:
    compiled, pure, keys = both
    for key in ("müller chemie", f"{keys[11]} ø", "ivan petrov ß"):
        assert compiled.search_key(key) == pure.search_key(key)
    assert compiled.search_key(f"{keys[11]} ø")  # a listed key with one letter more is found


def test_an_index_of_keys_outside_ascii_scores_them_without_the_kernels() -> None:
    index = NameIndex.from_keys(["ivan petrov", "müller gmbh", "olga ivanova"])
    assert index._kernels is None
    assert [hit.key for hit in index.search_key("ivan petrov")][:1] == ["ivan petrov"]
    assert [hit.key for hit in index.search_key("muller gmbh")][:1] == ["müller gmbh"]
