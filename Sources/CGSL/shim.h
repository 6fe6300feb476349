/* The GSL headers rkat uses, plus getters for GSL's `extern const` globals,
   which Swift 6 rejects as shared mutable state. */
#ifndef RKAT_CGSL_SHIM_H
#define RKAT_CGSL_SHIM_H
#define HAVE_INLINE 1
#define GSL_RANGE_CHECK_OFF 1
#include <gsl/gsl_version.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

static inline const gsl_multifit_nlinear_type *cgsl_nlinear_trust(void) { return gsl_multifit_nlinear_trust; }
static inline const gsl_multifit_nlinear_trs *cgsl_trs_lm(void) { return gsl_multifit_nlinear_trs_lm; }
static inline const gsl_multifit_nlinear_trs *cgsl_trs_lmaccel(void) { return gsl_multifit_nlinear_trs_lmaccel; }
static inline const gsl_multifit_nlinear_scale *cgsl_scale_more(void) { return gsl_multifit_nlinear_scale_more; }
static inline const gsl_multifit_nlinear_solver *cgsl_solver_qr(void) { return gsl_multifit_nlinear_solver_qr; }
static inline const gsl_multifit_nlinear_solver *cgsl_solver_cholesky(void) { return gsl_multifit_nlinear_solver_cholesky; }
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *cgsl_rng_taus2(void) { return gsl_rng_taus2; }
static inline const char *cgsl_version(void) { return gsl_version; }

#endif
