/*
 * WASI imports outside the file system: args and environ (layout and sizes), clocks,
 * random_get, poll_oneoff (sleeps, absolute deadlines, pipe readiness, bad fds), proc_exit
 * and proc_raise, the socket calls on sockets and non-sockets, the errno table, and the
 * import table the runtime glue registers from.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "runtime/wasi/tests/wasi_test_util.h"

static uint64_t
mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
test_args_env(TestEnv *t)
{
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    WasiCtx *c = t->ctx;
    const char *argv[] = {"prog", "", "the \"second\" arg"};
    CHECK(wasi_ctx_set_args(c, 3, argv));
    CHECK_EQ(wasi_args_sizes_get(c, m, s, TMEM_OUT, TMEM_OUT + 4), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 3);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT + 4), 5 + 1 + 17);
    const uint32_t vec = TMEM_SCRATCH, buf = TMEM_SCRATCH + 64;
    CHECK_EQ(wasi_args_get(c, m, s, vec, buf), 0);
    CHECK_EQ(wasi_load_u32(m + vec), buf);
    CHECK_STR((char *)m + wasi_load_u32(m + vec), "prog");
    CHECK_STR((char *)m + wasi_load_u32(m + vec + 4), "");
    CHECK_STR((char *)m + wasi_load_u32(m + vec + 8), "the \"second\" arg");
    /* the vector or the strings not fitting */
    CHECK_EQ(wasi_args_get(c, m, s, TMEM_SIZE - 8, buf), WASI_ERRNO_FAULT);
    CHECK_EQ(wasi_args_get(c, m, s, vec, TMEM_SIZE - 10), WASI_ERRNO_FAULT);
    CHECK_EQ(wasi_args_sizes_get(c, m, s, TMEM_SIZE - 2, TMEM_OUT), WASI_ERRNO_FAULT);

    const char *env[] = {"a=text", "b=new\nline"};
    CHECK(wasi_ctx_set_env(c, 2, env));
    CHECK_EQ(wasi_environ_sizes_get(c, m, s, TMEM_OUT, TMEM_OUT + 4), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 2);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT + 4), 7 + 11);
    CHECK_EQ(wasi_environ_get(c, m, s, vec, buf), 0);
    CHECK_STR((char *)m + wasi_load_u32(m + vec + 4), "b=new\nline");
    /* an empty list */
    CHECK(wasi_ctx_set_env(c, 0, NULL));
    CHECK_EQ(wasi_environ_sizes_get(c, m, s, TMEM_OUT, TMEM_OUT + 4), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT + 4), 0);
    CHECK_EQ(wasi_environ_get(c, m, s, TMEM_SIZE, TMEM_SIZE), 0);
}

static void
test_clocks_random(TestEnv *t)
{
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    WasiCtx *c = t->ctx;
    for (uint32_t id = 0; id < 4; id++) {
        CHECK_EQ(wasi_clock_res_get(c, m, s, id, TMEM_OUT), 0);
        CHECK(wasi_load_u64(m + TMEM_OUT) > 0);
        CHECK_EQ(wasi_clock_time_get(c, m, s, id, 1, TMEM_OUT), 0);
    }
    CHECK_EQ(wasi_clock_res_get(c, m, s, 4, TMEM_OUT), WASI_ERRNO_INVAL);
    CHECK_EQ(wasi_clock_time_get(c, m, s, 99, 0, TMEM_OUT), WASI_ERRNO_INVAL);
    CHECK_EQ(wasi_clock_time_get(c, m, s, 0, 0, TMEM_SIZE - 4), WASI_ERRNO_FAULT);
    CHECK_EQ(wasi_clock_time_get(c, m, s, WASI_CLOCK_REALTIME, 0, TMEM_OUT), 0);
    uint64_t real = wasi_load_u64(m + TMEM_OUT);
    CHECK(real > 1600000000ull * 1000000000ull); // after 2020
    CHECK_EQ(wasi_clock_time_get(c, m, s, WASI_CLOCK_MONOTONIC, 0, TMEM_OUT), 0);
    uint64_t a = wasi_load_u64(m + TMEM_OUT);
    CHECK_EQ(wasi_clock_time_get(c, m, s, WASI_CLOCK_MONOTONIC, 0, TMEM_OUT), 0);
    CHECK(wasi_load_u64(m + TMEM_OUT) >= a);

    memset(m + TMEM_SCRATCH, 0, 1024);
    CHECK_EQ(wasi_random_get(c, m, s, TMEM_SCRATCH, 1024), 0);
    int nonzero = 0;
    for (int i = 0; i < 1024; i++)
        nonzero += m[TMEM_SCRATCH + i] != 0;
    CHECK(nonzero > 900); // 1024 random bytes: ~1020 expected to be non-zero
    CHECK_EQ(wasi_random_get(c, m, s, TMEM_SIZE, 0), 0);
    CHECK_EQ(wasi_random_get(c, m, s, TMEM_SIZE - 10, 11), WASI_ERRNO_FAULT);
    CHECK_EQ(wasi_sched_yield(c, m, s), 0);
}

/* Writes a clock subscription at guest address p. */
static void
sub_clock(uint8_t *p, uint64_t userdata, uint32_t id, uint64_t timeout, uint16_t flags)
{
    memset(p, 0, WASI_SUBSCRIPTION_SIZE);
    wasi_store_u64(p + WASI_SUB_USERDATA_OFF, userdata);
    p[WASI_SUB_TAG_OFF] = WASI_EVENTTYPE_CLOCK;
    wasi_store_u32(p + WASI_SUB_CLOCK_ID_OFF, id);
    wasi_store_u64(p + WASI_SUB_CLOCK_TIMEOUT_OFF, timeout);
    wasi_store_u16(p + WASI_SUB_CLOCK_FLAGS_OFF, flags);
}

static void
sub_fd(uint8_t *p, uint64_t userdata, uint8_t type, uint32_t fd)
{
    memset(p, 0, WASI_SUBSCRIPTION_SIZE);
    wasi_store_u64(p + WASI_SUB_USERDATA_OFF, userdata);
    p[WASI_SUB_TAG_OFF] = type;
    wasi_store_u32(p + WASI_SUB_FD_OFF, fd);
}

static void
test_poll(TestEnv *t)
{
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    WasiCtx *c = t->ctx;
    const uint32_t in = TMEM_SCRATCH, out = TMEM_SCRATCH + 1024;
    /* a relative sleep of 20 ms takes at least 20 ms and reports the clock */
    sub_clock(m + in, 7, WASI_CLOCK_MONOTONIC, 20000000, 0);
    uint64_t t0 = mono_ns();
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 1, TMEM_OUT), 0);
    CHECK(mono_ns() - t0 >= 20000000);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 1);
    CHECK_EQ(wasi_load_u64(m + out + WASI_EVENT_USERDATA_OFF), 7);
    CHECK_EQ(m[out + WASI_EVENT_TYPE_OFF], WASI_EVENTTYPE_CLOCK);
    CHECK_EQ(wasi_load_u16(m + out + WASI_EVENT_ERROR_OFF), 0);
    /* an absolute deadline on the realtime clock, 10 ms ahead */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t deadline = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec + 10000000;
    sub_clock(m + in, 8, WASI_CLOCK_REALTIME, deadline, WASI_SUBCLOCK_ABSTIME);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 1, TMEM_OUT), 0);
    clock_gettime(CLOCK_REALTIME, &now);
    CHECK((uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec >= deadline);
    /* a deadline in the past fires at once */
    sub_clock(m + in, 9, WASI_CLOCK_MONOTONIC, 1, WASI_SUBCLOCK_ABSTIME);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 1, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 1);

    /* a pipe with data: readable at once (before a long clock), with the byte count */
    int p[2];
    if (pipe(p) != 0)
        return;
    wasi_ctx_set_stdio(c, p[0], p[1], -1);
    CHECK_EQ(write(p[1], "abc", 3), 3);
    sub_clock(m + in, 1, WASI_CLOCK_MONOTONIC, 10ull * 1000000000ull, 0);
    sub_fd(m + in + WASI_SUBSCRIPTION_SIZE, 2, WASI_EVENTTYPE_FD_READ, 0);
    sub_fd(m + in + 2 * WASI_SUBSCRIPTION_SIZE, 3, WASI_EVENTTYPE_FD_WRITE, 1);
    t0 = mono_ns();
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 3, TMEM_OUT), 0);
    CHECK(mono_ns() - t0 < 5000000000ull);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 2);
    int saw = 0;
    for (uint32_t i = 0; i < 2; i++) {
        const uint8_t *e = m + out + i * WASI_EVENT_SIZE;
        uint64_t ud = wasi_load_u64(e + WASI_EVENT_USERDATA_OFF);
        CHECK_EQ(wasi_load_u16(e + WASI_EVENT_ERROR_OFF), 0);
        if (ud == 2) {
            CHECK_EQ(e[WASI_EVENT_TYPE_OFF], WASI_EVENTTYPE_FD_READ);
            CHECK_EQ(wasi_load_u64(e + WASI_EVENT_NBYTES_OFF), 3);
            saw |= 1;
        } else if (ud == 3) {
            CHECK_EQ(e[WASI_EVENT_TYPE_OFF], WASI_EVENTTYPE_FD_WRITE);
            saw |= 2;
        }
    }
    CHECK_EQ(saw, 3);
    /* an empty pipe is not readable: the clock fires instead */
    char drain[8];
    CHECK_EQ(read(p[0], drain, sizeof(drain)), 3);
    sub_clock(m + in, 1, WASI_CLOCK_MONOTONIC, 15000000, 0);
    sub_fd(m + in + WASI_SUBSCRIPTION_SIZE, 2, WASI_EVENTTYPE_FD_READ, 0);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 2, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 1);
    CHECK_EQ(wasi_load_u64(m + out + WASI_EVENT_USERDATA_OFF), 1);
    /* the writer gone: readable with the hang-up flag */
    close(p[1]);
    sub_fd(m + in, 5, WASI_EVENTTYPE_FD_READ, 0);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 1, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 1);
    CHECK_EQ(wasi_load_u16(m + out + WASI_EVENT_FLAGS_OFF), WASI_EVENT_FD_READWRITE_HANGUP);
    wasi_ctx_set_stdio(c, -1, -1, -1);
    close(p[0]);
    /* a bad descriptor is an event with BADF, not a failed call */
    sub_fd(m + in, 6, WASI_EVENTTYPE_FD_READ, 77);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 1, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 1);
    CHECK_EQ(wasi_load_u16(m + out + WASI_EVENT_ERROR_OFF), WASI_ERRNO_BADF);
    /* a regular file is always ready */
    uint32_t fd;
    host_write(t, "sandbox/pf", "12345");
    CHECK_EQ(g_open(t, t->pre, 0, "pf", 0, WASI_RIGHTS_FILE_BASE, 0, 0, &fd), 0);
    sub_fd(m + in, 4, WASI_EVENTTYPE_FD_READ, fd);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 1, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u64(m + out + WASI_EVENT_NBYTES_OFF), 5);
    /* malformed calls */
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 0, TMEM_OUT), WASI_ERRNO_INVAL);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, TMEM_SIZE - 40, out, 1, TMEM_OUT), WASI_ERRNO_FAULT);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, TMEM_SIZE - 16, 1, TMEM_OUT), WASI_ERRNO_FAULT);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 0x7fffffffu, TMEM_OUT), WASI_ERRNO_FAULT);
    sub_clock(m + in, 1, 42, 0, 0);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 1, TMEM_OUT), WASI_ERRNO_INVAL);
    sub_clock(m + in, 1, WASI_CLOCK_MONOTONIC, 0, 2);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 1, TMEM_OUT), WASI_ERRNO_INVAL);
    sub_fd(m + in, 1, 3, 0);
    CHECK_EQ(wasi_poll_oneoff(c, m, s, in, out, 1, TMEM_OUT), WASI_ERRNO_INVAL);
}

static void
test_proc_and_sockets(TestEnv *t)
{
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    WasiCtx *c = t->ctx;
    uint32_t code = 99;
    CHECK(!wasi_ctx_has_exited(c, &code));
    CHECK_EQ(code, 99);
    CHECK_EQ(wasi_proc_raise(c, m, s, 6), WASI_ERRNO_NOSYS);
    wasi_proc_exit(c, m, s, 33);
    CHECK(wasi_ctx_has_exited(c, &code));
    CHECK_EQ(code, 33);

    /* non-sockets: NOTSOCK; closed fds: BADF (the wasi-testsuite's sock_shutdown tests) */
    CHECK_EQ(wasi_sock_shutdown(c, m, s, t->pre, WASI_SDFLAG_RD), WASI_ERRNO_NOTSOCK);
    CHECK_EQ(wasi_sock_shutdown(c, m, s, 40, WASI_SDFLAG_RD), WASI_ERRNO_BADF);
    CHECK_EQ(wasi_sock_accept(c, m, s, t->pre, 0, TMEM_OUT), WASI_ERRNO_NOTSOCK);
    CHECK_EQ(wasi_sock_recv(c, m, s, t->pre, TMEM_SCRATCH, 0, 0, TMEM_OUT, TMEM_OUT + 4),
             WASI_ERRNO_NOTSOCK);
    CHECK_EQ(wasi_sock_send(c, m, s, 40, TMEM_SCRATCH, 0, 0, TMEM_OUT), WASI_ERRNO_BADF);

    /* a real socket handed in as stdio works */
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return;
    wasi_ctx_set_stdio(c, sv[0], sv[0], -1);
    const uint32_t iov = TMEM_SCRATCH, data = TMEM_SCRATCH + 64;
    memcpy(m + data, "ping", 4);
    wasi_store_u32(m + iov, data);
    wasi_store_u32(m + iov + 4, 4);
    CHECK_EQ(wasi_sock_send(c, m, s, 1, iov, 1, 0, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 4);
    char buf[8] = {0};
    CHECK_EQ(read(sv[1], buf, sizeof(buf)), 4);
    CHECK_STR(buf, "ping");
    CHECK_EQ(write(sv[1], "pong", 4), 4);
    memset(m + data, 0, 8);
    CHECK_EQ(wasi_sock_recv(c, m, s, 0, iov, 1, WASI_RIFLAG_RECV_PEEK, TMEM_OUT, TMEM_OUT + 4), 0);
    CHECK_EQ(wasi_sock_recv(c, m, s, 0, iov, 1, 0, TMEM_OUT, TMEM_OUT + 4), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 4);
    CHECK(memcmp(m + data, "pong", 4) == 0);
    CHECK_EQ(wasi_sock_recv(c, m, s, 0, iov, 1, 4, TMEM_OUT, TMEM_OUT + 4), WASI_ERRNO_INVAL);
    CHECK_EQ(wasi_sock_shutdown(c, m, s, 0, 0), WASI_ERRNO_INVAL);
    CHECK_EQ(wasi_sock_shutdown(c, m, s, 0, WASI_SDFLAG_WR), 0);
    CHECK_EQ(read(sv[1], buf, sizeof(buf)), 0); // end of stream after shutdown
    wasi_ctx_set_stdio(c, -1, -1, -1);
    close(sv[0]);
    close(sv[1]);
}

static void
test_errno_and_table(TestEnv *t)
{
    (void)t;
    CHECK_EQ(wasi_errno_from_host(ENOENT), WASI_ERRNO_NOENT);
    CHECK_EQ(wasi_errno_from_host(EACCES), WASI_ERRNO_ACCES);
    CHECK_EQ(wasi_errno_from_host(ELOOP), WASI_ERRNO_LOOP);
    CHECK_EQ(wasi_errno_from_host(ENOTEMPTY), WASI_ERRNO_NOTEMPTY);
    CHECK_EQ(wasi_errno_from_host(EXDEV), WASI_ERRNO_XDEV);
    CHECK_EQ(wasi_errno_from_host(EWOULDBLOCK), WASI_ERRNO_AGAIN);
    CHECK_EQ(wasi_errno_from_host(0), WASI_ERRNO_SUCCESS);
    CHECK_EQ(wasi_errno_from_host(123456), WASI_ERRNO_IO);
    CHECK_STR(wasi_errno_name(WASI_ERRNO_NOTCAPABLE), "NOTCAPABLE");
    CHECK_STR(wasi_errno_name(WASI_ERRNO_2BIG), "2BIG");
    CHECK_STR(wasi_errno_name(77), "?");
    CHECK_EQ(WASI_ERRNO_COUNT, 77);

    /* the table: 46 imports, sorted, unique, each signature made of i/I */
    CHECK_EQ(wasi_nimports, 46);
    for (size_t i = 0; i < wasi_nimports; i++) {
        const WasiImport *imp = &wasi_imports[i];
        CHECK(imp->call != NULL);
        CHECK(strspn(imp->params, "iI") == strlen(imp->params));
        if (i > 0)
            CHECK(strcmp(wasi_imports[i - 1].name, imp->name) < 0);
        CHECK(wasi_import_find(imp->name, strlen(imp->name)) == imp);
    }
    CHECK(wasi_import_find("fd_write", 8) != NULL);
    CHECK_STR(wasi_import_find("path_open", 9)->params, "iiiiiIIii");
    CHECK_STR(wasi_import_find("proc_exit", 9)->results, "");
    CHECK(wasi_import_find("fd_writ", 7) == NULL);
    CHECK(wasi_import_find("fd_write_", 9) == NULL);
}

/* The thunks pass every argument through, i64s included. */
static void
test_thunks(TestEnv *t)
{
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    WasiCtx *c = t->ctx;
    host_write(t, "sandbox/th", "0123456789");
    uint32_t n = gput(t, TMEM_PATH1, "th");
    const uint64_t open_args[] = {t->pre, 0, TMEM_PATH1, n, 0, WASI_RIGHTS_FILE_BASE, 0, 0,
                                  TMEM_OUT};
    CHECK_EQ(wasi_import_find("path_open", 9)->call(c, m, s, open_args), 0);
    uint32_t fd = wasi_load_u32(m + TMEM_OUT);
    const uint64_t seek_args[] = {fd, (uint64_t)-3, WASI_WHENCE_END, TMEM_OUT};
    CHECK_EQ(wasi_import_find("fd_seek", 7)->call(c, m, s, seek_args), 0);
    CHECK_EQ(wasi_load_u64(m + TMEM_OUT), 7);
    const uint64_t exit_args[] = {5};
    CHECK_EQ(wasi_import_find("proc_exit", 9)->call(c, m, s, exit_args), 0);
    uint32_t code;
    CHECK(wasi_ctx_has_exited(c, &code));
    CHECK_EQ(code, 5);
    const uint64_t yield_args[] = {0};
    CHECK_EQ(wasi_import_find("sched_yield", 11)->call(c, m, s, yield_args), 0);
}

int
main(void)
{
    void (*const tests[])(TestEnv *) = {
        test_args_env, test_clocks_random, test_poll, test_proc_and_sockets,
        test_errno_and_table, test_thunks,
    };
    size_t n = sizeof(tests) / sizeof(tests[0]);
    return tenv_run(tests, n, NULL) ? check_exit() : SKIP;
}
