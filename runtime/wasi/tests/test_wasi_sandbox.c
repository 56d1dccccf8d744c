/*
 * The WASI sandbox: every way a guest path could leave its preopened directory is tried
 * and must be refused (PERM, as wasmtime reports an escape; LOOP for loops), while the same
 * shapes of path that stay inside keep working. After each attempt the test checks on the
 * host that nothing outside changed. The tree (see wasi_test_util.h) is
 *     sandbox/file ("inside"), sandbox/d/, sandbox/d/e/, sandbox/d/f ("in d")
 *     outside/secret ("secret")
 * plus the symlinks each test plants with host calls (a guest cannot create escaping ones).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "runtime/wasi/tests/wasi_test_util.h"

#define OPEN_RO(t, dirfd, lookup, path, out) \
    g_open(t, dirfd, lookup, path, 0, WASI_RIGHT_FD_READ, 0, 0, out)
#define FOLLOW WASI_LOOKUP_SYMLINK_FOLLOW

/* Opens `path` (following symlinks) and returns what reading it gives, or "" on error. */
static const char *
read_via(TestEnv *t, uint32_t dirfd, const char *path)
{
    static char buf[256];
    uint32_t fd;
    buf[0] = 0;
    if (OPEN_RO(t, dirfd, FOLLOW, path, &fd) != 0)
        return buf;
    g_read(t, fd, buf, sizeof(buf), NULL);
    g_close(t, fd);
    return buf;
}

/* outside/ holds exactly what tenv_init put there. */
static void
check_outside_intact(TestEnv *t, int line)
{
    if (host_count_entries(t, "outside") != 1 || strcmp(host_read(t, "outside/secret"), "secret")) {
        fprintf(stderr, "line %d: the directory outside the sandbox changed\n", line);
        check_failures++;
    }
}
#define OUTSIDE_INTACT(t) check_outside_intact(t, __LINE__)

static void
setup_tree(TestEnv *t)
{
    host_write(t, "sandbox/file", "inside");
    host_mkdir(t, "sandbox/d");
    host_mkdir(t, "sandbox/d/e");
    host_write(t, "sandbox/d/f", "in d");
}

/* ".." is fine while it stays beneath the starting directory, refused above it. */
static void
test_dotdot(TestEnv *t)
{
    uint32_t fd;
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "..", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "../outside/secret", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "../..", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "d/../../outside/secret", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "d/e/../../../outside/secret", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "./d/./../..", &fd), WASI_ERRNO_PERM);
    /* Climbing out and back in is still an escape: the walk never leaves the stack. */
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "../sandbox/file", &fd), WASI_ERRNO_PERM);
    /* Inside: allowed. */
    CHECK_STR(read_via(t, t->pre, "d/../file"), "inside");
    CHECK_STR(read_via(t, t->pre, "d/e/../../d/f"), "in d");
    CHECK_STR(read_via(t, t->pre, "d//e/..//./f"), "in d");
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "d/..", &fd), 0);
    g_close(t, fd);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, ".", &fd), 0);
    g_close(t, fd);
    /* A descriptor for a subdirectory is a sandbox of its own: ".." from it is refused
     * even though the parent is inside the preopen. */
    uint32_t dfd;
    CHECK_EQ(g_open(t, t->pre, 0, "d", WASI_OFLAG_DIRECTORY, DIR_RIGHTS, RIGHTS_ALL, 0, &dfd), 0);
    CHECK_EQ(OPEN_RO(t, dfd, 0, "../file", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, dfd, 0, "e/../../file", &fd), WASI_ERRNO_PERM);
    CHECK_STR(read_via(t, dfd, "e/../f"), "in d");
    g_close(t, dfd);
    OUTSIDE_INTACT(t);
}

static void
test_absolute(TestEnv *t)
{
    uint32_t fd;
    char target[512];
    snprintf(target, sizeof(target), "%s/outside/secret", t->root);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, target, &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "/etc/passwd", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "/", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "//file", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "/sandbox/file", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(g_stat(t, t->pre, 0, "/etc", NULL, NULL), WASI_ERRNO_PERM);
    CHECK_EQ(g_mkdir(t, t->pre, "/tmp/skua-wasi-should-not-exist"), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "", &fd), WASI_ERRNO_NOENT);
}

/* Symlinks planted on the host (a guest cannot create escaping ones, see below). */
static void
test_symlinks_out(TestEnv *t)
{
    uint32_t fd;
    uint8_t type;
    char abs_outside[512];
    snprintf(abs_outside, sizeof(abs_outside), "%s/outside", t->root);

    /* to /etc (absolute) */
    host_symlink(t, "/etc", "sandbox/etc");
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "etc/passwd", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "etc/passwd", &fd), WASI_ERRNO_PERM); // middle: always followed
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "etc", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(g_stat(t, t->pre, FOLLOW, "etc", &type, NULL), WASI_ERRNO_PERM);
    CHECK_EQ(g_stat(t, t->pre, 0, "etc", &type, NULL), 0); // the link itself is inside
    CHECK_EQ(type, WASI_FILETYPE_SYMBOLIC_LINK);
    CHECK_EQ(g_stat(t, t->pre, 0, "etc/", &type, NULL), WASI_ERRNO_PERM); // "/" follows
    /* to the outside directory by absolute path */
    host_symlink(t, abs_outside, "sandbox/abs");
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "abs/secret", &fd), WASI_ERRNO_PERM);
    /* to "../" and "../outside" (relative, climbing) */
    host_symlink(t, "../", "sandbox/up");
    host_symlink(t, "../outside/secret", "sandbox/up_secret");
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "up/outside/secret", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "up", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "up_secret", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "up_secret", &fd), WASI_ERRNO_LOOP); // O_NOFOLLOW
    /* a directory symlink in the middle of a path, inside a subdirectory */
    host_symlink(t, "../../outside", "sandbox/d/out");
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "d/out/secret", &fd), WASI_ERRNO_PERM);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "d/out/secret", &fd), WASI_ERRNO_PERM);
    /* a chain whose last link leaves */
    host_symlink(t, "chain2", "sandbox/chain1");
    host_symlink(t, "d/chain3", "sandbox/chain2");
    host_symlink(t, "../up_secret", "sandbox/d/chain3");
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "chain1", &fd), WASI_ERRNO_PERM);
    /* a link that climbs deep and comes back stays legal */
    host_symlink(t, "e/../../file", "sandbox/d/back");
    CHECK_STR(read_via(t, t->pre, "d/back"), "inside");
    /* the same escape through a descriptor of a subdirectory: "../file" leaves d */
    uint32_t dfd;
    CHECK_EQ(g_open(t, t->pre, 0, "d", WASI_OFLAG_DIRECTORY, DIR_RIGHTS, RIGHTS_ALL, 0, &dfd), 0);
    CHECK_EQ(OPEN_RO(t, dfd, FOLLOW, "back", &fd), WASI_ERRNO_PERM);
    g_close(t, dfd);
    /* creating through a dangling symlink that points out: nothing may be created */
    host_symlink(t, "../outside/created", "sandbox/dangling_out");
    CHECK_EQ(g_open(t, t->pre, FOLLOW, "dangling_out", WASI_OFLAG_CREAT, RIGHTS_ALL, 0, 0, &fd),
             WASI_ERRNO_PERM);
    CHECK_EQ(g_open(t, t->pre, 0, "dangling_out", WASI_OFLAG_CREAT, RIGHTS_ALL, 0, 0, &fd),
             WASI_ERRNO_LOOP);
    CHECK(!host_exists(t, "outside/created"));
    /* every other operation through the escaping links */
    CHECK_EQ(g_mkdir(t, t->pre, "up/outside/newdir"), WASI_ERRNO_PERM);
    CHECK_EQ(g_unlink(t, t->pre, "up/outside/secret"), WASI_ERRNO_PERM);
    CHECK_EQ(g_rmdir(t, t->pre, "up/outside"), WASI_ERRNO_PERM);
    CHECK_EQ(g_rename(t, t->pre, "file", t->pre, "up/outside/stolen"), WASI_ERRNO_PERM);
    CHECK_EQ(g_rename(t, t->pre, "up/outside/secret", t->pre, "got"), WASI_ERRNO_PERM);
    CHECK_EQ(g_link(t, t->pre, 0, "up/outside/secret", t->pre, "hard"), WASI_ERRNO_PERM);
    CHECK_EQ(g_link(t, t->pre, FOLLOW, "up_secret", t->pre, "hard"), WASI_ERRNO_PERM);
    CHECK_EQ(g_link(t, t->pre, 0, "file", t->pre, "d/out/hard"), WASI_ERRNO_PERM);
    CHECK_EQ(g_symlink(t, "x", t->pre, "up/outside/planted"), WASI_ERRNO_PERM);
    char buf[64];
    CHECK_EQ(g_readlink(t, t->pre, "up/outside/x", buf, sizeof(buf), NULL), WASI_ERRNO_PERM);
    uint32_t n = gput(t, TMEM_PATH1, "up/outside/secret");
    CHECK_EQ(wasi_path_filestat_set_times(t->ctx, t->mem, t->mem_size, t->pre, 0, TMEM_PATH1, n,
                                          0, 0, WASI_FSTFLAG_MTIM | WASI_FSTFLAG_ATIM),
             WASI_ERRNO_PERM);
    /* readlink on the escaping link itself just reports its text */
    CHECK_EQ(g_readlink(t, t->pre, "up", buf, sizeof(buf), NULL), 0);
    CHECK_STR(buf, "../");
    OUTSIDE_INTACT(t);
}

static void
test_symlink_loops(TestEnv *t)
{
    uint32_t fd;
    host_symlink(t, "self", "sandbox/self");
    host_symlink(t, "loop_b", "sandbox/loop_a");
    host_symlink(t, "loop_a", "sandbox/loop_b");
    host_symlink(t, "../dloop/x", "sandbox/d/dloop_link");
    host_symlink(t, "d/dloop_link", "sandbox/dloop");
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "self", &fd), WASI_ERRNO_LOOP);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "self", &fd), WASI_ERRNO_LOOP);
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "loop_a", &fd), WASI_ERRNO_LOOP);
    CHECK_EQ(OPEN_RO(t, t->pre, 0, "loop_a/x", &fd), WASI_ERRNO_LOOP);
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "dloop/y", &fd), WASI_ERRNO_LOOP);
    CHECK_EQ(g_stat(t, t->pre, FOLLOW, "loop_b", NULL, NULL), WASI_ERRNO_LOOP);
    /* A long chain inside the limit resolves; one link more than the limit is a loop. */
    char name[32], target[32];
    host_write(t, "sandbox/end", "end");
    for (int i = 0; i < 41; i++) {
        snprintf(name, sizeof(name), "sandbox/c%d", i);
        if (i == 0)
            snprintf(target, sizeof(target), "end");
        else
            snprintf(target, sizeof(target), "c%d", i - 1);
        host_symlink(t, target, name);
    }
    CHECK_STR(read_via(t, t->pre, "c39"), "end"); // 40 expansions
    CHECK_EQ(OPEN_RO(t, t->pre, FOLLOW, "c40", &fd), WASI_ERRNO_LOOP);
}

/* Symlinks that stay inside work, at every position. */
static void
test_symlinks_inside(TestEnv *t)
{
    uint32_t fd;
    host_symlink(t, "d", "sandbox/dlink");
    host_symlink(t, "../file", "sandbox/d/up_file");
    host_symlink(t, "./d/../d/e/..", "sandbox/dots");
    CHECK_STR(read_via(t, t->pre, "dlink/f"), "in d");
    CHECK_STR(read_via(t, t->pre, "dlink/up_file"), "inside");
    CHECK_STR(read_via(t, t->pre, "dots/f"), "in d");
    CHECK_EQ(g_open(t, t->pre, FOLLOW, "dlink", WASI_OFLAG_DIRECTORY, DIR_RIGHTS, 0, 0, &fd), 0);
    g_close(t, fd);
    /* without FOLLOW the final symlink is not followed */
    CHECK(g_open(t, t->pre, 0, "dlink", WASI_OFLAG_DIRECTORY, DIR_RIGHTS, 0, 0, &fd) != 0);
    /* "dlink/" follows (POSIX: a trailing slash resolves the link) */
    CHECK_EQ(g_open(t, t->pre, 0, "dlink/", 0, WASI_RIGHT_FD_READDIR, 0, 0, &fd), 0);
    g_close(t, fd);
    /* a symlink to a file, followed to create-or-open */
    host_symlink(t, "d/newfile", "sandbox/to_new");
    CHECK_EQ(g_open(t, t->pre, FOLLOW, "to_new", WASI_OFLAG_CREAT, RIGHTS_ALL, 0, 0, &fd), 0);
    g_close(t, fd);
    CHECK(host_exists(t, "sandbox/d/newfile"));
}

/* A guest can create only symlinks that stay inside. */
static void
test_guest_symlink_creation(TestEnv *t)
{
    CHECK_EQ(g_symlink(t, "/etc/passwd", t->pre, "s1"), WASI_ERRNO_PERM);
    CHECK_EQ(g_symlink(t, "/", t->pre, "s1"), WASI_ERRNO_PERM);
    CHECK_EQ(g_symlink(t, "..", t->pre, "s1"), WASI_ERRNO_PERM);
    CHECK_EQ(g_symlink(t, "../outside", t->pre, "s1"), WASI_ERRNO_PERM);
    CHECK_EQ(g_symlink(t, "d/../../outside", t->pre, "s1"), WASI_ERRNO_PERM);
    CHECK_EQ(g_symlink(t, "../../outside", t->pre, "d/s1"), WASI_ERRNO_PERM);
    CHECK(!host_exists(t, "sandbox/s1") && !host_exists(t, "sandbox/d/s1"));
    CHECK_EQ(g_symlink(t, "../file", t->pre, "d/ok"), 0); // from d, ".." is the sandbox
    CHECK_STR(read_via(t, t->pre, "d/ok"), "inside");
    CHECK_EQ(g_symlink(t, "d/e/../f", t->pre, "ok2"), 0);
    CHECK_STR(read_via(t, t->pre, "ok2"), "in d");
    CHECK_EQ(g_symlink(t, "", t->pre, "empty"), WASI_ERRNO_NOENT);
    /* the new link's own path may not leave either */
    CHECK_EQ(g_symlink(t, "x", t->pre, "../outside/planted"), WASI_ERRNO_PERM);
    CHECK_EQ(g_symlink(t, "x", t->pre, "/tmp/planted"), WASI_ERRNO_PERM);
    OUTSIDE_INTACT(t);
}

/* rename and link: the source or the destination leaving is refused. */
static void
test_rename_link_escapes(TestEnv *t)
{
    CHECK_EQ(g_rename(t, t->pre, "file", t->pre, "../outside/stolen"), WASI_ERRNO_PERM);
    CHECK_EQ(g_rename(t, t->pre, "../outside/secret", t->pre, "got"), WASI_ERRNO_PERM);
    CHECK_EQ(g_rename(t, t->pre, "d/../../outside", t->pre, "got"), WASI_ERRNO_PERM);
    CHECK_EQ(g_rename(t, t->pre, "file", t->pre, "/tmp/stolen"), WASI_ERRNO_PERM);
    CHECK_EQ(g_link(t, t->pre, 0, "../outside/secret", t->pre, "hard"), WASI_ERRNO_PERM);
    CHECK_EQ(g_link(t, t->pre, 0, "file", t->pre, "../outside/hard"), WASI_ERRNO_PERM);
    CHECK_EQ(g_link(t, t->pre, FOLLOW, "/etc/passwd", t->pre, "hard"), WASI_ERRNO_PERM);
    CHECK_EQ(g_unlink(t, t->pre, "../outside/secret"), WASI_ERRNO_PERM);
    CHECK_EQ(g_rmdir(t, t->pre, "../outside"), WASI_ERRNO_PERM);
    CHECK_EQ(g_mkdir(t, t->pre, "../outside/x"), WASI_ERRNO_PERM);
    CHECK(host_exists(t, "sandbox/file"));
    CHECK(!host_exists(t, "sandbox/hard") && !host_exists(t, "sandbox/got"));
    /* the same operations inside the sandbox succeed */
    CHECK_EQ(g_rename(t, t->pre, "file", t->pre, "d/e/moved"), 0);
    CHECK_STR(host_read(t, "sandbox/d/e/moved"), "inside");
    CHECK_EQ(g_link(t, t->pre, 0, "d/e/moved", t->pre, "d/../file"), 0);
    CHECK_STR(host_read(t, "sandbox/file"), "inside");
    CHECK_EQ(g_unlink(t, t->pre, "d/e/moved"), 0);
    OUTSIDE_INTACT(t);
}

/* Paths the guest cannot even express: out of memory bounds, embedded NUL, bad UTF-8. */
static void
test_bad_path_bytes(TestEnv *t)
{
    WasiCtx *c = t->ctx;
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    CHECK_EQ(wasi_path_open(c, m, s, t->pre, 0, TMEM_SIZE - 2, 4, 0, 0, 0, 0, TMEM_OUT),
             WASI_ERRNO_FAULT);
    CHECK_EQ(wasi_path_open(c, m, s, t->pre, 0, 0xfffffffeu, 4, 0, 0, 0, 0, TMEM_OUT),
             WASI_ERRNO_FAULT);
    CHECK_EQ(wasi_path_create_directory(c, m, s, t->pre, 16, 0xffffffffu), WASI_ERRNO_FAULT);
    memcpy(m + TMEM_PATH1, "file\0x", 6);
    CHECK_EQ(wasi_path_open(c, m, s, t->pre, 0, TMEM_PATH1, 6, 0, 0, 0, 0, TMEM_OUT),
             WASI_ERRNO_INVAL);
    static const char *const bad_utf8[] = {"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80",
                                           "\xf4\x90\x80\x80"};
    for (size_t i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++) {
        uint32_t n = gput(t, TMEM_PATH1, bad_utf8[i]);
        CHECK_EQ(wasi_path_open(c, m, s, t->pre, 0, TMEM_PATH1, n, WASI_OFLAG_CREAT,
                                RIGHTS_ALL, 0, 0, TMEM_OUT),
                 WASI_ERRNO_ILSEQ);
    }
    uint32_t n = gput(t, TMEM_PATH1, "caf\xc3\xa9");
    CHECK_EQ(wasi_path_open(c, m, s, t->pre, 0, TMEM_PATH1, n, WASI_OFLAG_CREAT, RIGHTS_ALL, 0,
                            0, TMEM_OUT),
             0);
    CHECK(host_exists(t, "sandbox/caf\xc3\xa9"));
    /* the output pointer is checked before anything is created */
    n = gput(t, TMEM_PATH1, "never");
    CHECK_EQ(wasi_path_open(c, m, s, t->pre, 0, TMEM_PATH1, n, WASI_OFLAG_CREAT, RIGHTS_ALL, 0,
                            0, TMEM_SIZE - 3),
             WASI_ERRNO_FAULT);
    CHECK(!host_exists(t, "sandbox/never"));
}

/* Path operations on a descriptor that is not a directory, or that lacks the right. */
static void
test_dirfd_checks(TestEnv *t)
{
    uint32_t fd, dfd;
    CHECK_EQ(g_open(t, t->pre, 0, "d/f", 0, RIGHTS_ALL, 0, 0, &fd), 0);
    CHECK_EQ(OPEN_RO(t, fd, 0, "x", NULL), WASI_ERRNO_NOTDIR);
    CHECK_EQ(g_mkdir(t, fd, "x"), WASI_ERRNO_NOTDIR);
    g_close(t, fd);
    CHECK_EQ(OPEN_RO(t, 99, 0, "x", NULL), WASI_ERRNO_BADF);
    CHECK_EQ(g_mkdir(t, 1000000, "x"), WASI_ERRNO_BADF);
    /* a directory without PATH_CREATE_DIRECTORY cannot create one */
    CHECK_EQ(g_open(t, t->pre, 0, "d", WASI_OFLAG_DIRECTORY, WASI_RIGHT_PATH_OPEN, RIGHTS_ALL, 0,
                    &dfd),
             0);
    CHECK_EQ(g_mkdir(t, dfd, "x"), WASI_ERRNO_NOTCAPABLE);
    CHECK_EQ(g_unlink(t, dfd, "f"), WASI_ERRNO_NOTCAPABLE);
    CHECK(host_exists(t, "sandbox/d/f"));
    g_close(t, dfd);
}

int
main(void)
{
    void (*const tests[])(TestEnv *) = {
        test_dotdot,          test_absolute,      test_symlinks_out,
        test_symlink_loops,   test_symlinks_inside, test_guest_symlink_creation,
        test_rename_link_escapes, test_bad_path_bytes, test_dirfd_checks,
    };
    size_t n = sizeof(tests) / sizeof(tests[0]);
    return tenv_run(tests, n, setup_tree) ? check_exit() : SKIP;
}
