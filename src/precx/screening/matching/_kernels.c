/* The inner loops of a name-index search, compiled: the bigram shortlist and the quick score.
 *
 * index.py does the same with numpy and rapidfuzz when this module is not built; both give the
 * same results to the last bit (tests/screening/matching/test_kernels.py compares them). What
 * this saves is mostly waiting on memory: at a million listed names a search reads a few
 * thousand signature rows and a few hundred keys scattered over hundreds of megabytes, and
 * numpy and rapidfuzz read them one after another, each a miss, besides making a temporary array
 * per step and a string view per key. Here the keys are one ASCII buffer with offsets, read in
 * place, and every line a step will read is asked for before any is read.
 *
 * ratio is rapidfuzz's fuzz.ratio (the normalised Indel similarity, x 100) with its score_cutoff
 * semantics; token_set_ratio is fuzz.token_set_ratio. The longest common subsequence is counted
 * with the bit-parallel algorithm of Hyyrö (2004), as rapidfuzz counts it, a 64-bit word per 64
 * characters of the pattern.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>


/* The loops that count bits run with the POPCNT instruction where the processor has it (chosen
 * when the module loads): without it, __builtin_popcountll is a call into libgcc, and counting
 * took most of a shortlist's time. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define COUNTS_BITS __attribute__((target_clones("popcnt", "default")))
#else
#define COUNTS_BITS
#endif

typedef struct {
    Py_buffer view;
    int held;
} Buffer;

static int get_buffer(PyObject *object, Buffer *buffer, Py_ssize_t itemsize, int writable,
                      const char *what) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    buffer->held = 0;
    if (PyObject_GetBuffer(object, &buffer->view, flags) < 0) return -1;
    buffer->held = 1;
    if (buffer->view.itemsize != itemsize) {
        PyErr_Format(PyExc_TypeError, "%s: items of %zd bytes expected, got %zd", what, itemsize,
                     buffer->view.itemsize);
        return -1;
    }
    return 0;
}

static void release(Buffer *buffer) {
    if (buffer->held) PyBuffer_Release(&buffer->view);
    buffer->held = 0;
}

static Py_ssize_t count_of(const Buffer *buffer) {
    return buffer->view.len / buffer->view.itemsize;
}

/* --- the longest common subsequence ------------------------------------------------------- */

typedef struct {
    Py_ssize_t length;
    Py_ssize_t words;
    uint64_t *masks; /* [256][words]: bit i of a character's mask set if pattern[i] is it */
    uint64_t small[256];
} Pattern;

static int pattern_init(Pattern *p, const unsigned char *text, Py_ssize_t length) {
    p->length = length;
    p->words = (length + 63) / 64;
    if (p->words <= 1) {
        p->masks = p->small;
        memset(p->small, 0, sizeof(p->small));
    } else {
        p->masks = calloc((size_t)(256 * p->words), sizeof(uint64_t));
        if (p->masks == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    for (Py_ssize_t i = 0; i < length; i++) {
        p->masks[text[i] * p->words + i / 64] |= (uint64_t)1 << (i % 64);
    }
    return 0;
}

static void pattern_free(Pattern *p) {
    if (p->masks != p->small) free(p->masks);
    p->masks = NULL;
}

COUNTS_BITS static Py_ssize_t lcs(const Pattern *p, const unsigned char *text, Py_ssize_t length,
                      uint64_t *state) {
    if (p->length == 0 || length == 0) return 0;
    if (p->words == 1) {
        uint64_t s = ~(uint64_t)0;
        for (Py_ssize_t j = 0; j < length; j++) {
            uint64_t u = s & p->masks[text[j]];
            s = (s + u) | (s - u);
        }
        /* Bits above the pattern's length stay set, so only its own bits count. */
        return (Py_ssize_t)__builtin_popcountll(~s);
    }
    for (Py_ssize_t w = 0; w < p->words; w++) state[w] = ~(uint64_t)0;
    for (Py_ssize_t j = 0; j < length; j++) {
        const uint64_t *mask = p->masks + text[j] * p->words;
        uint64_t carry = 0;
        for (Py_ssize_t w = 0; w < p->words; w++) {
            uint64_t s = state[w], u = s & mask[w];
            uint64_t sum = s + u;
            uint64_t carried = sum < s;
            uint64_t x = sum + carry;
            carried |= x < sum;
            carry = carried;
            state[w] = x | (s - u);
        }
    }
    Py_ssize_t common = 0;
    for (Py_ssize_t w = 0; w < p->words; w++) common += __builtin_popcountll(~state[w]);
    return common;
}

/* The Indel distance of two short strings (the words two keys do not share). */
static int indel(const unsigned char *a, Py_ssize_t m, const unsigned char *b, Py_ssize_t n,
                 Py_ssize_t *distance) {
    Pattern p;
    if (pattern_init(&p, a, m) < 0) return -1;
    uint64_t *state = NULL;
    if (p.words > 1) {
        state = malloc((size_t)p.words * sizeof(uint64_t));
        if (state == NULL) {
            pattern_free(&p);
            PyErr_NoMemory();
            return -1;
        }
    }
    *distance = m + n - 2 * lcs(&p, b, n, state);
    free(state);
    pattern_free(&p);
    return 0;
}

/* fuzz.ratio of a pattern against a text, 0 below the cutoff (0-100), as rapidfuzz gives it. */
static double ratio_of(const Pattern *p, const unsigned char *text, Py_ssize_t length,
                       double score_cutoff, uint64_t *state) {
    double cutoff = score_cutoff / 100.0;
    Py_ssize_t maximum = p->length + length;
    double allowed = fmin(1.0, 1.0 - cutoff + 1e-5); /* rapidfuzz's NormSim_to_NormDist */
    Py_ssize_t gap = p->length > length ? p->length - length : length - p->length;
    if (maximum > 0 && (double)gap / (double)maximum > allowed) return 0.0;
    Py_ssize_t distance = maximum - 2 * lcs(p, text, length, state);
    double norm_distance = maximum ? (double)distance / (double)maximum : 0.0;
    if (norm_distance > allowed) norm_distance = 1.0;
    double norm_similarity = 1.0 - norm_distance;
    return norm_similarity >= cutoff ? norm_similarity * 100.0 : 0.0;
}

/* --- keys as words ------------------------------------------------------------------------- */

/* A stretch of a buffer: a word of a key, or a whole key. */
typedef struct {
    const unsigned char *start;
    Py_ssize_t length;
} Span;

static int word_order(const Span *a, const Span *b) {
    Py_ssize_t shorter = a->length < b->length ? a->length : b->length;
    int c = memcmp(a->start, b->start, (size_t)shorter);
    if (c) return c;
    return (a->length > b->length) - (a->length < b->length);
}

/* The distinct words of a key, sorted; at most `room` of them. */
static Py_ssize_t sorted_words(const unsigned char *text, Py_ssize_t length, Span *words,
                               Py_ssize_t room) {
    Py_ssize_t count = 0, i = 0;
    while (i < length && count < room) {
        while (i < length && Py_UNICODE_ISSPACE(text[i])) i++;
        if (i >= length) break;
        Py_ssize_t begin = i;
        while (i < length && !Py_UNICODE_ISSPACE(text[i])) i++;
        Span word = {text + begin, i - begin};
        /* Insertion sort: a key has a handful of words. */
        Py_ssize_t at = count;
        while (at > 0 && word_order(&words[at - 1], &word) > 0) at--;
        if (at > 0 && word_order(&words[at - 1], &word) == 0) continue; /* a repeated word */
        memmove(&words[at + 1], &words[at], (size_t)(count - at) * sizeof(Span));
        words[at] = word;
        count++;
    }
    return count;
}

static Py_ssize_t joined(const Span *words, Py_ssize_t count, unsigned char *out) {
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (i) out[at++] = ' ';
        memcpy(out + at, words[i].start, (size_t)words[i].length);
        at += words[i].length;
    }
    return at;
}

static double norm_score(Py_ssize_t distance, Py_ssize_t lensum) {
    return lensum > 0 ? 100.0 - 100.0 * (double)distance / (double)lensum : 100.0;
}

typedef struct {
    Span *theirs, *only_mine, *only_theirs; /* room for as many words as a key can have */
    Py_ssize_t words;
    unsigned char *ab, *ba;                 /* room for the query's and a key's words joined */
} Scratch;

/* fuzz.token_set_ratio of a query's sorted distinct words against a key (no cutoff). */
static int token_set_of(const Span *mine, Py_ssize_t mine_count, const unsigned char *text,
                        Py_ssize_t length, const Scratch *scratch, double *score) {
    Span *theirs = scratch->theirs, *only_mine = scratch->only_mine,
         *only_theirs = scratch->only_theirs;
    Py_ssize_t their_count = sorted_words(text, length, theirs, scratch->words);
    if (mine_count == 0 || their_count == 0) {
        *score = 0.0;
        return 0;
    }
    Py_ssize_t i = 0, j = 0, shared = 0, a = 0, b = 0, sect_len = 0;
    while (i < mine_count || j < their_count) {
        int c = i >= mine_count ? 1 : j >= their_count ? -1 : word_order(&mine[i], &theirs[j]);
        if (c == 0) {
            sect_len += mine[i].length + (shared ? 1 : 0);
            shared++;
            i++;
            j++;
        } else if (c < 0) {
            only_mine[a++] = mine[i++];
        } else {
            only_theirs[b++] = theirs[j++];
        }
    }
    if (shared && (a == 0 || b == 0)) {
        *score = 100.0;
        return 0;
    }
    unsigned char *ab = scratch->ab, *ba = scratch->ba;
    Py_ssize_t ab_len = joined(only_mine, a, ab), ba_len = joined(only_theirs, b, ba);
    Py_ssize_t sect_ab_len = sect_len + (sect_len != 0) + ab_len;
    Py_ssize_t sect_ba_len = sect_len + (sect_len != 0) + ba_len;
    Py_ssize_t distance;
    if (indel(ab, ab_len, ba, ba_len, &distance) < 0) return -1;
    double result = norm_score(distance, sect_ab_len + sect_ba_len);
    if (sect_len) {
        double with_ab = norm_score((sect_len != 0) + ab_len, sect_len + sect_ab_len);
        double with_ba = norm_score((sect_len != 0) + ba_len, sect_len + sect_ba_len);
        result = fmax(result, fmax(with_ab, with_ba));
    }
    *score = result;
    return 0;
}

/* --- the Python functions ------------------------------------------------------------------ */

/* Keys are read from a buffer of entries, one per key number: blob[offsets[n]:offsets[n + 1]]
 * holds the key and then its sorted form (as long), side by side so that reading one brings the
 * other into the cache. `half` 0 is the key, 1 the sorted form. */

/* Where each asked key is, its entry's cache line requested: the loads of a few hundred offsets,
 * then of their lines, all independent, overlap in the memory system, where a loop that read
 * each key as it compared it would wait for one miss after another. */
static void find_keys(const unsigned char *keys, const int64_t *offset, const int32_t *number,
                      Py_ssize_t count, int half, Span *found) {
    for (Py_ssize_t i = 0; i < count; i++) {
        int64_t begin = offset[number[i]], size = (offset[number[i] + 1] - begin) / 2;
        found[i].start = keys + begin + half * size;
        found[i].length = size;
    }
    for (Py_ssize_t i = 0; i < count; i++) __builtin_prefetch(found[i].start);
}

/* Every asked key number names an entry, and its entry lies inside the buffer. */
static int check_keys(const int32_t *number, Py_ssize_t count, const int64_t *offset,
                      Py_ssize_t key_count, Py_ssize_t blob_length) {
    for (Py_ssize_t i = 0; i < count; i++) {
        if (number[i] < 0 || number[i] >= key_count) {
            PyErr_SetString(PyExc_IndexError, "key number out of range");
            return -1;
        }
        int64_t begin = offset[number[i]], end = offset[number[i] + 1];
        if (begin < 0 || end < begin || end > blob_length) {
            PyErr_SetString(PyExc_ValueError, "offsets: a key's entry lies outside the buffer");
            return -1;
        }
    }
    return 0;
}

/* The buffers of a call that scores keys: where its keys are, and where their scores go. */
typedef struct {
    Buffer blob, offsets, numbers, out;
    Span *found; /* the keys asked for, in order */
    Py_ssize_t count;
    double *score;
} Keys;

static int open_keys(PyObject *blob, PyObject *offsets, PyObject *numbers, PyObject *out,
                     int half, Keys *keys) {
    memset(keys, 0, sizeof(*keys));
    if (get_buffer(blob, &keys->blob, 1, 0, "blob") < 0 ||
        get_buffer(offsets, &keys->offsets, 8, 0, "offsets") < 0 ||
        get_buffer(numbers, &keys->numbers, 4, 0, "numbers") < 0 ||
        get_buffer(out, &keys->out, 8, 1, "out") < 0)
        return -1;
    keys->count = count_of(&keys->numbers);
    if (count_of(&keys->out) < keys->count) {
        PyErr_SetString(PyExc_ValueError, "out is shorter than numbers");
        return -1;
    }
    const int32_t *number = keys->numbers.view.buf;
    if (check_keys(number, keys->count, keys->offsets.view.buf, count_of(&keys->offsets) - 1,
                   keys->blob.view.len) < 0)
        return -1;
    keys->found = malloc((size_t)(keys->count ? keys->count : 1) * sizeof(Span));
    if (keys->found == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    find_keys(keys->blob.view.buf, keys->offsets.view.buf, number, keys->count, half,
              keys->found);
    keys->score = keys->out.view.buf;
    return 0;
}

static void close_keys(Keys *keys) {
    free(keys->found);
    release(&keys->blob);
    release(&keys->offsets);
    release(&keys->numbers);
    release(&keys->out);
}

/* ratios(query, blob, offsets, numbers, half, score_cutoff, out): out[i] = fuzz.ratio(query,
 * key `half` of numbers[i]) with that cutoff. */
static PyObject *ratios(PyObject *self, PyObject *args) {
    Py_buffer query;
    PyObject *blob, *offsets, *numbers, *out;
    double score_cutoff;
    int half;
    if (!PyArg_ParseTuple(args, "y*OOOpdO", &query, &blob, &offsets, &numbers, &half,
                          &score_cutoff, &out))
        return NULL;
    Keys keys;
    Pattern p = {0};
    uint64_t *state = NULL;
    PyObject *result = NULL;
    if (open_keys(blob, offsets, numbers, out, half, &keys) < 0) goto done;
    if (pattern_init(&p, query.buf, query.len) < 0) goto done;
    state = malloc((size_t)(p.words ? p.words : 1) * sizeof(uint64_t));
    if (state == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < keys.count; i++)
        keys.score[i] =
            ratio_of(&p, keys.found[i].start, keys.found[i].length, score_cutoff, state);
    result = Py_NewRef(Py_None);
done:
    free(state);
    if (p.masks) pattern_free(&p);
    close_keys(&keys);
    PyBuffer_Release(&query);
    return result;
}

/* token_set_ratios(query, blob, offsets, numbers, out): fuzz.token_set_ratio(query, key) of
 * each key (the first half of its entry). */
static PyObject *token_set_ratios(PyObject *self, PyObject *args) {
    Py_buffer query;
    PyObject *blob, *offsets, *numbers, *out;
    if (!PyArg_ParseTuple(args, "y*OOOO", &query, &blob, &offsets, &numbers, &out)) return NULL;
    Keys keys;
    Scratch scratch = {0};
    Span *mine = NULL;
    PyObject *result = NULL;
    if (open_keys(blob, offsets, numbers, out, 0, &keys) < 0) goto done;
    mine = malloc((size_t)(query.len / 2 + 1) * sizeof(Span));
    if (mine == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t mine_count = sorted_words(query.buf, query.len, mine, query.len / 2 + 1);
    Py_ssize_t longest = 0;
    for (Py_ssize_t i = 0; i < keys.count; i++)
        if (keys.found[i].length > longest) longest = keys.found[i].length;
    /* A key of n characters has at most n / 2 + 1 words (one letter and a space each). */
    Py_ssize_t room = (longest > query.len ? longest : query.len) + 1;
    scratch.words = room / 2 + 1;
    scratch.theirs = malloc((size_t)(3 * scratch.words) * sizeof(Span));
    scratch.ab = malloc((size_t)(2 * room));
    if (scratch.theirs == NULL || scratch.ab == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    scratch.only_mine = scratch.theirs + scratch.words;
    scratch.only_theirs = scratch.only_mine + scratch.words;
    scratch.ba = scratch.ab + room;
    for (Py_ssize_t i = 0; i < keys.count; i++)
        if (token_set_of(mine, mine_count, keys.found[i].start, keys.found[i].length, &scratch,
                         &keys.score[i]) < 0)
            goto done;
    result = Py_NewRef(Py_None);
done:
    free(mine);
    free(scratch.theirs);
    free(scratch.ab);
    close_keys(&keys);
    PyBuffer_Release(&query);
    return result;
}

/* The indexes of the scores (0-256) at or above the highest floor that keeps at least `count`,
 * in order: index.py's _best. Returns how many, written to `kept`. */
static Py_ssize_t best(const int32_t *scores, Py_ssize_t n, Py_ssize_t count, Py_ssize_t *kept) {
    /* Four histograms taken in turn, so that runs of one score do not wait on one counter. */
    Py_ssize_t partial[4][257] = {{0}}, histogram[257];
    Py_ssize_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int h = 0; h < 4; h++) partial[h][scores[i + h]]++;
    for (; i < n; i++) partial[0][scores[i]]++;
    for (int s = 0; s <= 256; s++)
        histogram[s] = partial[0][s] + partial[1][s] + partial[2][s] + partial[3][s];
    int floor = -1;
    Py_ssize_t total = 0;
    for (int s = 256; s >= 0; s--) {
        total += histogram[s];
        if (total >= count) {
            floor = s;
            break;
        }
    }
    Py_ssize_t k = 0;
    for (i = 0; i < n; i++)
        if (scores[i] >= floor) kept[k++] = i;
    return k;
}

/* shared * 512 // total, as numpy computes it (0 when total is 0), without an integer division:
 * one per position was most of a shortlist's time. shared * 512 is below 2^18 and total below
 * 2^10, so a quotient that is not a whole number is at least 1/total = 2^-10 from one, far more
 * than the rounding of a multiplication by 1/total; the 1e-9 keeps a whole quotient whole. */
#define DIVISORS 1024
static double reciprocal[DIVISORS];

static inline int32_t dice_256(int32_t shared, int32_t total) {
    if (total <= 0 || total >= DIVISORS) return total > 0 ? shared * 512 / total : 0;
    return (int32_t)((double)(shared * 512) * reciprocal[total] + 1e-9);
}

/* Dice x 256 of the folded signatures (the four words of each in one), from an array of them
 * alone: the first cut reads thousands of positions, and a quarter of the bytes of the rows. */
COUNTS_BITS static void coarse_scores(const uint64_t *coarse, const int64_t *at, Py_ssize_t n,
                                      const unsigned long long *q, int32_t *scores) {
    uint64_t folded = q[0] | q[1] | q[2] | q[3];
    int32_t folded_bits = __builtin_popcountll(folded);
    for (Py_ssize_t i = 0; i < n; i++) __builtin_prefetch(coarse + at[i]);
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t c = coarse[at[i]];
        int32_t shared = __builtin_popcountll(c & folded);
        scores[i] = dice_256(shared, __builtin_popcountll(c) + folded_bits);
    }
}

/* Dice x 256 of the whole signatures (four words, one per class of bigrams). Every row is asked
 * for before any is read, as find_keys does with keys: a shortlist's rows, 32 bytes each, fit
 * in the core's cache, and their misses overlap. */
COUNTS_BITS static void fine_scores(const uint64_t *row, const int64_t *at, Py_ssize_t n,
                                    const unsigned long long *q, int32_t *scores) {
    int32_t own = __builtin_popcountll(q[0]) + __builtin_popcountll(q[1]) +
                  __builtin_popcountll(q[2]) + __builtin_popcountll(q[3]);
    for (Py_ssize_t i = 0; i < n; i++) __builtin_prefetch(row + 4 * at[i]);
    for (Py_ssize_t i = 0; i < n; i++) {
        const uint64_t *r = row + 4 * at[i];
        int32_t shared = __builtin_popcountll(r[0] & q[0]) + __builtin_popcountll(r[1] & q[1]) +
                         __builtin_popcountll(r[2] & q[2]) + __builtin_popcountll(r[3] & q[3]);
        int32_t total = __builtin_popcountll(r[0]) + __builtin_popcountll(r[1]) +
                        __builtin_popcountll(r[2]) + __builtin_popcountll(r[3]) + own;
        scores[i] = dice_256(shared, total);
    }
}

/* shortlist(positions, rows, coarse, signature, shortlist, first_cut, out) -> count: index.py's
 * _shortlist, the kept positions written to out in order. rows[p] is the bigram signature of the
 * key at posting position p, four 64-bit words in one 32-byte row, so that one cache line holds
 * all of it, and coarse[p] the four folded into one; the bit counts numpy keeps beside them are
 * worked out here. */
static PyObject *shortlist(PyObject *self, PyObject *args) {
    PyObject *positions_object, *rows_object, *coarse_object, *out_object;
    unsigned long long q[4];
    Py_ssize_t list_size, first_cut;
    if (!PyArg_ParseTuple(args, "OOO(KKKK)nnO", &positions_object, &rows_object, &coarse_object,
                          &q[0], &q[1], &q[2], &q[3], &list_size, &first_cut, &out_object))
        return NULL;
    Buffer positions = {0}, rows = {0}, coarse = {0}, out = {0};
    int32_t *scores = NULL;
    Py_ssize_t *kept = NULL;
    int64_t *cut = NULL;
    PyObject *result = NULL;
    if (get_buffer(positions_object, &positions, 8, 0, "positions") < 0 ||
        get_buffer(rows_object, &rows, 8, 0, "rows") < 0 ||
        get_buffer(coarse_object, &coarse, 8, 0, "coarse") < 0 ||
        get_buffer(out_object, &out, 8, 1, "out") < 0)
        goto done;
    Py_ssize_t n = count_of(&positions), size = count_of(&rows) / 4;
    if (count_of(&coarse) != size) {
        PyErr_SetString(PyExc_ValueError, "rows and coarse differ in length");
        goto done;
    }
    if (count_of(&out) < n) {
        PyErr_SetString(PyExc_ValueError, "out is shorter than positions");
        goto done;
    }
    const int64_t *position = positions.view.buf;
    for (Py_ssize_t i = 0; i < n; i++)
        if (position[i] < 0 || position[i] >= size) {
            PyErr_SetString(PyExc_IndexError, "position out of range");
            goto done;
        }
    scores = malloc((size_t)(n ? n : 1) * sizeof(int32_t));
    kept = malloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    cut = malloc((size_t)(n ? n : 1) * sizeof(int64_t));
    if (scores == NULL || kept == NULL || cut == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    const uint64_t *row = rows.view.buf;
    /* First, many positions are cut on the folded signature (the four words in one). */
    const int64_t *at = position;
    if (n > first_cut * list_size) {
        coarse_scores(coarse.view.buf, position, n, q, scores);
        Py_ssize_t k = best(scores, n, first_cut * list_size, kept);
        for (Py_ssize_t i = 0; i < k; i++) cut[i] = position[kept[i]];
        n = k;
        at = cut;
    }
    fine_scores(row, at, n, q, scores);
    Py_ssize_t k = best(scores, n, list_size, kept);
    int64_t *written = out.view.buf;
    for (Py_ssize_t i = 0; i < k; i++) written[i] = at[kept[i]];
    result = PyLong_FromSsize_t(k);
done:
    free(scores);
    free(kept);
    free(cut);
    release(&positions);
    release(&rows);
    release(&coarse);
    release(&out);
    return result;
}

static PyMethodDef methods[] = {
    {"ratios", ratios, METH_VARARGS, "fuzz.ratio of a query against keys of a buffer."},
    {"token_set_ratios", token_set_ratios, METH_VARARGS,
     "fuzz.token_set_ratio of a query against keys of a buffer."},
    {"shortlist", shortlist, METH_VARARGS, "The positions whose keys share most bigrams."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_kernels",
    "Compiled inner loops of the name index (see index.py for what each computes).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__kernels(void) {
    for (int d = 1; d < DIVISORS; d++) reciprocal[d] = 1.0 / d;
    return PyModule_Create(&module);
}
