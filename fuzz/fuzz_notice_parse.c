/* fuzz/fuzz_notice_parse.c - the notice parser (a user's or trusted
 * flagger's report, DSA Art. 16): any bytes give a parsed notice whose
 * strings are valid and bounded, or a clear error, never a crash. */
#include "arbiter/workflow.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ar_notice *n = NULL;
    ar_error err = {0};
    ar_status st = ar_notice_parse(NULL, (const char *)data, size, &n, &err);
    if (st == AR_OK) {
        const ar_notice_in *in = ar_notice_fields(n);
        if (!in || !in->item.platform_id || !in->notifier_kind || !in->category ||
            !in->explanation || !in->location || strlen(in->item.platform_id) > 256 ||
            (in->item.text && strlen(in->item.text) != in->item.text_len))
            abort();
    } else if (n || err.message[0] == '\0' || err.status != st) {
        abort(); /* every refusal says why */
    }
    ar_notice_free(n);
    return 0;
}
