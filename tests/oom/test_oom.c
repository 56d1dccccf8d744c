/*
 * Out-of-memory test (STYLE.md section 10, after Lua's ltests.h `failnext`): an allocator
 * hook fails the Nth allocation, for N = 1, 2, ... until a run makes fewer than N
 * allocations, while (1) decoding and validating a module (fe_module_load) and (2) compiling
 * it through the whole pipeline (tools/compile_driver.c: frontend, IR passes, code
 * generator, which all allocate through CliCompileOptions.alloc). Each N is run twice: failing
 * only the Nth allocation, and failing the Nth and every later one.
 *
 * Every run must end cleanly: either `false` with an SK_DIAG_OUT_OF_MEMORY diag (an
 * allocation failure reported as bad input would be a bug), or success with exactly the
 * result of the run without failures (some allocations are hints with a fallback: a
 * reservation, an arena chunk merge). Afterwards the hook must hold no live block (the
 * test's own leak check; the ASan build's LeakSanitizer checks the malloc'd compiled module
 * as well). The hook also checks that every free and realloc names
 * the size the block was allocated with, as SkAllocFn requires. Each failing run happens in
 * a child process, so a crash is reported with its N and the other runs go on.
 *
 * Usage: test_oom [--phase load|compile] MODULE.wasm...   (both phases by default)
 *        test_oom --phase P --fail-at N[+] MODULE.wasm     (one run, no child: for a debugger;
 *                                                          N+ fails N and every later one)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "frontend/frontend.h"
#include "runtime/cmodule.h"
#include "runtime/skua.h"
#include "tools/compile_driver.h"

/* ---- the failing allocator ---------------------------------------------------------------- */

typedef struct Block {
    void *ptr;
    size_t size;
} Block;

typedef struct FailAlloc {
    uint64_t calls;    // allocations and growing reallocations so far
    uint64_t fail_at;  // the first call that fails (1-based); 0: none
    bool fail_after;   // also fail every call after fail_at
    uint64_t failed;   // how many calls failed
    Block *live;       // blocks handed out and not freed
    size_t nlive, caplive;
    uint64_t size_errors;  // frees/reallocs that named the wrong size
} FailAlloc;

static size_t
find_block(FailAlloc *fa, void *ptr)
{
    for (size_t i = fa->nlive; i-- > 0;)
        if (fa->live[i].ptr == ptr)
            return i;
    return SIZE_MAX;
}

/* Checks that `ptr` is live with `size` bytes and forgets it. */
static void
forget_block(FailAlloc *fa, void *ptr, size_t size)
{
    size_t i = find_block(fa, ptr);
    if (i == SIZE_MAX || fa->live[i].size != size) {
        fprintf(stderr, "allocator: %p freed with size %zu, allocated with %zu\n", ptr, size,
                i == SIZE_MAX ? (size_t)0 : fa->live[i].size);
        fa->size_errors++;
        if (i == SIZE_MAX)
            return;
    }
    fa->live[i] = fa->live[--fa->nlive];
}

static bool
remember_block(FailAlloc *fa, void *ptr, size_t size)
{
    if (fa->nlive == fa->caplive) {
        size_t cap = fa->caplive ? fa->caplive * 2 : 256;
        Block *b = realloc(fa->live, cap * sizeof(Block));
        if (!b)
            return false;
        fa->live = b;
        fa->caplive = cap;
    }
    fa->live[fa->nlive++] = (Block){ptr, size};
    return true;
}

/* SkAllocFn: counts every call that could fail (allocations and reallocations to a larger
 * size) and fails the chosen ones. Shrinking and freeing never fail. */
static void *
fail_alloc_fn(void *user, void *ptr, size_t old_size, size_t new_size)
{
    FailAlloc *fa = user;
    if (new_size == 0) {
        if (ptr) {
            forget_block(fa, ptr, old_size);
            free(ptr);
        }
        return NULL;
    }
    if (!ptr || new_size > old_size) {
        fa->calls++;
        if (fa->fail_at &&
            (fa->calls == fa->fail_at || (fa->fail_after && fa->calls > fa->fail_at))) {
            fa->failed++;
            return NULL;
        }
    }
    if (ptr)
        forget_block(fa, ptr, old_size);  // before realloc, which may move the block
    void *p = realloc(ptr, new_size);
    if (!p) {
        if (ptr && !remember_block(fa, ptr, old_size))
            exit(1);
        return NULL;
    }
    if (!remember_block(fa, p, new_size)) {
        fprintf(stderr, "allocator: the test itself ran out of memory\n");
        exit(1);
    }
    return p;
}

/* ---- runs ------------------------------------------------------------------------------------ */

typedef enum Phase {
    PHASE_LOAD,     // fe_module_load: decode + validate
    PHASE_COMPILE,  // cli_compile_wasm: the whole pipeline
} Phase;

static const char *const phase_names[] = {"decode+validate", "compile"};

/* The result of the run without failures, per phase (a hash of the serialized compiled
 * module; for decode+validate, of the decoded module's counts). A run that succeeds although
 * allocations failed (a reservation that is only a hint, an arena that keeps a smaller chunk)
 * must give exactly this. */
static uint64_t clean_digest[2];

static uint64_t
fnv1a(uint64_t h, const void *data, size_t n)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

static uint64_t
module_digest(const FeModule *m)
{
    uint32_t counts[] = {m->ntypes,    m->nimports, m->nfuncs,   m->ntables, m->nmemories,
                         m->nglobals,  m->nexports, m->nelems,   m->ndatas,  m->start_func,
                         m->nfunc_names, m->code_section_size};
    return fnv1a(0xcbf29ce484222325u, counts, sizeof(counts));
}

static uint64_t
compiled_digest(const RtCompiledModule *cm)
{
    uint8_t *bytes = NULL;
    size_t n = 0;
    SkuaError err;
    memset(&err, 0, sizeof(err));
    if (!skua_compiled_serialize(cm, "skua test_oom", &bytes, &n, &err)) {
        fprintf(stderr, "serialize: %s\n", err.message);
        check_failures++;
        return 0;
    }
    uint64_t h = fnv1a(0xcbf29ce484222325u, bytes, n);
    free(bytes);
    return h;
}

/* One run with the given failure plan. Returns the number of counted allocations it made;
 * checks the outcome. */
static uint64_t
run_once(Phase phase, const uint8_t *wasm, size_t size, uint64_t fail_at, bool fail_after,
         const char *file)
{
    uint64_t digest = 0;
    FailAlloc fa;
    memset(&fa, 0, sizeof(fa));
    fa.fail_at = fail_at;
    fa.fail_after = fail_after;
    SkAlloc alloc = {fail_alloc_fn, &fa};
    SkDiag diag;
    memset(&diag, 0, sizeof(diag));
    bool ok;
    if (phase == PHASE_LOAD) {
        FeOptions fo;
        memset(&fo, 0, sizeof(fo));
        fo.alloc = &alloc;
        FeModule *m = NULL;
        ok = fe_module_load(wasm, size, &fo, &m, &diag);
        CHECK(ok == (m != NULL));
        if (m) {
            digest = module_digest(m);
            fe_module_free(m);
        }
    } else {
        CliCompileOptions o;
        cli_compile_options_host(&o);
        o.alloc = &alloc;
        o.verify = true;
        RtCompiledModule *cm = NULL;
        ok = cli_compile_wasm(wasm, size, &o, &cm, NULL, &diag);
        CHECK(ok == (cm != NULL));
        if (cm) {
            CHECK(cm->code_size > 0);
            digest = compiled_digest(cm);
            rt_cmodule_release(cm);
            free(cm);
        }
    }

    const char *what = phase_names[phase];
    if (!ok && (fa.failed == 0 || diag.kind != SK_DIAG_OUT_OF_MEMORY)) {
        fprintf(stderr, "%s: %s, fail at %llu%s: failed with \"%s\" (%s) after %llu injected "
                "failures\n", file, what, (unsigned long long)fail_at, fail_after ? "+" : "",
                diag.message, sk_diag_kind_name(diag.kind), (unsigned long long)fa.failed);
        check_failures++;
    }
    if (!fail_at && ok) {
        clean_digest[phase] = digest;
    } else if (ok && digest != clean_digest[phase]) {
        /* The pipeline went on after a failed allocation and produced something else: a
         * result was silently lost or the failure was never looked at. */
        fprintf(stderr, "%s: %s, fail at %llu%s: succeeded after %llu failed allocations, but "
                "with another result than without failures\n", file, what,
                (unsigned long long)fail_at, fail_after ? "+" : "", (unsigned long long)fa.failed);
        check_failures++;
    }
    if (fa.nlive) {
        fprintf(stderr, "%s: %s, fail at %llu%s: %zu blocks leaked (first: %zu bytes)\n", file,
                what, (unsigned long long)fail_at, fail_after ? "+" : "", fa.nlive,
                fa.live[0].size);
        check_failures++;
        for (size_t i = 0; i < fa.nlive; i++)
            free(fa.live[i].ptr);
    }
    CHECK_EQ(fa.size_errors, 0);
    free(fa.live);
    return fa.calls;
}

/* run_once in a child process, so that a crash at one N is reported (with N) and the other
 * values of N still run. */
static void
run_isolated(Phase phase, const uint8_t *wasm, size_t size, uint64_t fail_at, bool fail_after,
             const char *file)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        check_failures = 0;  // the parent's count is not this run's
        run_once(phase, wasm, size, fail_at, fail_after, file);
        /* exit, not _exit: in the ASan build LeakSanitizer checks the child at exit (the
         * malloc'd compiled module, which the hook does not see). */
        exit(check_failures ? 1 : 0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("waitpid");
            exit(1);
        }
    }
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "%s: %s, fail at %llu%s: crashed (signal %d)\n", file,
                phase_names[phase], (unsigned long long)fail_at, fail_after ? "+" : "",
                WTERMSIG(status));
        check_failures++;
    } else if (WEXITSTATUS(status) != 0) {
        check_failures++;  // the child printed what failed
    }
}

/* Fails allocation N for N = 1 .. (allocations of a clean run), in both modes. */
static void
run_phase(Phase phase, const uint8_t *wasm, size_t size, const char *file)
{
    uint64_t total = run_once(phase, wasm, size, 0, false, file);
    CHECK(total > 0);
    for (uint64_t n = 1; n <= total; n++) {
        run_isolated(phase, wasm, size, n, false, file);
        run_isolated(phase, wasm, size, n, true, file);
    }
    /* One past the last allocation: nothing fails, so the run must succeed. */
    CHECK_EQ(run_once(phase, wasm, size, total + 1, false, file), total);
    printf("%s: %s: %llu allocations, each failed in turn (alone and with all later ones)\n",
           file, phase_names[phase], (unsigned long long)total);
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

int
main(int argc, char **argv)
{
    bool phases[2] = {true, true};
    unsigned long long only = 0;  // --fail-at N: just that run, in this process (debugging)
    bool only_after = false;
    int first = 1;
    while (first + 1 < argc) {
        if (!strcmp(argv[first], "--phase")) {
            phases[PHASE_LOAD] = !strcmp(argv[first + 1], "load");
            phases[PHASE_COMPILE] = !strcmp(argv[first + 1], "compile");
        } else if (!strcmp(argv[first], "--fail-at")) {
            char *end;
            only = strtoull(argv[first + 1], &end, 10);
            only_after = *end == '+';
        } else {
            break;
        }
        first += 2;
    }
    if (first >= argc || !(phases[0] || phases[1])) {
        fprintf(stderr, "usage: test_oom [--phase load|compile] [--fail-at N[+]] MODULE.wasm...\n");
        return 2;
    }
    if (phases[PHASE_COMPILE] && !cli_target_host()) {
        printf("skipped: no code generator for this machine\n");
        return SKIP;
    }
    for (int i = first; i < argc; i++) {
        size_t size = 0;
        uint8_t *wasm = read_file(argv[i], &size);
        if (!wasm) {
            fprintf(stderr, "%s: cannot read\n", argv[i]);
            return 1;
        }
        for (int p = PHASE_LOAD; p <= PHASE_COMPILE; p++) {
            if (phases[p] && only) {
                run_once((Phase)p, wasm, size, 0, false, argv[i]);  // the clean result
                run_once((Phase)p, wasm, size, only, only_after, argv[i]);
            } else if (phases[p]) {
                run_phase((Phase)p, wasm, size, argv[i]);
            }
        }
        free(wasm);
    }
    return check_exit();
}
