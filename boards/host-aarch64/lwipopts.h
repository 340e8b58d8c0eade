/* lwIP sizes: the host board's */
#include "../host/lwipopts.h"
