/*
 * ceiling.c - the HTTP benchmark's ceiling: libmicrohttpd with the same
 * threading mode and limits as arbiterd (src/http/server.c: one epoll
 * thread per worker, MHD_USE_ITC, a thread pool when more than one thread,
 * 1024 connections, 30 s timeout, 32 KiB per connection), answering every
 * request with one fixed JSON body. Whatever arbiterd does per request
 * (routing, authorisation, JSON, the check, the lookup, logging) is what it
 * loses against this.
 *
 * usage: bench_http_ceiling THREADS
 * Listens on 127.0.0.1, an ephemeral port, printed alone on the first line
 * of stdout; runs until SIGTERM or SIGINT.
 */
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* About the size of arbiterd's verdict for a clean post. */
static const char fixed_body[] =
    "{\"id\":\"bench\",\"flagged\":false,\"action\":\"none\",\"standards\":[],"
    "\"matches\":[],\"policy\":\"0000000000000000\"}";

static struct MHD_Response *fixed_response;

/* Reads a request body (as arbiterd must, to answer a POST), then answers
 * with the one shared response. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)cls, (void)url, (void)method, (void)version, (void)upload_data;
    static int first_call_marker;
    if (!*con_cls) { /* headers are in; the body, if any, comes next */
        *con_cls = &first_call_marker;
        return MHD_YES;
    }
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    return MHD_queue_response(c, MHD_HTTP_OK, fixed_response);
}

int main(int argc, char **argv)
{
    unsigned threads = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1;
    if (argc != 2 || threads < 1 || threads > 64) {
        fprintf(stderr, "usage: bench_http_ceiling THREADS (1..64)\n");
        return 2;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* before MHD's threads start */
    signal(SIGPIPE, SIG_IGN);

    fixed_response = MHD_create_response_from_buffer(sizeof fixed_body - 1, (void *)fixed_body,
                                                     MHD_RESPMEM_PERSISTENT);
    if (!fixed_response)
        return 1;
    MHD_add_response_header(fixed_response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0,
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct MHD_OptionItem o[8];
    size_t n = 0;
    if (threads > 1) /* as arbiterd: no pool option rather than a pool of one */
        o[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, threads, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &addr};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, 1024, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, 32 * 1024, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC, 0, NULL,
                                            NULL, on_request, NULL, MHD_OPTION_ARRAY, o,
                                            MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bench_http_ceiling: libmicrohttpd failed to start\n");
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("%u\n", info ? (unsigned)info->port : 0u);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    MHD_destroy_response(fixed_response);
    return 0;
}
