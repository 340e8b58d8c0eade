/* SPDX-License-Identifier: MIT */
/* Network defaults: the same board as mps2-an385 */
#include "../mps2-an385/board_net.h"
