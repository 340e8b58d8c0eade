/**
 * @file vt/vt.h
 * @brief Everything an application needs: threads, primitives, pool, group.
 */
#ifndef VT_VT_H
#define VT_VT_H

#include "vt/thread.h"
#include "vt/sync.h"
#include "vt/pool.h"
#include "vt/shared.h"

#endif /* VT_VT_H */
