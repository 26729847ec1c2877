/*
 * rate_load.c - an open-loop HTTP/1.1 load generator: a fixed request rate
 * over N keep-alive connections, latency measured from each request's
 * scheduled send time (wrk2's method; Debian has no wrk2).
 *
 * Why open loop: a closed-loop client (wrk) waits for each answer before
 * sending the next, so a server stall also stalls the client and the slow
 * requests that should have been sent during the stall are never measured
 * ("coordinated omission"). Here request k is due at t0 + k/rate whatever
 * happens; if no connection is free when it is due, it waits, and its
 * latency includes the wait.
 *
 * usage: bench_http_rate_load -R RATE -c CONNS -d SECONDS [-w WARMUP_S]
 *            [-m METHOD] [-H 'Name: value']... [-b BODY_FILE] http://127.0.0.1:PORT/path
 * Prints one line: sent, ok (2xx), non-2xx, errors, unsent (still queued at
 * the end: the rate was not sustained), the rate achieved, then latency
 * p50/p90/p99/p99.9/max in milliseconds over the requests after the warm-up.
 * Exit 0 if every request was answered 2xx, 1 otherwise, 2 on bad usage.
 *
 * One thread, epoll and a timerfd armed at the next due time (nanosecond
 * resolution, so send jitter does not inflate latency). IPv4 only.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS   1024
#define MAX_HEADERS 16
#define RESP_BUF    65536 /* a response larger than this is an error here */
#define DRAIN_S     5     /* after the run, how long answers may still come */

typedef struct conn {
    int fd;
    bool busy;          /* a request is in flight */
    uint64_t due_ns;    /* the scheduled send time of the request in flight */
    size_t sent;        /* bytes of the request written so far */
    char buf[RESP_BUF]; /* the response read so far */
    size_t got;
} conn;

typedef struct load {
    struct sockaddr_in addr;
    char *request; /* the whole request, headers and body */
    size_t request_len;
    double rate;
    unsigned nconns;
    double seconds, warmup;
    conn *conns;
    int ep;
    uint64_t t0;
    uint64_t next_k; /* the next request to send */
    uint64_t sent, ok, non2xx, errors;
    uint32_t *lat_us; /* per measured request */
    size_t nlat, caplat;
} load;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t due_of(const load *l, uint64_t k)
{
    return l->t0 + (uint64_t)((double)k * 1e9 / l->rate);
}

static void die(const char *what)
{
    fprintf(stderr, "rate_load: %s: %s\n", what, strerror(errno));
    exit(2);
}

/*---- Connections ----------------------------------------------------------*/

static void conn_open(load *l, conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        die("socket");
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&l->addr, sizeof l->addr) != 0 && errno != EINPROGRESS)
        die("connect");
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = c};
    if (epoll_ctl(l->ep, EPOLL_CTL_ADD, c->fd, &ev) != 0)
        die("epoll_ctl");
    c->busy = false;
    c->got = c->sent = 0;
}

/* The server closed or broke the connection: the request in flight (if
 * any) failed; open a fresh connection in its place. */
static void conn_reset(load *l, conn *c)
{
    if (c->busy)
        l->errors++;
    close(c->fd);
    conn_open(l, c);
}

static void conn_write(load *l, conn *c)
{
    while (c->busy && c->sent < l->request_len) {
        ssize_t n = send(c->fd, l->request + c->sent, l->request_len - c->sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR || errno == ENOTCONN)
                return; /* still connecting, or the socket buffer is full */
            conn_reset(l, c);
            return;
        }
        c->sent += (size_t)n;
    }
}

/* Length of a complete response at the start of buf, 0 if incomplete,
 * -1 if malformed. Sets *status. Needs Content-Length (MHD always sends it
 * for buffer responses). */
static long response_length(const char *buf, size_t got, unsigned *status)
{
    const char *end = memmem(buf, got, "\r\n\r\n", 4);
    if (!end)
        return got >= RESP_BUF ? -1 : 0;
    if (got < 12 || memcmp(buf, "HTTP/1.", 7) != 0)
        return -1;
    *status = (unsigned)atoi(buf + 9);
    size_t head = (size_t)(end - buf) + 4;
    long body = -1;
    for (const char *p = buf; p < end;) {
        const char *eol = memmem(p, (size_t)(end - p) + 2, "\r\n", 2);
        if (!eol)
            break;
        if ((size_t)(eol - p) > 15 && !strncasecmp(p, "Content-Length:", 15))
            body = strtol(p + 15, NULL, 10);
        p = eol + 2;
    }
    if (body < 0 || head + (size_t)body > RESP_BUF)
        return -1;
    return got >= head + (size_t)body ? (long)(head + (size_t)body) : 0;
}

static void record(load *l, const conn *c, unsigned status, uint64_t t)
{
    if (status >= 200 && status < 300)
        l->ok++;
    else
        l->non2xx++;
    if (c->due_ns < l->t0 + (uint64_t)(l->warmup * 1e9))
        return;
    if (l->nlat == l->caplat) {
        l->caplat = l->caplat ? 2 * l->caplat : 65536;
        if (!(l->lat_us = realloc(l->lat_us, l->caplat * sizeof *l->lat_us)))
            die("realloc");
    }
    uint64_t us = (t - c->due_ns) / 1000;
    l->lat_us[l->nlat++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

static void conn_read(load *l, conn *c)
{
    for (;;) {
        ssize_t n = recv(c->fd, c->buf + c->got, RESP_BUF - c->got, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR || errno == ENOTCONN))
            return;
        if (n <= 0) {
            conn_reset(l, c);
            return;
        }
        c->got += (size_t)n;
        unsigned status = 0;
        long len = response_length(c->buf, c->got, &status);
        if (len < 0 || (len > 0 && !c->busy)) {
            conn_reset(l, c);
            return;
        }
        if (len > 0) {
            record(l, c, status, now_ns());
            memmove(c->buf, c->buf + len, c->got - (size_t)len);
            c->got -= (size_t)len;
            c->busy = false;
        }
    }
}

/*---- The schedule --------------------------------------------------------*/

/* Send every request that is due on a free connection. */
static void send_due(load *l, uint64_t now, uint64_t end)
{
    for (unsigned i = 0; i < l->nconns; i++) {
        uint64_t due = due_of(l, l->next_k);
        if (due > now || due >= end)
            return;
        conn *c = &l->conns[i];
        if (c->busy)
            continue;
        c->busy = true;
        c->sent = 0;
        c->due_ns = due;
        l->next_k++;
        l->sent++;
        conn_write(l, c);
    }
}

static void arm(int tfd, uint64_t at_ns)
{
    struct itimerspec its = {.it_value = {.tv_sec = (time_t)(at_ns / 1000000000u),
                                          .tv_nsec = (long)(at_ns % 1000000000u)}};
    if (timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL) != 0)
        die("timerfd_settime");
}

static void run(load *l)
{
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (tfd < 0)
        die("timerfd_create");
    struct epoll_event tev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(l->ep, EPOLL_CTL_ADD, tfd, &tev);
    l->t0 = now_ns() + 100000000u; /* connections open during the first 100 ms */
    uint64_t end = l->t0 + (uint64_t)(l->seconds * 1e9);
    uint64_t drain_end = end + (uint64_t)DRAIN_S * 1000000000u;
    for (;;) {
        uint64_t now = now_ns();
        send_due(l, now, end);
        bool inflight = false;
        for (unsigned i = 0; i < l->nconns && !inflight; i++)
            inflight = l->conns[i].busy;
        if (now >= end && (!inflight || now >= drain_end))
            break;
        uint64_t next = due_of(l, l->next_k);
        /* backlogged (no free connection): the next answer wakes us, the
         * timer only bounds the wait */
        arm(tfd, next < end && next > now ? next : now < end ? now + 10000000u : drain_end);
        struct epoll_event evs[64];
        int n = epoll_wait(l->ep, evs, 64, 1000);
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            if (!c) {
                uint64_t ticks;
                if (read(tfd, &ticks, sizeof ticks) < 0 && errno != EAGAIN)
                    die("timerfd read");
                continue;
            }
            if (evs[i].events & (EPOLLERR | EPOLLHUP)) {
                conn_reset(l, c);
                continue;
            }
            int fd = c->fd; /* a reset replaces it: the events were for the old one */
            if (evs[i].events & EPOLLOUT)
                conn_write(l, c);
            if (c->fd == fd && (evs[i].events & EPOLLIN))
                conn_read(l, c);
        }
    }
    for (unsigned i = 0; i < l->nconns; i++)
        if (l->conns[i].busy)
            l->errors++; /* never answered */
    close(tfd);
}

/*---- Report ---------------------------------------------------------------*/

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static double pct_ms(const load *l, double p)
{
    if (!l->nlat)
        return 0;
    size_t i = (size_t)(p / 100.0 * (double)(l->nlat - 1) + 0.5);
    return l->lat_us[i] / 1000.0;
}

static void report(load *l)
{
    uint64_t scheduled = (uint64_t)(l->seconds * l->rate);
    uint64_t unsent = scheduled > l->sent ? scheduled - l->sent : 0;
    qsort(l->lat_us, l->nlat, sizeof *l->lat_us, cmp_u32);
    printf("target_rps=%.0f achieved_rps=%.0f sent=%llu ok=%llu non2xx=%llu errors=%llu "
           "unsent=%llu measured=%zu p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f "
           "max_ms=%.3f\n",
           l->rate, (double)l->ok / l->seconds, (unsigned long long)l->sent,
           (unsigned long long)l->ok, (unsigned long long)l->non2xx,
           (unsigned long long)l->errors, (unsigned long long)unsent, l->nlat, pct_ms(l, 50),
           pct_ms(l, 90), pct_ms(l, 99), pct_ms(l, 99.9),
           l->nlat ? l->lat_us[l->nlat - 1] / 1000.0 : 0.0);
}

/*---- Arguments ------------------------------------------------------------*/

static void usage(void)
{
    fprintf(stderr, "usage: bench_http_rate_load -R RATE -c CONNS -d SECONDS [-w WARMUP_S] "
                    "[-m METHOD] [-H 'Name: value']... [-b BODY_FILE] http://127.0.0.1:PORT/path\n");
    exit(2);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(path);
    char *buf = malloc(RESP_BUF);
    if (!buf)
        die("malloc");
    *len = fread(buf, 1, RESP_BUF, f);
    if (!feof(f)) {
        fprintf(stderr, "rate_load: %s: over %d bytes\n", path, RESP_BUF);
        exit(2);
    }
    fclose(f);
    return buf;
}

/* "http://A.B.C.D:PORT/path" into l->addr; returns the path. */
static const char *parse_url(load *l, const char *url)
{
    char host[64];
    unsigned port = 0;
    int used = 0;
    if (strncmp(url, "http://", 7) != 0 || sscanf(url + 7, "%63[0-9.]:%u%n", host, &port, &used) != 2 ||
        port == 0 || port > 65535 || url[7 + used] != '/')
        usage();
    l->addr.sin_family = AF_INET;
    l->addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &l->addr.sin_addr) != 1)
        usage();
    return url + 7 + used;
}

static void build_request(load *l, const char *method, const char *path, const char *host,
                          char **headers, size_t nheaders, const char *body, size_t body_len)
{
    size_t cap = 1024 + strlen(path) + body_len;
    for (size_t i = 0; i < nheaders; i++)
        cap += strlen(headers[i]) + 2;
    if (!(l->request = malloc(cap)))
        die("malloc");
    int n = snprintf(l->request, cap, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, host);
    for (size_t i = 0; i < nheaders; i++)
        n += snprintf(l->request + n, cap - (size_t)n, "%s\r\n", headers[i]);
    if (body)
        n += snprintf(l->request + n, cap - (size_t)n, "Content-Length: %zu\r\n", body_len);
    n += snprintf(l->request + n, cap - (size_t)n, "\r\n");
    if (body)
        memcpy(l->request + n, body, body_len);
    l->request_len = (size_t)n + (body ? body_len : 0);
}

int main(int argc, char **argv)
{
    load l = {.nconns = 16, .seconds = 10, .warmup = 1};
    const char *method = NULL, *body_file = NULL;
    char *headers[MAX_HEADERS];
    size_t nheaders = 0;
    int opt;
    while ((opt = getopt(argc, argv, "R:c:d:w:m:H:b:")) != -1) {
        switch (opt) {
        case 'R': l.rate = atof(optarg); break;
        case 'c': l.nconns = (unsigned)atoi(optarg); break;
        case 'd': l.seconds = atof(optarg); break;
        case 'w': l.warmup = atof(optarg); break;
        case 'm': method = optarg; break;
        case 'H':
            if (nheaders == MAX_HEADERS)
                usage();
            headers[nheaders++] = optarg;
            break;
        case 'b': body_file = optarg; break;
        default: usage();
        }
    }
    if (optind != argc - 1 || !(l.rate > 0) || l.nconns < 1 || l.nconns > MAX_CONNS ||
        !(l.seconds > 0) || l.warmup < 0 || l.warmup >= l.seconds)
        usage();
    const char *path = parse_url(&l, argv[optind]);
    char host[80];
    snprintf(host, sizeof host, "%s:%u", inet_ntoa(l.addr.sin_addr), ntohs(l.addr.sin_port));
    size_t body_len = 0;
    char *body = body_file ? read_file(body_file, &body_len) : NULL;
    build_request(&l, method ? method : body ? "POST" : "GET", path, host, headers, nheaders,
                  body, body_len);
    free(body);

    if ((l.ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
        die("epoll_create1");
    if (!(l.conns = calloc(l.nconns, sizeof *l.conns)))
        die("calloc");
    for (unsigned i = 0; i < l.nconns; i++)
        conn_open(&l, &l.conns[i]);
    run(&l);
    report(&l);
    return l.non2xx || l.errors ? 1 : 0;
}
