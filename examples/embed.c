/*
 * examples/embed.c - libarbiter inside a program: load a policy once, then
 * check texts against the compiled engine.
 *
 *   cc embed.c $(pkg-config --cflags --libs arbiter) -o embed
 *   ./embed policies/default.yaml 'Click here to claim your FR33 M0NEY'
 */
#include <arbiter/arbiter.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: embed POLICY TEXT\n");
        return 2;
    }
    ar_ctx *ctx = NULL;
    ar_engine *engine = NULL;
    ar_check_scratch *scratch = NULL;
    ar_verdict v;
    ar_error err = {0};
    if (ar_ctx_new(NULL, &ctx, &err) != AR_OK ||
        ar_engine_load_file(ctx, argv[1], &engine, &err) != AR_OK ||
        ar_check_scratch_new(ctx, &scratch, &err) != AR_OK ||
        ar_check_text(engine, scratch, argv[2], strlen(argv[2]), NULL, &v, &err) != AR_OK) {
        char msg[600];
        ar_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "embed: %s\n", msg);
        return 1;
    }
    printf("flagged: %s, action: %s\n", v.flagged ? "yes" : "no", ar_action_name(v.action));
    for (size_t i = 0; i < v.nmatches; i++)
        printf("  %s / %s at bytes %u..%u: %.*s\n", v.matches[i].standard, v.matches[i].rule,
               v.matches[i].start, v.matches[i].end, (int)(v.matches[i].end - v.matches[i].start),
               argv[2] + v.matches[i].start);
    ar_check_scratch_free(scratch);
    ar_engine_release(engine);
    ar_ctx_free(ctx);
    return 0;
}
