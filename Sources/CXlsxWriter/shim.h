// libxlsxwriter (Debian's libxlsxwriter-dev, pkg-config "xlsxwriter") for writing .xlsx workbooks.
#include <xlsxwriter.h>
