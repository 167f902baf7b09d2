#ifndef PINGYI_CQRENCODE_SHIM_H
#define PINGYI_CQRENCODE_SHIM_H

#include <qrencode.h>

#endif
