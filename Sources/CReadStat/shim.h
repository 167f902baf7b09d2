// ReadStat (Debian's libreadstat-dev) for reading and writing SPSS .sav and Stata .dta files.
// Debian ships no pkg-config file for it, so the module map links "readstat" by name.
#include <readstat.h>
