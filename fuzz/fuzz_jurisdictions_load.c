/* fuzz/fuzz_jurisdictions_load.c - the deadline rules file: any bytes give
 * rules or diagnostics with positions, never a crash; loaded rules answer a
 * deadline query without one. */
#include "arbiter/jurisdiction.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ar_ctx *ctx;
    static char path[64];
    if (!ctx) {
        if (ar_ctx_new(NULL, &ctx, NULL) != AR_OK)
            abort();
        snprintf(path, sizeof path, "/tmp/fuzz-jur-%d.yaml", (int)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    ar_jurisdictions *j = NULL;
    ar_diag_list diags;
    ar_diag_list_init(&diags, ctx);
    ar_error err = {0};
    ar_status st = ar_jurisdictions_load(ctx, path, &j, &diags, &err);
    if (st == AR_OK) {
        ar_deadline d;
        ar_error qerr;
        (void)ar_jurisdictions_deadline(j, "IN", "IT Rules 2021", "content_restriction", true,
                                        1795168800, &d, &qerr);
    } else {
        if (j || err.message[0] == '\0')
            abort(); /* a refusal says why */
        for (size_t i = 0; i < diags.n; i++)
            if (diags.v[i].message[0] == '\0')
                abort();
    }
    ar_jurisdictions_free(j);
    ar_diag_list_free(&diags);
    return 0;
}
