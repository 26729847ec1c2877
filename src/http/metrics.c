/*
 * metrics.c - counters for /metrics in Prometheus' text format: requests by
 * route pattern and status, a latency histogram, checks and verdicts per
 * standard, policy reloads. Counting is lock-free except verdicts per
 * standard (a small map under a mutex, touched only by flagged checks).
 */
#include "http/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned statuses[] = {200, 400, 401, 403, 404, 405, 409, 413, 429, 500, 503, 0};
#define NSTATUS (sizeof statuses / sizeof statuses[0])
static const uint64_t bounds_us[AR_HTTP_LATENCY_BUCKETS] = {
    100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000};
#define MAX_STANDARDS 1000

struct verdict_count {
    char id[AR_POLICY_MAX_ID_BYTES + 1];
    uint64_t n;
};

void ar_http_metrics_init(ar_http_metrics *m)
{
    memset(m, 0, sizeof *m);
    m->requests = calloc((ar_http_nroutes + 1) * NSTATUS, sizeof *m->requests);
    pthread_mutex_init(&m->lock, NULL);
}

void ar_http_metrics_fini(ar_http_metrics *m)
{
    free((void *)m->requests);
    free(m->verdicts);
    m->requests = NULL;
    m->verdicts = NULL;
    pthread_mutex_destroy(&m->lock);
}

void ar_http_metrics_request(ar_http_metrics *m, size_t route_index, unsigned status,
                             uint64_t micros)
{
    size_t s = 0;
    while (statuses[s] && statuses[s] != status)
        s++;
    if (m->requests && route_index <= ar_http_nroutes)
        atomic_fetch_add(&m->requests[route_index * NSTATUS + s], 1);
    size_t b = 0;
    while (b < AR_HTTP_LATENCY_BUCKETS && micros > bounds_us[b])
        b++;
    atomic_fetch_add(&m->latency[b], 1);
    atomic_fetch_add(&m->latency_sum_us, micros);
    atomic_fetch_add(&m->latency_count, 1);
}

static void count_standard(ar_http_metrics *m, const char *id)
{
    for (size_t i = 0; i < m->nverdicts; i++)
        if (!strcmp(m->verdicts[i].id, id)) {
            m->verdicts[i].n++;
            return;
        }
    if (m->nverdicts == MAX_STANDARDS)
        return;
    if (m->nverdicts == m->capverdicts) {
        size_t cap = m->capverdicts ? m->capverdicts * 2 : 16;
        struct verdict_count *p = realloc(m->verdicts, cap * sizeof *p);
        if (!p)
            return;
        m->verdicts = p;
        m->capverdicts = cap;
    }
    struct verdict_count *v = &m->verdicts[m->nverdicts++];
    snprintf(v->id, sizeof v->id, "%s", id);
    v->n = 1;
}

void ar_http_metrics_verdict(ar_http_metrics *m, const ar_verdict *v)
{
    atomic_fetch_add(&m->checks, 1);
    if (!v->flagged || !v->nmatches)
        return;
    pthread_mutex_lock(&m->lock);
    for (size_t i = 0; i < v->nmatches; i++) { /* each standard once per verdict */
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(v->matches[j].standard, v->matches[i].standard);
        if (!seen)
            count_standard(m, v->matches[i].standard);
    }
    pthread_mutex_unlock(&m->lock);
}

/* Label values: escape backslash, quote and newline. */
static void label(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            fputc('\\', f);
        if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
}

char *ar_http_metrics_render(ar_http_metrics *m, size_t *len)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    fputs("# HELP arbiter_http_requests_total HTTP requests by route pattern and status.\n"
          "# TYPE arbiter_http_requests_total counter\n",
          f);
    for (size_t r = 0; r <= ar_http_nroutes; r++)
        for (size_t s = 0; s < NSTATUS; s++) {
            uint64_t n = atomic_load(&m->requests[r * NSTATUS + s]);
            if (!n)
                continue;
            fputs("arbiter_http_requests_total{method=\"", f);
            fputs(r < ar_http_nroutes ? ar_http_method_name(ar_http_routes[r].method) : "", f);
            fputs("\",route=\"", f);
            label(f, r < ar_http_nroutes ? ar_http_routes[r].pattern : "(none)");
            if (statuses[s])
                fprintf(f, "\",status=\"%u\"} %llu\n", statuses[s], (unsigned long long)n);
            else
                fprintf(f, "\",status=\"other\"} %llu\n", (unsigned long long)n);
        }
    fputs("# HELP arbiter_http_request_duration_seconds Time from routing to response.\n"
          "# TYPE arbiter_http_request_duration_seconds histogram\n",
          f);
    uint64_t cum = 0;
    for (size_t b = 0; b < AR_HTTP_LATENCY_BUCKETS; b++) {
        cum += atomic_load(&m->latency[b]);
        fprintf(f, "arbiter_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                (double)bounds_us[b] / 1e6, (unsigned long long)cum);
    }
    cum += atomic_load(&m->latency[AR_HTTP_LATENCY_BUCKETS]);
    fprintf(f, "arbiter_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
            (unsigned long long)cum);
    fprintf(f, "arbiter_http_request_duration_seconds_sum %.6f\n",
            (double)atomic_load(&m->latency_sum_us) / 1e6);
    fprintf(f, "arbiter_http_request_duration_seconds_count %llu\n",
            (unsigned long long)atomic_load(&m->latency_count));
    fprintf(f, "# HELP arbiter_checks_total Items checked.\n# TYPE arbiter_checks_total counter\n"
               "arbiter_checks_total %llu\n",
            (unsigned long long)atomic_load(&m->checks));
    fputs("# HELP arbiter_verdicts_total Flagged verdicts per community standard.\n"
          "# TYPE arbiter_verdicts_total counter\n",
          f);
    pthread_mutex_lock(&m->lock);
    for (size_t i = 0; i < m->nverdicts; i++) {
        fputs("arbiter_verdicts_total{standard=\"", f);
        label(f, m->verdicts[i].id);
        fprintf(f, "\"} %llu\n", (unsigned long long)m->verdicts[i].n);
    }
    pthread_mutex_unlock(&m->lock);
    fprintf(f, "# HELP arbiter_policy_reloads_total Engine swaps, and rejected policies.\n"
               "# TYPE arbiter_policy_reloads_total counter\n"
               "arbiter_policy_reloads_total{result=\"ok\"} %llu\n"
               "arbiter_policy_reloads_total{result=\"rejected\"} %llu\n",
            (unsigned long long)atomic_load(&m->reloads),
            (unsigned long long)atomic_load(&m->reload_failures));
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    *len = size;
    return buf;
}
