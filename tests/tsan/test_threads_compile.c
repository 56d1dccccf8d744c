/*
 * Multi-threaded compile test (STYLE.md section 7: no global mutable state in the compiler):
 * each module is compiled by 8 threads at once through the compile driver
 * (tools/compile_driver.h, cli_compile_wasm: decode, validate, translate, IR passes with the
 * verifier, code generation), each with its own contexts and the one shared const CgTarget.
 * Every result is serialized (the .skua bytes: code, relocations, trap tables, metadata) and
 * all 8 must be byte-identical. Built with -fsanitize=thread (SKUA_TSAN=ON, tools/test-all.sh
 * build-tsan/), ThreadSanitizer reports any data race among them; in other builds the test
 * still checks that the threads agree.
 *
 * Determinism across runs: the same module compiled again on the main thread, and in a new
 * process (this program re-executed with --digest, under a different address-space layout),
 * must give the same bytes (compared by size and 64-bit FNV-1a hash).
 *
 * Usage: test_threads_compile MODULE.wasm...       (the test)
 *        test_threads_compile --digest MODULE.wasm  (prints "SIZE HASH" of one compile)
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "runtime/cmodule.h"
#include "runtime/skua.h"
#include "tools/compile_driver.h"

#define NTHREADS 8

/* The compile options every compilation uses: the host target with a fixed feature set
 * (the host's), so that runs and processes agree; the IR verifier on. */
static void
options_init(CliCompileOptions *o)
{
    cli_compile_options_host(o);
    o->verify = true;
}

/* Compiles and serializes one module. Returns the malloc'd .skua bytes or NULL (with the
 * reason in msg). */
static uint8_t *
compile_bytes(const uint8_t *wasm, size_t size, size_t *out_size, char *msg, size_t msg_size)
{
    CliCompileOptions o;
    options_init(&o);
    RtCompiledModule *cm = NULL;
    SkDiag diag;
    memset(&diag, 0, sizeof(diag));
    if (!cli_compile_wasm(wasm, size, &o, &cm, NULL, &diag)) {
        snprintf(msg, msg_size, "compile: %.200s", diag.message);
        return NULL;
    }
    uint8_t *bytes = NULL;
    SkuaError err;
    memset(&err, 0, sizeof(err));
    if (!skua_compiled_serialize(cm, "skua test_threads_compile", &bytes, out_size, &err)) {
        snprintf(msg, msg_size, "serialize: %.200s", err.message);
        bytes = NULL;
    }
    rt_cmodule_release(cm);
    free(cm);
    return bytes;
}

static uint64_t
fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

typedef struct Job {
    const uint8_t *wasm;
    size_t size;
    pthread_barrier_t *start;
    uint8_t *out;
    size_t out_size;
    char msg[256];
} Job;

static void *
job_run(void *arg)
{
    Job *j = arg;
    pthread_barrier_wait(j->start);  // all threads compile at the same time
    j->out = compile_bytes(j->wasm, j->size, &j->out_size, j->msg, sizeof(j->msg));
    return NULL;
}

static uint8_t *
read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *b = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)n + 1)) && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return b;
}

/* Runs `self --digest path` and parses its "SIZE HASH" line. */
static bool
digest_in_child(const char *self, const char *path, size_t *out_size, uint64_t *out_hash)
{
    int fds[2];
    if (pipe(fds) != 0)
        return false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(self, self, "--digest", path, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[128];
    size_t n = 0;
    ssize_t r;
    while (n < sizeof(buf) - 1 && ((r = read(fds[0], buf + n, sizeof(buf) - 1 - n)) > 0 ||
                                   (r < 0 && errno == EINTR)))
        if (r > 0)
            n += (size_t)r;
    buf[n] = 0;
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    unsigned long long sz = 0;
    uint64_t h = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        sscanf(buf, "%llu %" SCNx64, &sz, &h) != 2) {
        fprintf(stderr, "%s --digest %s: failed (status 0x%x): %s\n", self, path, status, buf);
        return false;
    }
    *out_size = (size_t)sz;
    *out_hash = h;
    return true;
}

static void
test_module(const char *self, const char *path)
{
    size_t size = 0;
    uint8_t *wasm = read_file(path, &size);
    if (!wasm) {
        fprintf(stderr, "%s: cannot read\n", path);
        check_failures++;
        return;
    }
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, NTHREADS);
    Job jobs[NTHREADS];
    pthread_t threads[NTHREADS];
    memset(jobs, 0, sizeof(jobs));
    for (int i = 0; i < NTHREADS; i++) {
        jobs[i].wasm = wasm;
        jobs[i].size = size;
        jobs[i].start = &start;
        if (pthread_create(&threads[i], NULL, job_run, &jobs[i]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            exit(1);
        }
    }
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);

    int identical = 0;
    for (int i = 0; i < NTHREADS; i++) {
        if (!jobs[i].out) {
            fprintf(stderr, "%s: thread %d: %s\n", path, i, jobs[i].msg);
            check_failures++;
            continue;
        }
        if (jobs[0].out && jobs[i].out_size == jobs[0].out_size &&
            !memcmp(jobs[i].out, jobs[0].out, jobs[0].out_size))
            identical++;
        else if (jobs[0].out)
            fprintf(stderr, "%s: thread %d's result differs from thread 0's (%zu vs %zu bytes)\n",
                    path, i, jobs[i].out_size, jobs[0].out_size);
    }
    CHECK_EQ(identical, NTHREADS);

    if (jobs[0].out) {
        /* Again on this thread, after the others: the same bytes. */
        char msg[256];
        size_t again_size = 0;
        uint8_t *again = compile_bytes(wasm, size, &again_size, msg, sizeof(msg));
        CHECK(again != NULL);
        CHECK(again && again_size == jobs[0].out_size &&
              !memcmp(again, jobs[0].out, again_size));
        free(again);

        /* And in another process. */
        size_t child_size = 0;
        uint64_t child_hash = 0;
        CHECK(digest_in_child(self, path, &child_size, &child_hash));
        CHECK_EQ(child_size, jobs[0].out_size);
        CHECK_EQ(child_hash, fnv1a(jobs[0].out, jobs[0].out_size));
        printf("%s: %d threads, %zu bytes of compiled module each, identical; same bytes again "
               "and in a new process (hash %016" PRIx64 ")\n", path, identical,
               jobs[0].out_size, child_hash);
    }
    for (int i = 0; i < NTHREADS; i++)
        free(jobs[i].out);
    free(wasm);
}

int
main(int argc, char **argv)
{
    if (!cli_target_host()) {
        printf("skipped: no code generator for this machine\n");
        return SKIP;
    }
    if (argc == 3 && !strcmp(argv[1], "--digest")) {
        size_t size = 0, out_size = 0;
        uint8_t *wasm = read_file(argv[2], &size);
        char msg[256] = "cannot read";
        uint8_t *out = wasm ? compile_bytes(wasm, size, &out_size, msg, sizeof(msg)) : NULL;
        if (!out) {
            printf("%s: %s\n", argv[2], msg);
            return 1;
        }
        printf("%zu %016" PRIx64 "\n", out_size, fnv1a(out, out_size));
        free(out);
        free(wasm);
        return 0;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: test_threads_compile MODULE.wasm...\n");
        return 2;
    }
    /* /proc/self/exe when it exists: argv[0] may be a relative path from another directory. */
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n > 0)
        self[n] = 0;
    else
        snprintf(self, sizeof(self), "%s", argv[0]);
    for (int i = 1; i < argc; i++)
        test_module(self, argv[i]);
    return check_exit();
}
