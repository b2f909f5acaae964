// GMP's accessor macros (mpq_numref, mpz_sgn, ...) do not import into Swift;
// these static inline wrappers expose them with no call overhead.
#ifndef EXPRESSIVITY_CGMP_SHIM_H
#define EXPRESSIVITY_CGMP_SHIM_H
#include <gmp.h>

static inline mpz_ptr cgmp_mpq_numref(mpq_ptr q) { return mpq_numref(q); }
static inline mpz_ptr cgmp_mpq_denref(mpq_ptr q) { return mpq_denref(q); }
static inline mpz_srcptr cgmp_mpq_numref_const(mpq_srcptr q) { return mpq_numref(q); }
static inline mpz_srcptr cgmp_mpq_denref_const(mpq_srcptr q) { return mpq_denref(q); }
static inline int cgmp_mpz_sgn(mpz_srcptr z) { return mpz_sgn(z); }
static inline int cgmp_mpq_sgn(mpq_srcptr q) { return mpq_sgn(q); }
static inline int cgmp_mpz_odd_p(mpz_srcptr z) { return mpz_odd_p(z); }
static inline int cgmp_mpz_cmp_si(mpz_srcptr z, long v) { return mpz_cmp_si(z, v); }
static inline size_t cgmp_mpz_size(mpz_srcptr z) { return mpz_size(z); }
#endif
