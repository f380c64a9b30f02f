/* The glue loops of the PREDICT benefit table, compiled: no model equations live here.

Per patient and year row, the breast-cancer log survival of each treatment column is one
look-up in the version's folded hazard table times exp(PI); the other-cause log survival of the
column's harm key is added; one exp gives S_oth x S_br; each benefit is the difference of two
columns, scaled, and either written as it is or rounded to the nearest whole tenth with the
cells within a hair of a tie flagged, so that R's exact rule (spec sec. 1.5) decides them in
Python. The order of every operation is that of kernel.table_chunk and tables.nearest_with_ties,
so the rounded cells are identical and the unrounded ones differ only by the exp's last place.
Called through ctypes (which releases the GIL), one call a chunk of patients a thread.
Source: docs/models/predict.md; WintonCentre/predict-v30-r, commit 42223bc.
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <float.h>
#include <math.h>
#include <stdint.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__)
/* glibc's libmvec has this exp for 2, 4 and 8 doubles at once (SSE2, AVX2, AVX-512): declared
   so, the compiler vectorises the loops that call it */
double exp(double) __attribute__((simd("notinbranch")));
#endif

#define BLOCK 128   /* patients a pass: the working rows stay in the L1 cache */
#define MAX_COLUMNS 32
#define MAX_KEYS 8

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
/* One build for every x86-64: the loops are compiled again for AVX2 and AVX-512 and the
   fastest the processor has is chosen when the library is loaded. */
#define WIDEST __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define WIDEST
#endif

/* k / divisor as IEEE division rounds it, without the division: for an integer k, the product
   with the rounded reciprocal corrected by one fused multiply-add (Markstein's theorem: the
   reciprocal correctly rounded, the first quotient within an ulp). The sign of a zero and a
   non-finite k are carried over as division would. A division costs as much as the rest of a
   cell's arithmetic; checked against division for every integer up to 2^32 in magnitude. */
static inline double quotient(double k, double divisor, double reciprocal)
{
    double q = k * reciprocal;
    double r = __builtin_fma(-q, divisor, k);
    q = copysign(__builtin_fma(r, reciprocal, q), k);
    return fabs(k) <= DBL_MAX ? q : k;
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* Copy n doubles to dst with stores that bypass the caches: the output is written once and
   read much later, and a normal store would first read each line of it from memory. */
static inline void stream(double *dst, const double *src, int64_t n)
{
    int64_t b = 0;
    if (n > 0 && ((uintptr_t)dst & 15) != 0) { dst[0] = src[0]; b = 1; }
    for (; b + 2 <= n; b += 2) _mm_stream_pd(dst + b, _mm_loadu_pd(src + b));
    for (; b < n; b++) dst[b] = src[b];
}
static inline void finish_streams(void) { _mm_sfence(); }
#else
static inline void stream(double *dst, const double *src, int64_t n)
{
    for (int64_t b = 0; b < n; b++) dst[b] = src[b];
}
static inline void finish_streams(void) {}
#endif

/* The benefit table of m patients into out[pair * stride_pair + row * stride_row + patient].
   hazard is [treatment state x group][row x column] (kernel.TablePlan.hazard transposed);
   other is [key][patient] with rows other_stride apart. Rounded: out = rint(y) / divide_by
   and near[patient] = 1 where a cell lies further than near_tie from its rounded value;
   else out = y x times_after. y = exp(...+ log_times) of column b less that of column a.
   Returns the number of patients near a tie, or -1 if the shape is beyond the fixed room. */
WIDEST
int64_t axilla_table_cells(
    int64_t m, const double *scale, const int64_t *index, const double *other,
    int64_t other_stride, const double *hazard, int64_t n_index, int64_t n_rows,
    int64_t n_columns, const double *other_base, const int64_t *key_of_column,
    int64_t n_keys, int64_t n_pairs, const int64_t *pair_a, const int64_t *pair_b,
    double log_times, int32_t add_log, int32_t rounded, double times_after,
    double divide_by, double near_tie, double *out, int64_t stride_pair,
    int64_t stride_row, uint8_t *near)
{
    if (n_columns > MAX_COLUMNS || n_keys > MAX_KEYS || n_index < 1)
        return -1;
    for (int64_t j = 0; j < n_columns; j++)
        if (key_of_column[j] < 0 || key_of_column[j] >= n_keys) return -1;
    for (int64_t p = 0; p < n_pairs; p++)
        if (pair_a[p] < 0 || pair_a[p] >= n_columns || pair_b[p] < 0 || pair_b[p] >= n_columns)
            return -1;
    /* Every pass runs over a whole block, the patients past the end padded with zeros, so that
       each patient's exps are taken by the same vectorised code whatever the chunking. */
    double s[MAX_COLUMNS][BLOCK];
    double h_oth[MAX_KEYS][BLOCK];
    double sc[BLOCK], cells[BLOCK];
    double worst[BLOCK];  /* the largest |y - rint(y)| of the patient's cells */
    int64_t at[BLOCK];
    const int64_t width = n_rows * n_columns;
    const double reciprocal = 1.0 / divide_by;
    for (int64_t i0 = 0; i0 < m; i0 += BLOCK) {
        const int64_t nb = m - i0 < BLOCK ? m - i0 : BLOCK;
        for (int64_t b = 0; b < BLOCK; b++) {
            int64_t i = b < nb ? index[i0 + b] : 0;  /* as np.take(mode="clip") */
            i = i < 0 ? 0 : (i >= n_index ? n_index - 1 : i);
            at[b] = i * width;
            sc[b] = b < nb ? scale[i0 + b] : 0.0;
            worst[b] = 0.0;
        }
        for (int64_t r = 0; r < n_rows; r++) {
            const double base = other_base[r];
            for (int64_t key = 0; key < n_keys; key++) {
                const double *o = other + key * other_stride + i0;
                double *h = h_oth[key];
                for (int64_t b = 0; b < BLOCK; b++) h[b] = b < nb ? o[b] * base : 0.0;
                if (add_log)
                    for (int64_t b = 0; b < BLOCK; b++) h[b] = h[b] + log_times;
            }
            for (int64_t j = 0; j < n_columns; j++) {
                const double *hz = hazard + r * n_columns + j;
                const double *h = h_oth[key_of_column[j]];
                double *sj = s[j];
                for (int64_t b = 0; b < BLOCK; b++) sj[b] = hz[at[b]] * sc[b] + h[b];
                for (int64_t b = 0; b < BLOCK; b++) sj[b] = exp(sj[b]);
            }
            for (int64_t p = 0; p < n_pairs; p++) {
                const double *sa = s[pair_a[p]], *sb = s[pair_b[p]];
                if (rounded) {
                    for (int64_t b = 0; b < BLOCK; b++) {
                        double y = sb[b] - sa[b];
                        double k = rint(y);
                        double d = fabs(y - k);
                        worst[b] = d > worst[b] ? d : worst[b];  /* (NaN: not near) */
                        cells[b] = quotient(k, divide_by, reciprocal);
                    }
                } else {
                    for (int64_t b = 0; b < BLOCK; b++) cells[b] = (sb[b] - sa[b]) * times_after;
                }
                stream(out + p * stride_pair + r * stride_row + i0, cells, nb);
            }
        }
        for (int64_t b = 0; b < nb; b++) near[i0 + b] = worst[b] > near_tie;
    }
    finish_streams();
    int64_t found = 0;
    for (int64_t i = 0; i < m; i++) found += near[i];
    return found;
}

/* The revision of the argument lists above, checked by compiled.py before any call, so that a
   build left over from another revision is never called with the wrong arguments. */
int64_t axilla_table_abi(void) { return 1; }

/* out = k / divisor as the loops above form it, for the tests that compare it with division. */
WIDEST
void axilla_table_quotients(int64_t n, const double *k, double divisor, double *out)
{
    const double reciprocal = 1.0 / divisor;
    for (int64_t i = 0; i < n; i++) out[i] = quotient(k[i], divisor, reciprocal);
}

/* An importable module with no functions, so that any build tool can build and install it as
   an extension; the loops above are reached through ctypes. */
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_tablekernel", NULL, -1, NULL};

PyMODINIT_FUNC PyInit__tablekernel(void) { return PyModule_Create(&module); }
