/*
 * Test fixture for the WASI unit tests: a temporary host tree
 *     <tmp>/sandbox/   preopened as guest fd 3, guest name "/sandbox"
 *     <tmp>/outside/   beside it, holding "secret": what an escape would reach
 * a fake guest memory (64 KiB) and helpers that place strings in it and call the imports.
 */
#ifndef SKUA_WASI_TEST_UTIL_H
#define SKUA_WASI_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/wasi/wasi_impl.h"

#define TMEM_SIZE 65536u
/* Guest addresses used by the helpers (callers use other areas). */
#define TMEM_PATH1 0x1000u
#define TMEM_PATH2 0x2000u
#define TMEM_OUT 0x3000u
#define TMEM_SCRATCH 0x4000u

typedef struct TestEnv {
    char root[256]; // the temporary directory
    WasiCtx *ctx;
    uint8_t *mem;
    uint64_t mem_size;
    uint32_t pre; // guest fd of the preopened sandbox
} TestEnv;

/* Creates the tree and the context; false (with a message) if the host cannot. */
bool tenv_init(TestEnv *t);
/* Frees the context and removes the whole tree. */
void tenv_fini(TestEnv *t);
/* Runs each test on a fresh TestEnv (after `setup`, when not NULL); false if the host cannot
 * make one (main then returns SKIP). */
bool tenv_run(void (*const tests[])(TestEnv *), size_t ntests, void (*setup)(TestEnv *));

/* Host-side helpers, paths relative to the temporary root. */
void host_write(TestEnv *t, const char *rel, const char *content);
void host_mkdir(TestEnv *t, const char *rel);
void host_symlink(TestEnv *t, const char *target, const char *rel);
bool host_exists(TestEnv *t, const char *rel);      // lstat succeeds
char *host_read(TestEnv *t, const char *rel);       // static buffer, "" if unreadable
int host_count_entries(TestEnv *t, const char *rel); // entries besides . and ..

/* Writes s into guest memory at addr (no NUL) and returns its length. */
uint32_t gput(TestEnv *t, uint32_t addr, const char *s);

/* Import wrappers taking C strings (placed at TMEM_PATH1/TMEM_PATH2). */
uint16_t g_open(TestEnv *t, uint32_t dirfd, uint32_t lookup, const char *path, uint32_t oflags,
                uint64_t base, uint64_t inheriting, uint32_t fdflags, uint32_t *out_fd);
uint16_t g_mkdir(TestEnv *t, uint32_t dirfd, const char *path);
uint16_t g_rmdir(TestEnv *t, uint32_t dirfd, const char *path);
uint16_t g_unlink(TestEnv *t, uint32_t dirfd, const char *path);
uint16_t g_symlink(TestEnv *t, const char *target, uint32_t dirfd, const char *path);
uint16_t g_rename(TestEnv *t, uint32_t dirfd, const char *from, uint32_t to_dirfd,
                  const char *to);
uint16_t g_link(TestEnv *t, uint32_t dirfd, uint32_t lookup, const char *from,
                uint32_t to_dirfd, const char *to);
uint16_t g_stat(TestEnv *t, uint32_t dirfd, uint32_t lookup, const char *path,
                uint8_t *out_type, uint64_t *out_size);
uint16_t g_readlink(TestEnv *t, uint32_t dirfd, const char *path, char *out, uint32_t cap,
                    uint32_t *out_len);
/* Writes s to fd, reads up to cap-1 bytes from fd into out (NUL-terminated). */
uint16_t g_write(TestEnv *t, uint32_t fd, const char *s, uint32_t *out_n);
uint16_t g_read(TestEnv *t, uint32_t fd, char *out, uint32_t cap, uint32_t *out_n);
uint16_t g_close(TestEnv *t, uint32_t fd);

/* All rights, for opening files without limiting them (a directory opened with write
 * rights fails with ISDIR, as open(2) does: use DIR_RIGHTS for directories). */
#define RIGHTS_ALL WASI_RIGHTS_ALL
#define DIR_RIGHTS WASI_RIGHTS_DIR_BASE

#endif
