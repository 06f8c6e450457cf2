/* SPDX-License-Identifier: GPL-3.0-or-later */
/* internal.h -- transitional: includes the private header of every layer.
 * New code includes the layer header it needs (core.h, model_private.h,
 * kinetics_private.h). */
#ifndef HL_INTERNAL_H
#define HL_INTERNAL_H

#include "core.h"
#include "model_private.h"
#include "kinetics_private.h"

#endif
