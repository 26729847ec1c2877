/*
 * arbiter/arbiter.h - the umbrella header of libarbiter.
 *
 * The flow runs one way: input -> normalise (text) -> match -> verdict
 * (policy, check) -> decision -> visibility and reports. Each module's
 * header states its contract and thread safety.
 */
#ifndef ARBITER_ARBITER_H
#define ARBITER_ARBITER_H

#include "arbiter/common.h"
#include "arbiter/text.h"
#include "arbiter/url.h"
#include "arbiter/lists.h"
#include "arbiter/match.h"
#include "arbiter/policy.h"
#include "arbiter/check.h"
#include "arbiter/store.h"
#include "arbiter/audit.h"
#include "arbiter/visibility.h"
#include "arbiter/jurisdiction.h"
#include "arbiter/workflow.h"
#include "arbiter/token.h"
#include "arbiter/report.h"
#include "arbiter/image.h"

#endif
