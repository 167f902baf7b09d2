#ifndef PINGYI_CGSL_SHIM_H
#define PINGYI_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_version.h>

/* GSL publishes its generator types as global mutable pointers, which Swift 6's strict
   concurrency checking rejects; these accessors return them by value. */
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }

/* The version string is a macro; expose it as a function. */
static inline const char *cgsl_version(void) { return GSL_VERSION; }

#endif
