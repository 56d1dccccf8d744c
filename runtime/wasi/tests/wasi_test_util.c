/*
 * The WASI test fixture (see wasi_test_util.h): temporary tree, fake guest memory, and
 * thin wrappers that put C strings into guest memory before calling an import.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/wasi/tests/wasi_test_util.h"
#include "runtime/wasi/wasi_impl.h"

static void
rel_path(TestEnv *t, const char *rel, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", t->root, rel);
}

bool
tenv_init(TestEnv *t)
{
    memset(t, 0, sizeof(*t));
    const char *tmp = getenv("TMPDIR");
    snprintf(t->root, sizeof(t->root), "%s/skua-wasi-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(t->root)) {
        fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
        return false;
    }
    host_mkdir(t, "sandbox");
    host_mkdir(t, "outside");
    host_write(t, "outside/secret", "secret");
    t->ctx = wasi_ctx_new();
    t->mem = calloc(1, TMEM_SIZE);
    t->mem_size = TMEM_SIZE;
    if (!t->ctx || !t->mem)
        return false;
    char path[512];
    rel_path(t, "sandbox", path, sizeof(path));
    if (wasi_ctx_preopen_dir(t->ctx, path, "/sandbox") != 0) {
        fprintf(stderr, "preopen failed\n");
        return false;
    }
    t->pre = 3;
    return true;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

void
tenv_fini(TestEnv *t)
{
    wasi_ctx_free(t->ctx);
    free(t->mem);
    if (t->root[0]) {
        /* Make everything removable first (tests may drop permissions). */
        nftw(t->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    memset(t, 0, sizeof(*t));
}

bool
tenv_run(void (*const tests[])(TestEnv *), size_t ntests, void (*setup)(TestEnv *))
{
    for (size_t i = 0; i < ntests; i++) {
        TestEnv t;
        if (!tenv_init(&t)) {
            tenv_fini(&t);
            return false;
        }
        if (setup)
            setup(&t);
        tests[i](&t);
        tenv_fini(&t);
    }
    return true;
}

void
host_write(TestEnv *t, const char *rel, const char *content)
{
    char path[512];
    rel_path(t, rel, path, sizeof(path));
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(content, f);
        fclose(f);
    }
}

void
host_mkdir(TestEnv *t, const char *rel)
{
    char path[512];
    rel_path(t, rel, path, sizeof(path));
    mkdir(path, 0777);
}

void
host_symlink(TestEnv *t, const char *target, const char *rel)
{
    char path[512];
    rel_path(t, rel, path, sizeof(path));
    if (symlink(target, path) != 0)
        fprintf(stderr, "symlink %s -> %s: %s\n", path, target, strerror(errno));
}

bool
host_exists(TestEnv *t, const char *rel)
{
    char path[512];
    struct stat st;
    rel_path(t, rel, path, sizeof(path));
    return lstat(path, &st) == 0;
}

char *
host_read(TestEnv *t, const char *rel)
{
    static char buf[4096];
    char path[512];
    rel_path(t, rel, path, sizeof(path));
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (f) {
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = 0;
        fclose(f);
    }
    return buf;
}

int
host_count_entries(TestEnv *t, const char *rel)
{
    char path[512];
    rel_path(t, rel, path, sizeof(path));
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    }
    closedir(d);
    return n;
}

uint32_t
gput(TestEnv *t, uint32_t addr, const char *s)
{
    size_t n = strlen(s);
    memcpy(t->mem + addr, s, n);
    return (uint32_t)n;
}

uint16_t
g_open(TestEnv *t, uint32_t dirfd, uint32_t lookup, const char *path, uint32_t oflags,
       uint64_t base, uint64_t inheriting, uint32_t fdflags, uint32_t *out_fd)
{
    uint32_t n = gput(t, TMEM_PATH1, path);
    uint16_t err = wasi_path_open(t->ctx, t->mem, t->mem_size, dirfd, lookup, TMEM_PATH1, n,
                                  oflags, base, inheriting, fdflags, TMEM_OUT);
    if (!err && out_fd)
        *out_fd = wasi_load_u32(t->mem + TMEM_OUT);
    return err;
}

uint16_t
g_mkdir(TestEnv *t, uint32_t dirfd, const char *path)
{
    uint32_t n = gput(t, TMEM_PATH1, path);
    return wasi_path_create_directory(t->ctx, t->mem, t->mem_size, dirfd, TMEM_PATH1, n);
}

uint16_t
g_rmdir(TestEnv *t, uint32_t dirfd, const char *path)
{
    uint32_t n = gput(t, TMEM_PATH1, path);
    return wasi_path_remove_directory(t->ctx, t->mem, t->mem_size, dirfd, TMEM_PATH1, n);
}

uint16_t
g_unlink(TestEnv *t, uint32_t dirfd, const char *path)
{
    uint32_t n = gput(t, TMEM_PATH1, path);
    return wasi_path_unlink_file(t->ctx, t->mem, t->mem_size, dirfd, TMEM_PATH1, n);
}

uint16_t
g_symlink(TestEnv *t, const char *target, uint32_t dirfd, const char *path)
{
    uint32_t n1 = gput(t, TMEM_PATH1, target);
    uint32_t n2 = gput(t, TMEM_PATH2, path);
    return wasi_path_symlink(t->ctx, t->mem, t->mem_size, TMEM_PATH1, n1, dirfd, TMEM_PATH2,
                             n2);
}

uint16_t
g_rename(TestEnv *t, uint32_t dirfd, const char *from, uint32_t to_dirfd, const char *to)
{
    uint32_t n1 = gput(t, TMEM_PATH1, from);
    uint32_t n2 = gput(t, TMEM_PATH2, to);
    return wasi_path_rename(t->ctx, t->mem, t->mem_size, dirfd, TMEM_PATH1, n1, to_dirfd,
                            TMEM_PATH2, n2);
}

uint16_t
g_link(TestEnv *t, uint32_t dirfd, uint32_t lookup, const char *from, uint32_t to_dirfd,
       const char *to)
{
    uint32_t n1 = gput(t, TMEM_PATH1, from);
    uint32_t n2 = gput(t, TMEM_PATH2, to);
    return wasi_path_link(t->ctx, t->mem, t->mem_size, dirfd, lookup, TMEM_PATH1, n1, to_dirfd,
                          TMEM_PATH2, n2);
}

uint16_t
g_stat(TestEnv *t, uint32_t dirfd, uint32_t lookup, const char *path, uint8_t *out_type,
       uint64_t *out_size)
{
    uint32_t n = gput(t, TMEM_PATH1, path);
    uint16_t err = wasi_path_filestat_get(t->ctx, t->mem, t->mem_size, dirfd, lookup,
                                          TMEM_PATH1, n, TMEM_OUT);
    if (!err) {
        if (out_type)
            *out_type = t->mem[TMEM_OUT + WASI_FILESTAT_FILETYPE_OFF];
        if (out_size)
            *out_size = wasi_load_u64(t->mem + TMEM_OUT + WASI_FILESTAT_SIZE_OFF);
    }
    return err;
}

uint16_t
g_readlink(TestEnv *t, uint32_t dirfd, const char *path, char *out, uint32_t cap,
           uint32_t *out_len)
{
    uint32_t n = gput(t, TMEM_PATH1, path);
    uint16_t err = wasi_path_readlink(t->ctx, t->mem, t->mem_size, dirfd, TMEM_PATH1, n,
                                      TMEM_SCRATCH, cap - 1, TMEM_OUT);
    if (!err) {
        uint32_t len = wasi_load_u32(t->mem + TMEM_OUT);
        memcpy(out, t->mem + TMEM_SCRATCH, len);
        out[len] = 0;
        if (out_len)
            *out_len = len;
    }
    return err;
}

uint16_t
g_write(TestEnv *t, uint32_t fd, const char *s, uint32_t *out_n)
{
    uint32_t n = gput(t, TMEM_SCRATCH + 64, s);
    wasi_store_u32(t->mem + TMEM_SCRATCH, TMEM_SCRATCH + 64);
    wasi_store_u32(t->mem + TMEM_SCRATCH + 4, n);
    uint16_t err = wasi_fd_write(t->ctx, t->mem, t->mem_size, fd, TMEM_SCRATCH, 1, TMEM_OUT);
    if (!err && out_n)
        *out_n = wasi_load_u32(t->mem + TMEM_OUT);
    return err;
}

uint16_t
g_read(TestEnv *t, uint32_t fd, char *out, uint32_t cap, uint32_t *out_n)
{
    wasi_store_u32(t->mem + TMEM_SCRATCH, TMEM_SCRATCH + 64);
    wasi_store_u32(t->mem + TMEM_SCRATCH + 4, cap - 1);
    uint16_t err = wasi_fd_read(t->ctx, t->mem, t->mem_size, fd, TMEM_SCRATCH, 1, TMEM_OUT);
    if (!err) {
        uint32_t n = wasi_load_u32(t->mem + TMEM_OUT);
        memcpy(out, t->mem + TMEM_SCRATCH + 64, n);
        out[n] = 0;
        if (out_n)
            *out_n = n;
    }
    return err;
}

uint16_t
g_close(TestEnv *t, uint32_t fd)
{
    return wasi_fd_close(t->ctx, t->mem, t->mem_size, fd);
}
