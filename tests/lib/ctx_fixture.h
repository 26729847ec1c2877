/* tests/lib/ctx_fixture.h - the cmocka fixture most unit tests share: a
 * fresh ar_ctx (default allocator and log) as the test's state, freed
 * after it. Include after <cmocka.h>. */
#ifndef AR_TEST_CTX_FIXTURE_H
#define AR_TEST_CTX_FIXTURE_H

#include "arbiter/common.h"

static inline int ctx_setup(void **state)
{
    ar_ctx *ctx = NULL;
    ar_error err;
    if (ar_ctx_new(NULL, &ctx, &err) != AR_OK)
        return -1;
    *state = ctx;
    return 0;
}

static inline int ctx_teardown(void **state)
{
    ar_ctx_free(*state);
    return 0;
}

#endif
