"""In-memory candidate index of watchlist names: the fast first stage before compare_names."""

from __future__ import annotations

import bisect
import copy
import os
import random
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import get_all_start_methods, get_context
from types import ModuleType

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from precx.screening.matching.normalize import EntityType, name_key

_kernels: ModuleType | None
try:  # the compiled shortlist and quick score (_kernels.c); without it, numpy and rapidfuzz
    from precx.screening.matching import _kernels
except ImportError:  # built without a C compiler, or PRECX_PURE_PYTHON=1: the same results
    _kernels = None

# The minimum quick score of a candidate. Below compare_names' operating point (0.80) so that
# the first stage does not decide what the precise comparison would have let through.
QUICK_THRESHOLD = 0.75

# A word's neighbours: words one deletion away on either side or both (a typo, a doubled or
# swapped letter, one transliteration difference), from this length; shorter words have none,
# as the neighbours of "ali" or "li" would be half the list. From the second length, also two
# deletions on one side and one on the other (Georgiou and Georgia, Logistika and Lojistik).
_ONE_EDIT_FROM = 4
_TWO_EDITS_FROM = 7
# Also neighbours: the parts of a compound ("energo" in "gazenergo"), from this length, and the
# most frequent compounds a word begins or ends.
_PART_FROM = 4
_PARTS_PER_WORD = 24
# Of the neighbours of a query's words, the rarest have all their keys read, up to this many
# keys, then the far neighbours up to the second number; of the others, common words such as
# "ivan" or "trading", the keys holding two of them, and up to the third number of their other
# keys, those whose length lets them rank.
_RARE_BUDGET = 4000
_FAR_BUDGET = 4000
_COMMON_BUDGET = 12000
# Keys compared exactly: the best this many by character-bigram overlap (Dice), when more.
_SHORTLIST = 500
# Beyond this many times the shortlist, keys are first cut to that many on a coarser signature.
_FIRST_CUT = 6
# How many of a word's common neighbours (the most frequent) have their keys read by length,
# and how many are paired with another word's.
_COMMON_NEIGHBOURS = 4
_PAIR_NEIGHBOURS = 2
# For pairs of words this frequent, the keys holding both are stored, not intersected.
_PAIR_FROM = 2000
# Normalising a name (rigour's transliteration of a non-Latin name costs ~0.2 ms) dominates
# the build; from this many distinct names the build may spread it over processes.
_PARALLEL_FROM = 100_000
# Results remembered from query to query: words, and positions (in all) for pairs of words.
_NEIGHBOUR_CACHE = 50_000
_PAIR_CACHE = 4_000_000
# For a one-word query, this many words of the vocabulary (by bigram overlap) are compared.
_SIMILAR = 128
# A word the vocabulary lacks has as neighbours the words this alike (rapidfuzz ratio).
_TYPO_RATIO = 0.8
# The signature of a key: 4 x 64 bits, one per class of the bigrams of " word " for each of
# its words (so word order does not matter).
_SIGNATURE_WORDS = 4
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 "

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
Signatures = npt.NDArray[np.uint64]


def quick_score(query_key: str, candidate_key: str) -> float:
    """How alike two comparison forms are, 0 to 1, whatever the order of their words.

    The mean of rapidfuzz's token_sort_ratio (all words, sorted) and token_set_ratio (shared words
    against the rest): a dropped middle name or an extra sector word costs half of what it costs
    token_sort_ratio, and a one-word query does not match every name that contains the word
    perfectly, as token_set_ratio alone would.
    """
    sort = fuzz.token_sort_ratio(query_key, candidate_key)
    token_set = fuzz.token_set_ratio(query_key, candidate_key)
    return (sort + max(sort, token_set)) / 200


@dataclass(frozen=True)
class NameHit:
    """One indexed name that may be the queried one: its position in the build input."""

    name_id: int
    key: str
    score: float


def _sorted_form(key: str) -> str:
    words = key.split()
    ordered = sorted(words)
    # Most keys are already in order; sharing the object saves a string per key.
    return key if ordered == words else " ".join(ordered)


def _variants(word: str) -> set[str]:
    """The word and, if long enough, the strings one deletion away (SymSpell's neighbourhood)."""
    found = {word}
    if len(word) >= _ONE_EDIT_FROM:
        found.update(word[:i] + word[i + 1 :] for i in range(len(word)))
    return found


def _far_variants(word: str) -> set[str]:
    """The strings two deletions away from a long word, to meet other words' _variants."""
    if len(word) < _TWO_EDITS_FROM:
        return set()
    ones = {word[:i] + word[i + 1 :] for i in range(len(word))}
    return {w[:i] + w[i + 1 :] for w in ones for i in range(len(w))}


def _bigram_bits() -> npt.NDArray[np.uint8]:
    """Which signature bit each of the 37 x 37 bigrams sets (fixed, spread)."""
    size = len(_ALPHABET) ** 2
    bits = [i % (64 * _SIGNATURE_WORDS) for i in range(size)]
    random.Random(1729).shuffle(bits)
    return np.array(bits, dtype=np.uint8)


_BIGRAM_BITS = _bigram_bits()
_CODES = np.full(256, len(_ALPHABET) - 1, dtype=np.uint16)
_CODES[np.frombuffer(_ALPHABET.encode(), dtype=np.uint8)] = np.arange(len(_ALPHABET))
_CODE_OF = {c: i for i, c in enumerate(_ALPHABET)}
_BIT_OF = _BIGRAM_BITS.tolist()


def _signature(key: str) -> list[int]:
    """The bigram signature of one key, as _signatures computes it for many: one int per word."""
    padded = f" {key} "
    space = len(_ALPHABET) - 1
    codes = [_CODE_OF.get(c, space) for c in padded]
    words = [0] * _SIGNATURE_WORDS
    for a, b in zip(codes, codes[1:], strict=False):
        bit = _BIT_OF[a * len(_ALPHABET) + b]
        words[bit >> 6] |= 1 << (bit & 63)
    return words


def _signatures(keys: Sequence[str], chunk: int = 200_000) -> Signatures:
    """The bigram signatures of keys (ASCII), computed a chunk of keys at a time."""
    out = np.zeros((len(keys), _SIGNATURE_WORDS), dtype=np.uint64)
    size = len(_ALPHABET)
    for first in range(0, len(keys), chunk):
        part = keys[first : first + chunk]
        joined = "".join(f" {k} " for k in part).encode("ascii", "replace")
        text = np.frombuffer(joined, dtype=np.uint8)
        codes = _CODES[text]
        bits = _BIGRAM_BITS[codes[:-1] * size + codes[1:]]
        # Each key is " key " back to back, so the one bigram of two spaces is a boundary.
        valid = ~((codes[:-1] == size - 1) & (codes[1:] == size - 1))
        lengths = np.fromiter((len(k) + 2 for k in part), dtype=np.int64, count=len(part))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        masks = np.left_shift(np.uint64(1), (bits & 63).astype(np.uint64))
        masks[~valid] = 0
        word = bits >> 6
        for j in range(_SIGNATURE_WORDS):
            out[first : first + len(part), j] = np.bitwise_or.reduceat(
                np.where(word == j, masks, np.uint64(0)), starts
            )
    return out


def _keys_of(chunk: Sequence[tuple[str, EntityType]]) -> list[str]:
    return [name_key(name, entity_type) for name, entity_type in chunk]


def name_keys(names: Iterable[tuple[str, EntityType]], *, workers: int | None = None) -> list[str]:
    """name_key of many names, in order.

    Transliterating a non-Latin name costs about 0.2 ms (rigour), most of an index build, so
    from _PARALLEL_FROM distinct names on they are shared out among `workers` processes (by
    default one per core, at most 4; 1 keeps everything in this process).
    """
    distinct: dict[tuple[str, EntityType], int] = {}
    pair_of_name = [distinct.setdefault(pair, len(distinct)) for pair in names]
    pairs = list(distinct)
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    keys = None
    if workers > 1 and len(pairs) >= _PARALLEL_FROM:
        size = -(-len(pairs) // (workers * 8))
        chunks = [pairs[i : i + size] for i in range(0, len(pairs), size)]
        # Not fork: the caller may be a threaded server, and a forked child could inherit a lock
        # held by another thread. forkserver rather than spawn: spawn re-runs the caller's main
        # module in each worker (python -m bench would run every benchmark again).
        method = "forkserver" if "forkserver" in get_all_start_methods() else "spawn"
        try:
            with ProcessPoolExecutor(workers, mp_context=get_context(method)) as pool:
                keys = [key for part in pool.map(_keys_of, chunks) for key in part]
        except (OSError, BrokenProcessPool):
            keys = None  # no processes here (a sandbox, a frozen app): normalise in this one
    if keys is None:
        keys = _keys_of(pairs)
    return [keys[p] for p in pair_of_name]


@dataclass(frozen=True)
class _Pairs:
    """For pairs of frequent words, the keys holding both (ascending) and a posting position."""

    codes: npt.NDArray[np.int64]  # first word number * vocabulary size + second, ascending
    offsets: npt.NDArray[np.int64]
    keys: IntArray
    positions: npt.NDArray[np.int64]  # of each key in the first word's posting
    vocabulary_size: int

    def find(self, first: int, second: int) -> tuple[int, int] | None:
        """Where the keys of a pair are, if both words are frequent."""
        low, high = min(first, second), max(first, second)
        code = low * self.vocabulary_size + high
        at = int(np.searchsorted(self.codes, code))
        if at < len(self.codes) and self.codes[at] == code:
            return int(self.offsets[at]), int(self.offsets[at + 1])
        return None


def _frequent_pairs(
    post_word: IntArray,
    post_key: IntArray,
    by_word: npt.NDArray[np.intp],
    post_offsets: npt.NDArray[np.int64],
) -> _Pairs:
    """The keys of every pair of frequent words that occur together (entries in key order)."""
    vocabulary_size = len(post_offsets) - 1
    frequent = np.diff(post_offsets) >= _PAIR_FROM
    position = np.empty(len(by_word), dtype=np.int64)
    position[by_word] = np.arange(len(by_word))
    entries = np.flatnonzero(frequent[post_word])
    keys, words = post_key[entries], post_word[entries]
    firsts, seconds = [], []
    # Entries of one key are adjacent: pair each with the next, the one after, and so on.
    for gap in range(1, 16):
        same = np.flatnonzero(keys[:-gap] == keys[gap:])
        if not len(same):
            break
        firsts.append(same)
        seconds.append(same + gap)
    if firsts:
        first, second = np.concatenate(firsts), np.concatenate(seconds)
    else:
        first = second = np.empty(0, dtype=np.int64)
    low = np.minimum(words[first], words[second]).astype(np.int64)
    high = np.maximum(words[first], words[second]).astype(np.int64)
    codes = low * vocabulary_size + high
    order = np.lexsort((keys[first], codes))
    codes, first = codes[order], first[order]
    unique, starts = np.unique(codes, return_index=True)
    return _Pairs(
        codes=unique,
        offsets=np.append(starts, len(codes)).astype(np.int64),
        keys=keys[first],
        positions=position[entries[first]],
        vocabulary_size=vocabulary_size,
    )


def _neighbour_table(
    vocabulary: dict[str, int],
    delete_hashes: npt.NDArray[np.int64],
    delete_words: IntArray,
    document_frequency: npt.NDArray[np.int64],
) -> tuple[_Table, _Table]:
    """Every word's near and far neighbours, as _neighbours finds them, for instant look-up."""
    size = len(vocabulary)
    # Words with a deletion variant in common (entries with one hash are adjacent).
    firsts, seconds = [np.arange(size, dtype=np.int32)], [np.arange(size, dtype=np.int32)]
    for gap in range(1, 64):
        same = np.flatnonzero(delete_hashes[:-gap] == delete_hashes[gap:])
        if not len(same):
            break
        firsts += [delete_words[same], delete_words[same + gap]]
        seconds += [delete_words[same + gap], delete_words[same]]
    # Parts of compounds: the word's neighbours include its parts; a part's neighbours include
    # the (most frequent) compounds it begins or ends.
    wholes: list[int] = []
    parts: list[int] = []
    for word, number in vocabulary.items():
        for cut in range(_PART_FROM, len(word) - 1):
            for part in (word[:cut], word[len(word) - cut :]):
                found = vocabulary.get(part)
                if found is not None:
                    wholes.append(number)
                    parts.append(found)
    whole = np.array(wholes, dtype=np.int32)
    of = np.array(parts, dtype=np.int32)
    by_part = np.lexsort((-document_frequency[whole], of))
    whole, of = whole[by_part], of[by_part]
    rank = np.arange(len(of)) - np.searchsorted(of, of, side="left")
    keep = rank < _PARTS_PER_WORD
    near = _Table.of(
        np.concatenate([*firsts, whole, of[keep]]),
        np.concatenate([*seconds, of, whole[keep]]),
        size,
    )
    # Far: two deletions from a long word meeting a word or one deletion from it, both ways.
    far_hashes: list[int] = []
    far_words: list[int] = []
    for word, number in vocabulary.items():
        variants = _far_variants(word)
        far_hashes.extend(map(hash, variants))
        far_words.extend([number] * len(variants))
    far = np.array(far_hashes, dtype=np.int64)
    left = np.searchsorted(delete_hashes, far, side="left")
    right = np.searchsorted(delete_hashes, far, side="right")
    met = np.flatnonzero(right > left)
    counts = (right - left)[met].astype(np.int64)
    others = delete_words[_ranges(left[met].astype(np.int64), counts)]
    mine = np.repeat(np.array(far_words, dtype=np.int32)[met], counts)
    return near, _Table.of(
        np.concatenate((mine, others)), np.concatenate((others, mine)), size, exclude=near
    )


@dataclass(frozen=True)
class _Table:
    """A relation between word numbers, as offsets into one array of related words."""

    offsets: npt.NDArray[np.int64]
    related: IntArray

    @classmethod
    def of(
        cls, firsts: IntArray, seconds: IntArray, size: int, exclude: _Table | None = None
    ) -> _Table:
        codes = np.unique(firsts.astype(np.int64) * size + seconds)
        if exclude is not None:
            excluded = np.repeat(np.arange(size, dtype=np.int64), np.diff(exclude.offsets))
            codes = np.setdiff1d(codes, excluded * size + exclude.related, assume_unique=True)
        offsets = np.searchsorted(codes // size, np.arange(size + 1)).astype(np.int64)
        return cls(offsets, (codes % size).astype(np.int32))

    def __getitem__(self, number: int) -> IntArray:
        return self.related[self.offsets[number] : self.offsets[number + 1]]


@dataclass(frozen=True)
class _Shelf:
    """The vocabulary ordered by the first (or last) two letters of each word, then by length."""

    end: int  # 0: the first two letters; -1: the last two
    numbers: IntArray
    texts: npt.NDArray[np.object_]
    signatures: npt.NDArray[np.uint64]  # folded to 64 bits
    counts: IntArray  # bits set in each signature
    starts: npt.NDArray[np.int64]  # by the two letters' code * span + length
    span: int

    @staticmethod
    def code(word: str, end: int) -> int:
        pair = (word[:2] if end == 0 else word[-2:]).ljust(2)
        size = len(_ALPHABET)
        return _CODE_OF.get(pair[0], size - 1) * size + _CODE_OF.get(pair[1], size - 1)

    @classmethod
    def of(
        cls, words: list[str], lengths: IntArray, signatures: npt.NDArray[np.uint64], end: int
    ) -> _Shelf:
        span = int(lengths.max(initial=0)) + 2
        codes = np.fromiter((cls.code(w, end) for w in words), np.int64, len(words))
        order = codes * span + lengths
        by_order = np.argsort(order, kind="stable")
        return cls(
            end=end,
            numbers=by_order.astype(np.int32),
            texts=np.array(words, dtype=object)[by_order],
            signatures=signatures[by_order],
            counts=np.bitwise_count(signatures[by_order]).astype(np.int32),
            starts=np.searchsorted(order[by_order], np.arange(len(_ALPHABET) ** 2 * span + 1)),
            span=span,
        )

    def run(
        self, word: str, shortest: int, longest: int
    ) -> tuple[IntArray, npt.NDArray[np.object_], npt.NDArray[np.uint64], IntArray]:
        """The words beginning (ending) as `word` does whose length is in [shortest, longest]."""
        code = self.code(word, self.end)
        shortest, longest = max(shortest, 0), min(longest, self.span - 1)
        if longest < shortest:
            return self.numbers[:0], self.texts[:0], self.signatures[:0], self.counts[:0]
        first = int(self.starts[code * self.span + shortest])
        last = int(self.starts[code * self.span + longest + 1])
        return (
            self.numbers[first:last],
            self.texts[first:last],
            self.signatures[first:last],
            self.counts[first:last],
        )


@dataclass(frozen=True)
class _Query:
    """A query's comparison form and what every step of a search needs from it."""

    key: str
    sorted_key: str
    words: list[str]  # distinct, in order
    joined_length: int  # of the distinct words joined by spaces
    shortest: int  # the key lengths that can reach min_score
    longest: int
    lo: int  # the key numbers of those lengths: [lo, hi)
    hi: int
    limit: int
    min_score: float


class NameIndex:
    """Candidate search over many names: words, their neighbours, a bigram shortlist, quick_score.

    A search (1) finds each query word's neighbours in the vocabulary: the word, words a deletion
    apart (SymSpell), parts of a compound, and for a word the list lacks the words most like it;
    (2) takes every key holding a neighbour of the rarer words, and of the common words ("ivan",
    "trading", whose keys are too many to read) the keys holding two of them and the keys whose
    length lets them rank; (3) keeps of those the best few hundred by character-bigram overlap
    (Dice on 256-bit signatures); (4) scores them with quick_score (rapidfuzz.process.cdist).

    Distinct comparison forms ("keys") are numbered by (length, text), so a word's posting list
    (the numbers of the keys containing it, ascending) is ordered by length as well, and the keys
    of a length range are one slice of it. Word variants are looked up by Python's string hash,
    which differs from process to process: an index is not to be pickled.
    """

    def __init__(
        self,
        keys: list[str],
        key_names: tuple[IntArray, IntArray],
        vocabulary: dict[str, int],
        postings: tuple[npt.NDArray[np.int64], IntArray],
        pairs: _Pairs,
        deletes: tuple[npt.NDArray[np.int64], IntArray],
        name_count: int,
    ) -> None:
        self._keys = np.array(keys, dtype=object)
        # The compiled kernels read the keys (and their sorted forms, as long) in place from one
        # ASCII buffer; keys are ASCII (fold), but an index of other keys scores them in Python.
        ascii_keys = all(key.isascii() for key in keys)
        self._kernels = _kernels if _kernels is not None and ascii_keys else None
        self._sorted_keys = np.empty(0, dtype=object)
        if self._kernels is not None:
            # Each key followed by its sorted form: a candidate's two forms in one cache line.
            # In a numpy array rather than bytes: numpy asks for huge pages for large arrays, and
            # a search's reads, scattered over the buffer, then miss the TLB far less.
            self._key_blob = np.frombuffer(
                "".join(k + _sorted_form(k) for k in keys).encode("ascii"), dtype=np.uint8
            ).copy()
            self._key_offsets = np.zeros(len(keys) + 1, dtype=np.int64)
            np.cumsum(
                np.fromiter((2 * len(k) for k in keys), dtype=np.int64, count=len(keys)),
                out=self._key_offsets[1:],
            )
        else:
            self._sorted_keys = np.array([_sorted_form(k) for k in keys], dtype=object)
        self._key_name_offsets, self._key_names = key_names
        self._vocabulary = vocabulary
        self._words = sorted(vocabulary)
        self._reversed_words = sorted(w[::-1] for w in vocabulary)
        self._post_offsets, self._post_keys = postings
        self._document_frequency = np.diff(self._post_offsets)
        self._word_lengths = np.fromiter(
            (len(w) for w in vocabulary), dtype=np.int32, count=len(vocabulary)
        )
        self._delete_hashes, self._delete_words = deletes
        self._near, self._far = _neighbour_table(
            vocabulary, self._delete_hashes, self._delete_words, self._document_frequency
        )
        self._name_count = name_count
        self._neighbour_cache: dict[str, tuple[IntArray, IntArray]] = {}
        self._cut_cache: dict[tuple[int, int, int], npt.NDArray[np.int64]] = {}
        self._pair_cache: dict[tuple[int, int, int, int], npt.NDArray[np.int64]] = {}
        self._pair_cache_size = 0
        self._pairs = pairs
        # Bigram signatures in posting order: the candidates of a word are runs of a posting,
        # so their signatures are read as runs too.
        signatures = _signatures(keys)
        # The four words folded into one: a coarser signature for a first cut of many keys.
        coarse = np.bitwise_or.reduce(signatures, axis=1)
        self._post_coarse = coarse[self._post_keys]
        if self._kernels is not None:
            # For the kernel, one 32-byte row per posting entry: a shortlisted key costs one
            # cache line, where four arrays cost four. It counts the bits itself.
            self._post_rows = signatures[self._post_keys]
        else:
            # For numpy, one array per 64 bits: gathering from 1-d arrays is much faster than
            # rows of a 2-d one; the bits of each kept beside them.
            self._post_signatures = [
                np.ascontiguousarray(signatures[:, j])[self._post_keys]
                for j in range(_SIGNATURE_WORDS)
            ]
            self._post_bigrams = np.bitwise_count(signatures).sum(axis=1, dtype=np.int16)[
                self._post_keys
            ]
            self._post_coarse_bits = np.bitwise_count(coarse)[self._post_keys]
        del signatures, coarse
        # The vocabulary by first two letters and length, and by last two and length, with
        # folded signatures: to find the words most like a word by their characters, however
        # they differ, among those that begin or end as it does (a typo seldom changes both).
        words = list(vocabulary)
        folded = np.bitwise_or.reduce(_signatures(words), axis=1)
        self._shelves = (
            _Shelf.of(words, self._word_lengths, folded, 0),
            _Shelf.of(words, self._word_lengths, folded, -1),
        )
        lengths = np.fromiter((len(k) for k in keys), dtype=np.int32, count=len(keys))
        self._key_lengths = lengths
        longest = int(lengths[-1]) if len(keys) else 0
        # _length_start[n] is the first key number of length n or more.
        self._length_start = np.searchsorted(lengths, np.arange(longest + 2), side="left")

    @classmethod
    def build(
        cls, names: Iterable[tuple[str, EntityType]], *, workers: int | None = None
    ) -> NameIndex:
        """Index names; a name's name_id is its position in `names`.

        A large input is normalised in `workers` processes (see name_keys).
        """
        return cls.from_keys(name_keys(names, workers=workers))

    @classmethod
    def from_keys(cls, keys_by_name: Sequence[str]) -> NameIndex:
        """Index names given by their comparison forms (name_key); name_id = position."""
        key_number: dict[str, int] = {}
        name_key_ids = np.fromiter(
            (key_number.setdefault(k, len(key_number)) for k in keys_by_name),
            dtype=np.int32,
            count=len(keys_by_name),
        )
        key_number.pop("", None)  # an empty key (a name of punctuation) is never found
        first_seen = list(key_number)
        order = sorted(range(len(first_seen)), key=lambda i: (len(first_seen[i]), first_seen[i]))
        keys = [first_seen[i] for i in order]
        renumber = np.full(len(order) + 1, -1, dtype=np.int32)
        renumber[np.array([key_number[k] for k in keys], dtype=np.int64)] = np.arange(
            len(keys), dtype=np.int32
        )
        name_key_ids = renumber[name_key_ids]
        named = np.flatnonzero(name_key_ids >= 0)
        by_key = named[np.argsort(name_key_ids[named], kind="stable")].astype(np.int32)
        key_name_offsets = np.searchsorted(
            name_key_ids[by_key], np.arange(len(keys) + 1), side="left"
        ).astype(np.int32)

        vocabulary: dict[str, int] = {}
        word_ids: list[int] = []
        word_counts = np.empty(len(keys), dtype=np.int64)
        for number, key in enumerate(keys):
            # Words numbered in the order they come (not a set's, which follows the process's
            # string hashes), so that every process ranks equally frequent words alike.
            words = dict.fromkeys(key.split())
            word_counts[number] = len(words)
            word_ids.extend(vocabulary.setdefault(w, len(vocabulary)) for w in words)
        post_word = np.array(word_ids, dtype=np.int32)
        post_key = np.repeat(np.arange(len(keys), dtype=np.int32), word_counts)
        by_word = np.lexsort((post_key, post_word))
        post_offsets = np.searchsorted(
            post_word[by_word], np.arange(len(vocabulary) + 1), side="left"
        ).astype(np.int64)

        pairs = _frequent_pairs(post_word, post_key, by_word, post_offsets)

        hashes: list[int] = []
        delete_words: list[int] = []
        for word, number in vocabulary.items():
            variants = _variants(word)
            hashes.extend(map(hash, variants))
            delete_words.extend([number] * len(variants))
        hash_array = np.array(hashes, dtype=np.int64)
        by_hash = np.argsort(hash_array, kind="stable")
        return cls(
            keys,
            (key_name_offsets, by_key),
            vocabulary,
            (post_offsets, post_key[by_word]),
            pairs,
            (hash_array[by_hash], np.array(delete_words, dtype=np.int32)[by_hash]),
            len(keys_by_name),
        )

    def __len__(self) -> int:
        return self._name_count

    def without_kernels(self) -> NameIndex:
        """The same index searching with numpy and rapidfuzz alone, as without _kernels.c.

        It shares this index's tables and adds the per-column forms numpy reads: to measure
        the kernels against (bench/screening_orders.py) and to check that both find the same.
        """
        twin = copy.copy(self)
        twin._neighbour_cache, twin._cut_cache, twin._pair_cache = {}, {}, {}
        twin._pair_cache_size = 0
        if self._kernels is None:
            return twin
        twin._kernels = None
        rows = self._post_rows
        twin._post_signatures = [np.ascontiguousarray(rows[:, j]) for j in range(_SIGNATURE_WORDS)]
        twin._post_bigrams = np.bitwise_count(rows).sum(axis=1, dtype=np.int16)
        twin._post_coarse_bits = np.bitwise_count(self._post_coarse)
        twin._sorted_keys = np.array([_sorted_form(str(k)) for k in self._keys], dtype=object)
        return twin

    def search(
        self,
        name: str,
        entity_type: EntityType = EntityType.other,
        *,
        limit: int = 10,
        min_score: float = QUICK_THRESHOLD,
    ) -> list[NameHit]:
        """The indexed names most like `name`, best first, at most `limit`."""
        return self.search_key(name_key(name, entity_type), limit=limit, min_score=min_score)

    def search_key(
        self, key: str, *, limit: int = 10, min_score: float = QUICK_THRESHOLD
    ) -> list[NameHit]:
        """Like search, for a comparison form already made with name_key."""
        if not key or limit <= 0 or not len(self._keys):
            return []
        query = self._query(key, limit, min_score)
        nears, fars = [], []
        for word in query.words:
            near, far = self._neighbours(word)
            if len(query.words) == 1:
                near = _unique(np.concatenate((near, self._similar_words(word, min_score))))
            nears.append(near)
            fars.append(far)
        # Every neighbour of every word, rarest first: the keys of the rarer ones are all read;
        # the others are common ("ivan", "trading"), their keys too many to read.
        numbers = np.concatenate(nears)
        owners = np.repeat(np.arange(len(nears)), [len(near) for near in nears])
        frequency = self._document_frequency[numbers]
        by_frequency = np.argsort(frequency, kind="stable")
        rare_count = int(np.searchsorted(np.cumsum(frequency[by_frequency]), _RARE_BUDGET, "right"))
        rare = [numbers[by_frequency[:rare_count]]]
        common: list[list[int]] = [[] for _ in query.words]
        for at in by_frequency[rare_count:][::-1].tolist():  # most frequent first
            common[int(owners[at])].append(int(numbers[at]))
        # The far neighbours of the words read in full, while the budget lasts.
        total = int(frequency[by_frequency[:rare_count]].sum())
        for word_common, far in zip(common, fars, strict=True):
            size = int(self._document_frequency[far].sum())
            if not word_common and total + size <= _FAR_BUDGET:
                rare.append(far)
                total += size
        # Candidates as positions in the postings: all those of the rarer neighbours; of the
        # common ones, the keys holding two of them, and those whose length lets them rank.
        positions = [self._rare_positions(query, np.concatenate(rare))]
        positions.extend(self._pair_positions(query, common))
        read_in_full = [w for w, c in zip(query.words, common, strict=True) if not c]
        missing = 2 if any(len(word) >= _ONE_EDIT_FROM for word in read_in_full) else 1
        positions.append(self._common_positions(query, common, missing))
        found = np.concatenate(positions)
        if len(found) > _SHORTLIST:
            found = self._shortlist(key, found)
        kept, scores = self._score(query, _unique(self._post_keys[found]))
        return self._hits(kept, scores, limit, min_score)

    def _shortlist(self, key: str, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The positions whose keys share the most character bigrams with the query (Dice).

        Many positions are first cut to a few times the shortlist on the folded signatures.
        """
        signature = _signature(key)
        if self._kernels is not None:
            out = np.empty(len(positions), dtype=np.int64)
            count = self._kernels.shortlist(
                positions,
                self._post_rows,
                self._post_coarse,
                tuple(signature),
                _SHORTLIST,
                _FIRST_CUT,
                out,
            )
            return out[:count]
        if len(positions) > _FIRST_CUT * _SHORTLIST:
            folded = 0
            for bits in signature:
                folded |= bits
            shared = np.bitwise_count(self._post_coarse[positions] & np.uint64(folded))
            own = self._post_coarse_bits[positions].astype(np.int32) + folded.bit_count()
            positions = positions[
                _best(shared.astype(np.int32) * 512 // own, _FIRST_CUT * _SHORTLIST)
            ]
        shared32 = np.zeros(len(positions), dtype=np.int32)
        for column, bits in zip(self._post_signatures, signature, strict=True):
            shared32 += np.bitwise_count(column[positions] & np.uint64(bits))
        total = self._post_bigrams[positions] + sum(bits.bit_count() for bits in signature)
        return positions[_best(shared32 * 512 // total, _SHORTLIST)]

    def _query(self, key: str, limit: int, min_score: float) -> _Query:
        words = list(dict.fromkeys(key.split()))
        # token_sort_ratio must reach 2 * min_score - 1 (token_set_ratio adds at most 1), which
        # bounds the length of a candidate key.
        floor = max(2 * min_score - 1, 0.05)
        longest_key = len(self._length_start) - 2
        shortest = min(int(len(key) * floor / (2 - floor)), longest_key)
        longest = min(int(len(key) * (2 - floor) / floor) + 1, longest_key)
        return _Query(
            key=key,
            sorted_key=_sorted_form(key),
            words=words,
            joined_length=len(" ".join(words)),
            shortest=shortest,
            longest=longest,
            lo=int(self._length_start[shortest]),
            hi=int(self._length_start[longest + 1]),
            limit=limit,
            min_score=min_score,
        )

    def _neighbours(self, word: str) -> tuple[IntArray, IntArray]:
        """Vocabulary words near `word` (itself, a deletion apart on either side or both, the
        parts of a compound or compounds of it) and far from it (two deletions and one)."""
        number = self._vocabulary.get(word)
        if number is not None:
            return self._near[number], self._far[number]
        cached = self._neighbour_cache.get(word)
        if cached is not None:
            return cached
        near_parts = [self._met(_variants(word))]
        parts = self._parts(word)
        if parts:
            near_parts.append(np.array(parts, dtype=np.int32))
        if len(word) >= _ONE_EDIT_FROM:
            # A word the list does not have is often a typo of one it has: the words most like
            # it, whatever the edits.
            near_parts.append(self._similar_words(word, _TYPO_RATIO))
        near = _unique(np.concatenate(near_parts))
        far = np.setdiff1d(_unique(self._met(_far_variants(word))), near, assume_unique=True)
        if len(self._neighbour_cache) >= _NEIGHBOUR_CACHE:
            self._neighbour_cache.clear()
        self._neighbour_cache[word] = (near, far)
        return near, far

    def _similar_words(self, word: str, min_score: float) -> IntArray:
        """Vocabulary words whose ratio with `word` reaches min_score and that begin or end with
        its two letters: the best by bigram overlap, then compared exactly."""
        floor = max(min_score, 0.05)
        shortest = int(np.ceil(len(word) * floor / (2 - floor)))
        longest = int(len(word) * (2 - floor) / floor)
        folded = 0
        for bits in _signature(word):
            folded |= bits
        numbers, texts, signatures, counts = zip(
            *(shelf.run(word, shortest, longest) for shelf in self._shelves), strict=True
        )
        signature = np.concatenate(signatures)
        if not len(signature):
            return np.empty(0, dtype=np.int32)
        shared = np.bitwise_count(signature & np.uint64(folded)).astype(np.int32)
        best = _best(shared * 512 // (np.concatenate(counts) + folded.bit_count()), _SIMILAR)
        ratios: FloatArray = process.cdist(
            [word], np.concatenate(texts)[best], scorer=fuzz.ratio, score_cutoff=100 * floor
        )[0]
        found: IntArray = _unique(np.concatenate(numbers)[best[ratios >= 100 * floor]])
        return found

    def _met(self, variants: set[str]) -> IntArray:
        """The vocabulary words with one of these strings among their _variants."""
        hashes = np.fromiter(map(hash, variants), dtype=np.int64, count=len(variants))
        left = np.searchsorted(self._delete_hashes, hashes, side="left")
        right = np.searchsorted(self._delete_hashes, hashes, side="right")
        met = np.flatnonzero(right > left)
        counts = (right - left)[met].astype(np.int64)
        return self._delete_words[_ranges(left[met].astype(np.int64), counts)]

    def _parts(self, word: str) -> list[int]:
        """Words that begin or end `word` (energo in gazenergo) or that it begins or ends."""
        if len(word) < _PART_FROM:
            return []
        found = []
        for cut in range(_PART_FROM, len(word) - 1):
            for part in (word[:cut], word[len(word) - cut :]):
                number = self._vocabulary.get(part)
                if number is not None:
                    found.append(number)
        longer = []
        for words, probe in ((self._words, word), (self._reversed_words, word[::-1])):
            start = bisect.bisect_right(words, probe)
            for other in words[start : start + 4 * _PARTS_PER_WORD]:
                if not other.startswith(probe):
                    break
                longer.append(self._vocabulary[other if words is self._words else other[::-1]])
        # The most frequent compounds, as for the words of the vocabulary.
        longer.sort(key=lambda n: -int(self._document_frequency[n]))
        return found + longer[:_PARTS_PER_WORD]

    def _rare_positions(self, query: _Query, numbers: IntArray) -> npt.NDArray[np.int64]:
        """The posting positions of all the keys of the words, within the query's lengths."""
        starts = self._post_offsets[numbers]
        positions = _ranges(starts, self._post_offsets[numbers + 1] - starts)
        found = self._post_keys[positions]
        return positions[(found >= query.lo) & (found < query.hi)]

    def _window(self, query: _Query, number: int) -> tuple[int, int]:
        """The posting positions [start, end) of a word's keys within the query's lengths."""
        cuts = self._length_cuts(number, query.shortest, query.longest)
        return int(cuts[0]), int(cuts[-1])

    def _pair_positions(
        self, query: _Query, common: list[list[int]]
    ) -> list[npt.NDArray[np.int64]]:
        """Of the common neighbours of each word (most frequent first), the key that is one of
        them alone, and the keys holding one of two different words' first two."""
        found: list[npt.NDArray[np.int64]] = []
        windows: list[list[tuple[int, int, int]]] = []
        for numbers in common:
            windows.append([])
            for number in numbers[:_PAIR_NEIGHBOURS]:
                start, end = self._window(query, number)
                # The key that is nothing but the word ("trading") is its posting's first.
                if end > start and self._key_lengths[self._post_keys[start]] == int(
                    self._word_lengths[number]
                ):
                    found.append(np.array([start], dtype=np.int64))
                windows[-1].append((number, start, end))
        for i, mine in enumerate(windows):
            for theirs in windows[i + 1 :]:
                for number, start, end in mine:
                    for other, other_start, other_end in theirs:
                        found.append(
                            self._both(query, (number, start, end), (other, other_start, other_end))
                        )
        return found

    def _both(
        self, query: _Query, one: tuple[int, int, int], two: tuple[int, int, int]
    ) -> npt.NDArray[np.int64]:
        """The posting positions of the keys holding both words (number, window start, end).

        Remembered: pairs of common words ("import", "export") recur from query to query.
        """
        remembered = (one[0], two[0], query.lo, query.hi)
        cached = self._pair_cache.get(remembered)
        if cached is None:
            cached = self._intersect(query, one, two)
            self._pair_cache_size += len(cached)
            if self._pair_cache_size > _PAIR_CACHE:
                self._pair_cache.clear()
                self._pair_cache_size = len(cached)
            self._pair_cache[remembered] = cached
        return cached

    def _intersect(
        self, query: _Query, one: tuple[int, int, int], two: tuple[int, int, int]
    ) -> npt.NDArray[np.int64]:
        stored = self._pairs.find(one[0], two[0])
        if stored is not None:
            first, last = stored
            a, b = np.searchsorted(self._pairs.keys[first:last], (query.lo, query.hi))
            return self._pairs.positions[first + a : first + b]
        (_, start, end), (_, other_start, other_end) = sorted(
            (one, two), key=lambda window: window[2] - window[1]
        )
        small, large = self._post_keys[start:end], self._post_keys[other_start:other_end]
        if not len(small) or not len(large):
            return np.empty(0, dtype=np.int64)
        where = np.searchsorted(large, small).clip(max=len(large) - 1)
        return np.flatnonzero(large[where] == small) + start

    def _common_positions(
        self, query: _Query, common: list[list[int]], missing: int
    ) -> npt.NDArray[np.int64]:
        """Positions of keys with a common neighbour of a word, best length bound first.

        The bound assumes such a key has none of the neighbours read in full, so at least
        `missing` edits against them, and knows only its length.
        """
        if not any(common):
            return np.empty(0, dtype=np.int64)
        uppers, firsts, lasts = [], [], []
        for word, numbers in zip(query.words, common, strict=True):
            if not numbers:
                continue
            sort_bound, shared_bound = _length_bounds(
                len(query.key),
                query.joined_length,
                len(word),
                missing,
                query.shortest,
                query.longest,
            )
            number = self._vocabulary.get(word)
            # The most frequent: the word itself, its plural, what its typo'd form stands for.
            for other in numbers[:_COMMON_NEIGHBOURS]:
                cuts = self._length_cuts(other, query.shortest, query.longest)
                uppers.append(shared_bound if other == number else sort_bound)
                firsts.append(cuts[:-1])
                lasts.append(cuts[1:])
        upper = np.concatenate(uppers)
        first = np.concatenate(firsts)
        count = np.concatenate(lasts) - first
        usable = np.flatnonzero((upper >= query.min_score) & (count > 0))
        usable = usable[np.argsort(-upper[usable], kind="stable")]
        usable = usable[: int(np.searchsorted(np.cumsum(count[usable]), _COMMON_BUDGET)) + 1]
        return _ranges(first[usable], count[usable])

    def _length_cuts(self, number: int, shortest: int, longest: int) -> npt.NDArray[np.int64]:
        """Where in a word's posting each key length from shortest to longest + 1 begins.

        Remembered: the common words, whose postings are long, recur from query to query.
        """
        cached = self._cut_cache.get((number, shortest, longest))
        if cached is None:
            start = self._post_offsets[number]
            posting = self._post_keys[start : self._post_offsets[number + 1]]
            boundaries = self._length_start[shortest : longest + 2]
            cached = np.searchsorted(posting, boundaries) + start
            if len(self._cut_cache) >= _NEIGHBOUR_CACHE:
                self._cut_cache.clear()
            self._cut_cache[(number, shortest, longest)] = cached
        return cached

    def _score(self, query: _Query, candidates: IntArray) -> tuple[IntArray, FloatArray]:
        """The candidates that may enter the best `limit`, with their quick_score."""
        cutoff = max(0.0, 200 * query.min_score - 100)
        if not len(candidates):
            return candidates, np.empty(0)
        # A query outside ASCII (search_key of a key not made by name_key) cannot be compared
        # byte by byte with the buffer's keys: rapidfuzz compares it.
        compiled = self._kernels if query.key.isascii() else None
        if compiled is not None:
            sort_scores = np.empty(len(candidates))
            compiled.ratios(
                query.sorted_key.encode("ascii"),
                self._key_blob,
                self._key_offsets,
                candidates,
                True,  # the sorted forms
                cutoff,
                sort_scores,
            )
        else:
            sort_scores = process.cdist(
                [query.sorted_key],
                self._sorted_keys_of(candidates),
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                dtype=np.float64,
            )[0]
        # quick_score is at least the sort ratio and at most its mean with 100: candidates whose
        # mean with 100 is below what the best `limit` sort ratios already reach drop out.
        floor = 100 * _floor(sort_scores / 100, query.limit, query.min_score)
        keep = np.flatnonzero((sort_scores >= cutoff) & (sort_scores >= 2 * floor - 100))
        kept = candidates[keep]
        sort_kept = sort_scores[keep]
        if compiled is not None:
            sets = np.empty(len(kept))
            compiled.token_set_ratios(
                query.key.encode("ascii"), self._key_blob, self._key_offsets, kept, sets
            )
        else:
            sets = process.cdist(
                [query.key], self._keys[kept], scorer=fuzz.token_set_ratio, dtype=np.float64
            )[0]
        scores = (sort_kept + np.maximum(sort_kept, sets)) / 200
        return kept, scores

    def _sorted_keys_of(self, numbers: IntArray) -> npt.NDArray[np.object_] | list[str]:
        """The sorted forms of some keys (made again when the kernels hold them in their buffer)."""
        if self._kernels is None:
            return self._sorted_keys[numbers]
        return [_sorted_form(str(key)) for key in self._keys[numbers]]

    def _hits(
        self, kept: IntArray, scores: FloatArray, limit: int, min_score: float
    ) -> list[NameHit]:
        good = np.flatnonzero(scores >= min_score)
        # Best first; equal scores in key order, so that results are reproducible.
        ranked = good[np.lexsort((kept[good], -scores[good]))]
        hits: list[NameHit] = []
        for position in ranked.tolist():
            number = int(kept[position])
            score = float(scores[position])
            start, end = self._key_name_offsets[number], self._key_name_offsets[number + 1]
            for name_id in self._key_names[start:end].tolist():
                hits.append(NameHit(name_id, str(self._keys[number]), score))
                if len(hits) >= limit:
                    return hits
        return hits


@lru_cache(maxsize=4096)
def _length_bounds(
    query_length: int,
    joined_length: int,
    word_length: int,
    missing: int,
    shortest: int,
    longest: int,
) -> tuple[FloatArray, FloatArray]:
    """Upper bounds of quick_score for keys of each length from shortest to longest that share
    a query word of `word_length` (the second) or merely hold a neighbour of it (the first).

    Such a key has, besides, at least `missing` edits against the query, and no other shared
    word. The sort ratio is bounded by the lengths; token_set_ratio by the shared word against
    either side's other words (lengths only) and by the two sides' other words against each
    other (at least the difference of their lengths, and `missing`).
    """
    lengths = np.arange(shortest, longest + 1, dtype=np.float64)
    sort_bound = 1 - np.maximum(missing, np.abs(query_length - lengths)) / (query_length + lengths)
    sect = float(word_length)
    a = joined_length - sect - 1
    b = lengths - sect - 1
    own_a = 2 * sect / (2 * sect + 1 + a) if a > 0 else 1.0
    own_b = np.where(b > 0, 2 * sect / (2 * sect + 1 + np.maximum(b, 0)), 1.0)
    across = 1 - np.maximum(missing, np.abs(a - b)) / (2 * sect + 2 + a + b)
    set_bound = np.maximum(np.maximum(own_a, own_b), across)
    return sort_bound, (sort_bound + np.maximum(sort_bound, set_bound)) / 2


def _best(scores: IntArray, count: int) -> npt.NDArray[np.intp]:
    """The indexes of about the `count` highest scores (0-256; ties at the cut are all kept).

    A counting sort: cheaper than a partition for integer scores in a small range.
    """
    counts = np.cumsum(np.bincount(scores, minlength=257)[::-1])
    floor = 256 - int(np.searchsorted(counts, count))
    return np.flatnonzero(scores >= floor)


def _unique(values: IntArray) -> IntArray:
    """The distinct values, ascending: np.unique, which for arrays of a search's size (hundreds)
    is several times slower in numpy 2 (it hashes, then sorts)."""
    if len(values) < 2:
        return values
    ordered = np.sort(values)
    distinct = np.empty(len(ordered), dtype=bool)
    distinct[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=distinct[1:])
    return ordered[distinct]


def _ranges(starts: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The positions of several runs [start, start + count) in one array, for one fancy index."""
    shifts = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return shifts + np.arange(int(counts.sum()))


def _floor(scores: FloatArray, limit: int, min_score: float) -> float:
    """The score a new candidate must reach to enter the best `limit`."""
    good = scores[scores >= min_score]
    if len(good) < limit:
        return min_score
    return float(np.partition(good, -limit)[-limit])
