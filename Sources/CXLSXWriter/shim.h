/* libxlsxwriter, for the RKAT target tables (xlsx export). */
#ifndef RKAT_CXLSXWRITER_SHIM_H
#define RKAT_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
