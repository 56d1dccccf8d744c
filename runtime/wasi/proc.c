/*
 * WASI imports that are not about files: arguments and environment, clocks, random bytes,
 * sched_yield, proc_exit/proc_raise, poll_oneoff (clock timeouts for sleeps, readiness of
 * descriptors through poll(2)), and the socket calls on descriptors the embedder handed in.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#ifdef __APPLE__
#include <sys/random.h>
#endif

#include "runtime/wasi/wasi_impl.h"

#define NS_PER_SEC 1000000000ull

/* ---- arguments and environment ---- */

/* Writes the pointer array at `vec` and the strings at `buf` (args_get / environ_get). */
static uint16_t
strings_get(const WasiStrings *s, uint8_t *mem, uint64_t mem_size, uint32_t vec, uint32_t buf)
{
    if (!wasi_mem_ok(mem_size, vec, (uint64_t)s->count * 4) ||
        !wasi_mem_ok(mem_size, buf, s->buf_len))
        return WASI_ERRNO_FAULT;
    /* The guest address of each string must itself fit in a u32. */
    if ((uint64_t)buf + s->buf_len > UINT32_MAX + 1ull)
        return WASI_ERRNO_FAULT;
    for (uint32_t i = 0; i < s->count; i++)
        wasi_store_u32(mem + vec + (uint64_t)i * 4, buf + s->offs[i]);
    if (s->buf_len)
        memcpy(mem + buf, s->buf, s->buf_len);
    return WASI_ERRNO_SUCCESS;
}

static uint16_t
strings_sizes(const WasiStrings *s, uint8_t *mem, uint64_t mem_size, uint32_t out_count,
              uint32_t out_buf_size)
{
    if (!wasi_mem_ok(mem_size, out_count, 4) || !wasi_mem_ok(mem_size, out_buf_size, 4))
        return WASI_ERRNO_FAULT;
    wasi_store_u32(mem + out_count, s->count);
    wasi_store_u32(mem + out_buf_size, s->buf_len);
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_args_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t argv, uint32_t argv_buf)
{
    return strings_get(&ctx->args, mem, mem_size, argv, argv_buf);
}

uint16_t
wasi_args_sizes_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t out_argc,
                    uint32_t out_argv_buf_size)
{
    return strings_sizes(&ctx->args, mem, mem_size, out_argc, out_argv_buf_size);
}

uint16_t
wasi_environ_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t env_vec,
                 uint32_t env_buf)
{
    return strings_get(&ctx->env, mem, mem_size, env_vec, env_buf);
}

uint16_t
wasi_environ_sizes_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t out_count,
                       uint32_t out_buf_size)
{
    return strings_sizes(&ctx->env, mem, mem_size, out_count, out_buf_size);
}

/* ---- clocks ---- */

static bool
host_clock(uint32_t id, clockid_t *out)
{
    switch (id) {
    case WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return true;
    case WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return true;
    case WASI_CLOCK_PROCESS_CPUTIME: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case WASI_CLOCK_THREAD_CPUTIME: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

static uint64_t
ts_ns(struct timespec ts)
{
    if (ts.tv_sec < 0)
        return 0;
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* The current value of a host clock in nanoseconds (0 if the clock cannot be read). */
static uint64_t
clock_now(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) < 0)
        return 0;
    return ts_ns(ts);
}

uint16_t
wasi_clock_res_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t clock_id,
                   uint32_t out_res)
{
    (void)ctx;
    clockid_t id;
    if (!host_clock(clock_id, &id))
        return WASI_ERRNO_INVAL;
    if (!wasi_mem_ok(mem_size, out_res, 8))
        return WASI_ERRNO_FAULT;
    struct timespec ts;
    if (clock_getres(id, &ts) < 0)
        return wasi_errno_last();
    uint64_t ns = ts_ns(ts);
    wasi_store_u64(mem + out_res, ns ? ns : 1);
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_clock_time_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t clock_id,
                    uint64_t precision, uint32_t out_time)
{
    (void)ctx;
    (void)precision; // the host clock is as precise as it gets
    clockid_t id;
    if (!host_clock(clock_id, &id))
        return WASI_ERRNO_INVAL;
    if (!wasi_mem_ok(mem_size, out_time, 8))
        return WASI_ERRNO_FAULT;
    struct timespec ts;
    if (clock_gettime(id, &ts) < 0)
        return wasi_errno_last();
    wasi_store_u64(mem + out_time, ts_ns(ts));
    return WASI_ERRNO_SUCCESS;
}

/* ---- random, scheduling, process ---- */

uint16_t
wasi_random_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t buf, uint32_t buf_len)
{
    (void)ctx;
    if (!wasi_mem_ok(mem_size, buf, buf_len))
        return WASI_ERRNO_FAULT;
    /* getentropy hands out at most 256 bytes per call. */
    for (uint32_t done = 0; done < buf_len;) {
        uint32_t n = buf_len - done < 256 ? buf_len - done : 256;
        if (getentropy(mem + buf + done, n) < 0)
            return wasi_errno_last();
        done += n;
    }
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_sched_yield(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size)
{
    (void)ctx;
    (void)mem;
    (void)mem_size;
    sched_yield();
    return WASI_ERRNO_SUCCESS;
}

void
wasi_proc_exit(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t code)
{
    (void)mem;
    (void)mem_size;
    ctx->exited = true;
    ctx->exit_code = code;
}

uint16_t
wasi_proc_raise(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t sig)
{
    (void)ctx;
    (void)mem;
    (void)mem_size;
    (void)sig;
    return WASI_ERRNO_NOSYS;
}

/* ---- poll_oneoff ---- */

/* One subscription, decoded. */
typedef struct PollSub {
    uint64_t userdata;
    uint8_t type;      // WASI_EVENTTYPE_*
    uint64_t deadline; // clock: CLOCK_MONOTONIC time (ns) at which it fires
    int pollfd;        // fd kinds: index into the pollfd array, or -1 if already decided
    uint16_t error;    // fd kinds decided at once: their event's error
    uint64_t nbytes;   // fd kinds decided at once: bytes available
} PollSub;

/* Fills in the fd-readiness part of an event for host descriptor `host`. */
static uint64_t
bytes_ready(int host, bool read)
{
    if (!read)
        return 0;
    int avail = 0;
    if (ioctl(host, FIONREAD, &avail) == 0 && avail > 0)
        return (uint64_t)avail;
    return 0;
}

/* Appends an event to the guest's output array (already bounds-checked). */
static void
event_put(uint8_t *out, uint32_t *nevents, uint64_t userdata, uint16_t error, uint8_t type,
          uint64_t nbytes, uint16_t flags)
{
    uint8_t *p = out + (uint64_t)*nevents * WASI_EVENT_SIZE;
    memset(p, 0, WASI_EVENT_SIZE);
    wasi_store_u64(p + WASI_EVENT_USERDATA_OFF, userdata);
    wasi_store_u16(p + WASI_EVENT_ERROR_OFF, error);
    p[WASI_EVENT_TYPE_OFF] = type;
    wasi_store_u64(p + WASI_EVENT_NBYTES_OFF, nbytes);
    wasi_store_u16(p + WASI_EVENT_FLAGS_OFF, flags);
    ++*nevents;
}

/*
 * Decodes subscription i into *sub, adding a pollfd when the answer needs waiting for.
 * Returns INVAL for an unknown tag, clock or flag; per-descriptor errors (BADF, ...) are
 * not failures of the call but the error of that subscription's event.
 */
static uint16_t
poll_decode(WasiCtx *ctx, const uint8_t *p, uint64_t now, PollSub *sub, struct pollfd *pfds,
            int *npfds)
{
    sub->userdata = wasi_load_u64(p + WASI_SUB_USERDATA_OFF);
    sub->type = p[WASI_SUB_TAG_OFF];
    sub->pollfd = -1;
    sub->error = 0;
    sub->nbytes = 0;
    sub->deadline = UINT64_MAX;
    if (sub->type == WASI_EVENTTYPE_CLOCK) {
        clockid_t id;
        if (!host_clock(wasi_load_u32(p + WASI_SUB_CLOCK_ID_OFF), &id))
            return WASI_ERRNO_INVAL;
        uint64_t timeout = wasi_load_u64(p + WASI_SUB_CLOCK_TIMEOUT_OFF);
        uint16_t flags = wasi_load_u16(p + WASI_SUB_CLOCK_FLAGS_OFF);
        if (flags & ~WASI_SUBCLOCK_ABSTIME)
            return WASI_ERRNO_INVAL;
        if (flags & WASI_SUBCLOCK_ABSTIME) {
            uint64_t t = clock_now(id);
            timeout = timeout > t ? timeout - t : 0;
        }
        sub->deadline = timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
        return WASI_ERRNO_SUCCESS;
    }
    if (sub->type != WASI_EVENTTYPE_FD_READ && sub->type != WASI_EVENTTYPE_FD_WRITE)
        return WASI_ERRNO_INVAL;
    bool read = sub->type == WASI_EVENTTYPE_FD_READ;
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, wasi_load_u32(p + WASI_SUB_FD_OFF), 0, &e);
    if (!err && !(e->rights_base & (WASI_RIGHT_POLL_FD_READWRITE |
                                    (read ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE))))
        err = WASI_ERRNO_NOTCAPABLE;
    if (err) {
        sub->error = err;
        return WASI_ERRNO_SUCCESS;
    }
    if (e->filetype == WASI_FILETYPE_REGULAR_FILE) {
        /* Files are always ready; a read reports the bytes left before end of file. */
        if (read) {
            struct stat st;
            off_t pos = lseek(e->host, 0, SEEK_CUR);
            if (fstat(e->host, &st) == 0 && pos >= 0 && st.st_size > pos)
                sub->nbytes = (uint64_t)(st.st_size - pos);
        }
        return WASI_ERRNO_SUCCESS;
    }
    sub->pollfd = *npfds;
    pfds[*npfds].fd = e->host;
    pfds[*npfds].events = read ? POLLIN : POLLOUT;
    pfds[*npfds].revents = 0;
    ++*npfds;
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_poll_oneoff(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t in, uint32_t out,
                 uint32_t nsubscriptions, uint32_t out_nevents)
{
    if (nsubscriptions == 0)
        return WASI_ERRNO_INVAL; // would block forever
    if (!wasi_mem_ok(mem_size, in, (uint64_t)nsubscriptions * WASI_SUBSCRIPTION_SIZE) ||
        !wasi_mem_ok(mem_size, out, (uint64_t)nsubscriptions * WASI_EVENT_SIZE) ||
        !wasi_mem_ok(mem_size, out_nevents, 4))
        return WASI_ERRNO_FAULT;
    PollSub *subs = malloc((size_t)nsubscriptions * sizeof(*subs));
    struct pollfd *pfds = malloc((size_t)nsubscriptions * sizeof(*pfds));
    if (!subs || !pfds) {
        free(subs);
        free(pfds);
        return WASI_ERRNO_NOMEM;
    }
    uint64_t now = clock_now(CLOCK_MONOTONIC);
    uint64_t first_deadline = UINT64_MAX;
    bool decided = false; // some fd subscription is answered without waiting
    int npfds = 0;
    uint16_t err = WASI_ERRNO_SUCCESS;
    for (uint32_t i = 0; i < nsubscriptions && !err; i++) {
        err = poll_decode(ctx, mem + in + (uint64_t)i * WASI_SUBSCRIPTION_SIZE, now, &subs[i],
                          pfds, &npfds);
        if (subs[i].type == WASI_EVENTTYPE_CLOCK) {
            if (subs[i].deadline < first_deadline)
                first_deadline = subs[i].deadline;
        } else if (subs[i].pollfd < 0) {
            decided = true;
        }
    }

    /* Wait until a descriptor is ready or the first clock fires (nothing to wait for when
     * some subscription is already decided). poll(2) has millisecond resolution, so the
     * timeout is rounded up and a wake-up before the deadline simply waits again. */
    uint32_t nevents = 0;
    uint8_t *events = mem + out;
    while (!err) {
        now = clock_now(CLOCK_MONOTONIC);
        bool clock_due = first_deadline <= now;
        int timeout_ms = -1;
        if (decided || clock_due) {
            timeout_ms = 0;
        } else if (first_deadline != UINT64_MAX) {
            uint64_t ms = (first_deadline - now + 999999) / 1000000;
            timeout_ms = ms > INT_MAX ? INT_MAX : (int)ms;
        }
        int ready = 0;
        if (npfds > 0) {
            ready = poll(pfds, (nfds_t)npfds, timeout_ms);
            if (ready < 0) {
                if (errno == EINTR)
                    continue;
                err = wasi_errno_last();
                break;
            }
        } else if (timeout_ms > 0) {
            uint64_t left = first_deadline - now;
            struct timespec ts = {(time_t)(left / NS_PER_SEC), (long)(left % NS_PER_SEC)};
            nanosleep(&ts, NULL); // an early wake-up (signal) just goes round again
            continue;
        } else if (timeout_ms < 0) {
            err = WASI_ERRNO_INVAL; // nothing can ever happen
            break;
        }
        now = clock_now(CLOCK_MONOTONIC);
        for (uint32_t i = 0; i < nsubscriptions; i++) {
            PollSub *s = &subs[i];
            if (s->type == WASI_EVENTTYPE_CLOCK) {
                if (s->deadline <= now)
                    event_put(events, &nevents, s->userdata, 0, s->type, 0, 0);
            } else if (s->pollfd < 0) {
                event_put(events, &nevents, s->userdata, s->error, s->type, s->nbytes, 0);
            } else if (ready > 0 && pfds[s->pollfd].revents) {
                short rev = pfds[s->pollfd].revents;
                uint16_t ev_err = (rev & POLLNVAL) ? WASI_ERRNO_BADF : WASI_ERRNO_SUCCESS;
                uint16_t flags = (rev & POLLHUP) ? WASI_EVENT_FD_READWRITE_HANGUP : 0;
                uint64_t nbytes =
                    ev_err ? 0 : bytes_ready(pfds[s->pollfd].fd, s->type == WASI_EVENTTYPE_FD_READ);
                event_put(events, &nevents, s->userdata, ev_err, s->type, nbytes, flags);
            }
        }
        if (nevents > 0)
            break;
    }
    free(subs);
    free(pfds);
    if (err)
        return err;
    wasi_store_u32(mem + out_nevents, nevents);
    return WASI_ERRNO_SUCCESS;
}

/* ---- sockets (only on socket descriptors the embedder handed in, e.g. as stdio) ---- */

/* Looks up a socket descriptor: BADF if closed, NOTSOCK if it is something else. */
static uint16_t
sock_lookup(WasiCtx *ctx, uint32_t fd, uint64_t rights, WasiFd **out_entry)
{
    uint16_t err = wasi_fd_lookup(ctx, fd, 0, out_entry);
    if (err)
        return err;
    uint8_t t = (*out_entry)->filetype;
    if (t != WASI_FILETYPE_SOCKET_STREAM && t != WASI_FILETYPE_SOCKET_DGRAM)
        return WASI_ERRNO_NOTSOCK;
    if (((*out_entry)->rights_base & rights) != rights)
        return WASI_ERRNO_NOTCAPABLE;
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_sock_accept(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t flags,
                 uint32_t out_fd)
{
    WasiFd *e;
    uint16_t err = sock_lookup(ctx, fd, WASI_RIGHT_SOCK_ACCEPT, &e);
    if (err)
        return err;
    if (flags & ~(uint32_t)WASI_FDFLAG_NONBLOCK)
        return WASI_ERRNO_INVAL;
    if (!wasi_mem_ok(mem_size, out_fd, 4))
        return WASI_ERRNO_FAULT;
    int host = accept(e->host, NULL, NULL);
    if (host < 0)
        return wasi_errno_last();
    fcntl(host, F_SETFD, FD_CLOEXEC);
    if ((flags & WASI_FDFLAG_NONBLOCK) && fcntl(host, F_SETFL, O_NONBLOCK) < 0) {
        err = wasi_errno_last();
        close(host);
        return err;
    }
    uint32_t new_fd;
    err = wasi_fd_install(ctx, host, WASI_FILETYPE_SOCKET_STREAM, (uint16_t)flags,
                          WASI_RIGHTS_SOCKET_BASE & ~WASI_RIGHT_SOCK_ACCEPT, 0, &new_fd);
    if (err)
        return err;
    wasi_store_u32(mem + out_fd, new_fd);
    return WASI_ERRNO_SUCCESS;
}

/* sock_recv and sock_send: recvmsg/sendmsg over the guest's iovecs with host `flags`; the
 * byte count in *out_n and the message flags recvmsg returns in *out_msg_flags. */
static uint16_t
sock_msg(const WasiFd *e, uint8_t *mem, uint64_t mem_size, uint32_t iovs, uint32_t iovs_len,
         bool send, int flags, uint32_t *out_n, int *out_msg_flags)
{
    struct iovec small[16], *iov;
    int n;
    uint16_t err = wasi_iovecs_load(mem, mem_size, iovs, iovs_len, small, 16, &iov, &n);
    if (err)
        return err;
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = iov;
    msg.msg_iovlen = n;
    ssize_t done;
    do
        done = send ? sendmsg(e->host, &msg, flags) : recvmsg(e->host, &msg, flags);
    while (done < 0 && errno == EINTR);
    err = done < 0 ? wasi_errno_last() : WASI_ERRNO_SUCCESS;
    wasi_iovecs_free(iov, small);
    *out_n = done < 0 ? 0 : (uint32_t)done;
    *out_msg_flags = msg.msg_flags;
    return err;
}

uint16_t
wasi_sock_recv(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t ri_data,
               uint32_t ri_data_len, uint32_t ri_flags, uint32_t out_ro_datalen,
               uint32_t out_ro_flags)
{
    WasiFd *e;
    uint16_t err = sock_lookup(ctx, fd, WASI_RIGHT_FD_READ, &e);
    if (err)
        return err;
    if (ri_flags & ~(uint32_t)(WASI_RIFLAG_RECV_PEEK | WASI_RIFLAG_RECV_WAITALL))
        return WASI_ERRNO_INVAL;
    if (!wasi_mem_ok(mem_size, out_ro_datalen, 4) || !wasi_mem_ok(mem_size, out_ro_flags, 2))
        return WASI_ERRNO_FAULT;
    int host_flags = ((ri_flags & WASI_RIFLAG_RECV_PEEK) ? MSG_PEEK : 0) |
                     ((ri_flags & WASI_RIFLAG_RECV_WAITALL) ? MSG_WAITALL : 0);
    uint32_t got;
    int msg_flags;
    err = sock_msg(e, mem, mem_size, ri_data, ri_data_len, false, host_flags, &got, &msg_flags);
    if (err)
        return err;
    wasi_store_u32(mem + out_ro_datalen, got);
    wasi_store_u16(mem + out_ro_flags,
                   (msg_flags & MSG_TRUNC) ? WASI_ROFLAG_RECV_DATA_TRUNCATED : 0);
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_sock_send(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t si_data,
               uint32_t si_data_len, uint32_t si_flags, uint32_t out_so_datalen)
{
    WasiFd *e;
    uint16_t err = sock_lookup(ctx, fd, WASI_RIGHT_FD_WRITE, &e);
    if (err)
        return err;
    if (si_flags != 0)
        return WASI_ERRNO_INVAL; // no siflags are defined
    if (!wasi_mem_ok(mem_size, out_so_datalen, 4))
        return WASI_ERRNO_FAULT;
#ifdef MSG_NOSIGNAL
    int host_flags = MSG_NOSIGNAL;
#else
    int host_flags = 0;
#endif
    uint32_t put;
    int msg_flags;
    err = sock_msg(e, mem, mem_size, si_data, si_data_len, true, host_flags, &put, &msg_flags);
    if (!err)
        wasi_store_u32(mem + out_so_datalen, put);
    return err;
}

uint16_t
wasi_sock_shutdown(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t how)
{
    (void)mem;
    (void)mem_size;
    WasiFd *e;
    uint16_t err = sock_lookup(ctx, fd, WASI_RIGHT_SOCK_SHUTDOWN, &e);
    if (err)
        return err;
    int host_how;
    switch (how) {
    case WASI_SDFLAG_RD: host_how = SHUT_RD; break;
    case WASI_SDFLAG_WR: host_how = SHUT_WR; break;
    case WASI_SDFLAG_RD | WASI_SDFLAG_WR: host_how = SHUT_RDWR; break;
    default: return WASI_ERRNO_INVAL;
    }
    return shutdown(e->host, host_how) < 0 ? wasi_errno_last() : WASI_ERRNO_SUCCESS;
}
