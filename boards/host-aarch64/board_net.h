/* SPDX-License-Identifier: MIT */
/* Network defaults: the host board's */
#include "../host/board_net.h"
