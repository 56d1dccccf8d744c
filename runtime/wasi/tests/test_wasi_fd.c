/*
 * WASI descriptor operations called directly: preopen discovery, read/write/seek through
 * guest iovecs, positioned I/O, flags and rights (only ever dropped), renumber/close,
 * filestat and times, fd_readdir with cookies and truncated buffers, stdio bound to a pipe,
 * and the bounds checks on every guest pointer (FAULT, with no side effect).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "runtime/wasi/tests/wasi_test_util.h"

#define FILE_RIGHTS WASI_RIGHTS_FILE_BASE

/* Creates sandbox/<name> with `content` through the guest and returns its fd. */
static uint32_t
create(TestEnv *t, const char *name, const char *content, uint64_t rights)
{
    uint32_t fd = 0, n;
    CHECK_EQ(g_open(t, t->pre, 0, name, WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC, rights, 0, 0, &fd), 0);
    if (content[0]) {
        CHECK_EQ(g_write(t, fd, content, &n), 0);
        CHECK_EQ(n, strlen(content));
    }
    return fd;
}

static uint64_t
seek(TestEnv *t, uint32_t fd, int64_t off, uint32_t whence, uint16_t *out_err)
{
    *out_err = wasi_fd_seek(t->ctx, t->mem, t->mem_size, fd, off, whence, TMEM_OUT);
    return *out_err ? UINT64_MAX : wasi_load_u64(t->mem + TMEM_OUT);
}

static void
test_prestat(TestEnv *t)
{
    WasiCtx *c = t->ctx;
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    CHECK_EQ(wasi_fd_prestat_get(c, m, s, t->pre, TMEM_OUT), 0);
    CHECK_EQ(m[TMEM_OUT], WASI_PREOPENTYPE_DIR);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT + 4), strlen("/sandbox"));
    /* wasi-libc scans from 3 until BADF: stdio is not a preopen, the next fd is closed */
    CHECK_EQ(wasi_fd_prestat_get(c, m, s, 1, TMEM_OUT), WASI_ERRNO_BADF);
    CHECK_EQ(wasi_fd_prestat_get(c, m, s, t->pre + 1, TMEM_OUT), WASI_ERRNO_BADF);
    CHECK_EQ(wasi_fd_prestat_get(c, m, s, t->pre, TMEM_SIZE - 4), WASI_ERRNO_FAULT);
    memset(m + TMEM_SCRATCH, 'x', 16);
    CHECK_EQ(wasi_fd_prestat_dir_name(c, m, s, t->pre, TMEM_SCRATCH, 7), WASI_ERRNO_NAMETOOLONG);
    CHECK_EQ(wasi_fd_prestat_dir_name(c, m, s, t->pre, TMEM_SCRATCH, 0), WASI_ERRNO_NAMETOOLONG);
    CHECK_EQ(wasi_fd_prestat_dir_name(c, m, s, t->pre, TMEM_SCRATCH, 9), 0);
    CHECK(memcmp(m + TMEM_SCRATCH, "/sandboxx", 9) == 0); // no NUL written
    CHECK_EQ(wasi_fd_prestat_dir_name(c, m, s, t->pre, TMEM_SIZE - 3, 8), WASI_ERRNO_FAULT);
    /* the preopen's rights: all directory rights, everything inheritable */
    CHECK_EQ(wasi_fd_fdstat_get(c, m, s, t->pre, TMEM_OUT), 0);
    CHECK_EQ(m[TMEM_OUT + WASI_FDSTAT_FILETYPE_OFF], WASI_FILETYPE_DIRECTORY);
    CHECK(wasi_load_u64(m + TMEM_OUT + WASI_FDSTAT_RIGHTS_BASE_OFF) & WASI_RIGHT_PATH_OPEN);
    CHECK_EQ(wasi_load_u64(m + TMEM_OUT + WASI_FDSTAT_RIGHTS_BASE_OFF) & WASI_RIGHT_FD_SEEK, 0);
    CHECK(wasi_load_u64(m + TMEM_OUT + WASI_FDSTAT_RIGHTS_INHERITING_OFF) & WASI_RIGHT_FD_WRITE);
}

static void
test_read_write_seek(TestEnv *t)
{
    uint16_t err;
    uint32_t fd = create(t, "f", "hello world", FILE_RIGHTS), n;
    CHECK_EQ(seek(t, fd, 0, WASI_WHENCE_CUR, &err), 11);
    CHECK_EQ(seek(t, fd, -5, WASI_WHENCE_END, &err), 6);
    char buf[64];
    CHECK_EQ(g_read(t, fd, buf, sizeof(buf), &n), 0);
    CHECK_STR(buf, "world");
    CHECK_EQ(g_read(t, fd, buf, sizeof(buf), &n), 0); // end of file
    CHECK_EQ(n, 0);
    CHECK_EQ(seek(t, fd, -100, WASI_WHENCE_CUR, &err), UINT64_MAX);
    CHECK_EQ(err, WASI_ERRNO_INVAL);
    CHECK_EQ(seek(t, fd, 0, 3, &err), UINT64_MAX);
    CHECK_EQ(err, WASI_ERRNO_INVAL);
    CHECK_EQ(wasi_fd_tell(t->ctx, t->mem, t->mem_size, fd, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u64(t->mem + TMEM_OUT), 11);
    /* scatter/gather: three iovecs, one of them empty */
    uint8_t *m = t->mem;
    const uint32_t iov = TMEM_SCRATCH, data = TMEM_SCRATCH + 256;
    memcpy(m + data, "ABCDEF", 6);
    wasi_store_u32(m + iov, data);
    wasi_store_u32(m + iov + 4, 2);
    wasi_store_u32(m + iov + 8, data);
    wasi_store_u32(m + iov + 12, 0);
    wasi_store_u32(m + iov + 16, data + 2);
    wasi_store_u32(m + iov + 20, 4);
    CHECK_EQ(wasi_fd_pwrite(t->ctx, m, t->mem_size, fd, iov, 3, 2, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 6);
    CHECK_STR(host_read(t, "sandbox/f"), "heABCDEFrld");
    memset(m + data, 0, 16);
    CHECK_EQ(wasi_fd_pread(t->ctx, m, t->mem_size, fd, iov, 3, 8, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 3); // short: the file ends
    CHECK(memcmp(m + data, "rld", 3) == 0);
    /* positioned I/O leaves the position alone */
    CHECK_EQ(seek(t, fd, 0, WASI_WHENCE_CUR, &err), 11);
    CHECK_EQ(wasi_fd_pread(t->ctx, m, t->mem_size, fd, iov, 3, (uint64_t)INT64_MAX + 1, TMEM_OUT),
             WASI_ERRNO_INVAL);
    CHECK_EQ(g_close(t, fd), 0);
    CHECK_EQ(g_close(t, fd), WASI_ERRNO_BADF);
    CHECK_EQ(g_write(t, fd, "x", &n), WASI_ERRNO_BADF);
}

/* Every guest pointer is checked; a failed call writes nothing and moves nothing. */
static void
test_bounds(TestEnv *t)
{
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    WasiCtx *c = t->ctx;
    uint32_t fd = create(t, "b", "0123456789", FILE_RIGHTS);
    const uint32_t iov = TMEM_SCRATCH;
    /* iovec array partly outside memory */
    CHECK_EQ(wasi_fd_write(c, m, s, fd, TMEM_SIZE - 4, 1, TMEM_OUT), WASI_ERRNO_FAULT);
    /* iovec count so large the array size overflows 32 bits */
    CHECK_EQ(wasi_fd_write(c, m, s, fd, iov, 0x20000000u, TMEM_OUT), WASI_ERRNO_FAULT);
    /* a buffer past the end, and one whose end wraps around 2^32 */
    wasi_store_u32(m + iov, TMEM_SIZE - 2);
    wasi_store_u32(m + iov + 4, 3);
    CHECK_EQ(wasi_fd_read(c, m, s, fd, iov, 1, TMEM_OUT), WASI_ERRNO_FAULT);
    wasi_store_u32(m + iov, 0xfffffff0u);
    wasi_store_u32(m + iov + 4, 0x20);
    CHECK_EQ(wasi_fd_write(c, m, s, fd, iov, 1, TMEM_OUT), WASI_ERRNO_FAULT);
    /* a bad second iovec fails the call even though the first is fine */
    wasi_store_u32(m + iov, 0);
    wasi_store_u32(m + iov + 4, 4);
    wasi_store_u32(m + iov + 8, TMEM_SIZE);
    wasi_store_u32(m + iov + 12, 1);
    CHECK_EQ(wasi_fd_write(c, m, s, fd, iov, 2, TMEM_OUT), WASI_ERRNO_FAULT);
    /* the result pointer */
    wasi_store_u32(m + iov + 12, 0);
    CHECK_EQ(wasi_fd_write(c, m, s, fd, iov, 2, TMEM_SIZE - 3), WASI_ERRNO_FAULT);
    CHECK_EQ(wasi_fd_seek(c, m, s, fd, 0, WASI_WHENCE_SET, TMEM_SIZE - 7), WASI_ERRNO_FAULT);
    CHECK_EQ(wasi_fd_filestat_get(c, m, s, fd, TMEM_SIZE - 63), WASI_ERRNO_FAULT);
    CHECK_EQ(wasi_fd_fdstat_get(c, m, s, fd, 0xffffffffu), WASI_ERRNO_FAULT);
    CHECK_STR(host_read(t, "sandbox/b"), "0123456789"); // nothing was written
    /* the very last bytes of memory are usable: a 0-length buffer at the end, 4 bytes
     * ending exactly at the end */
    memcpy(m + TMEM_SIZE - 4, "WXYZ", 4);
    wasi_store_u32(m + iov, TMEM_SIZE);
    wasi_store_u32(m + iov + 4, 0);
    wasi_store_u32(m + iov + 8, TMEM_SIZE - 4);
    wasi_store_u32(m + iov + 12, 4);
    CHECK_EQ(wasi_fd_pwrite(c, m, s, fd, iov, 2, 0, TMEM_SIZE - 8), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_SIZE - 8), 4);
    CHECK_STR(host_read(t, "sandbox/b"), "WXYZ456789");
    /* a guest memory of size 0 cannot hold anything */
    CHECK_EQ(wasi_fd_write(c, m, 0, fd, 0, 0, 0), WASI_ERRNO_FAULT);
    g_close(t, fd);
}

static void
test_flags_and_rights(TestEnv *t)
{
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    WasiCtx *c = t->ctx;
    uint32_t fd, n;
    /* append: writes go to the end whatever the position */
    CHECK_EQ(g_open(t, t->pre, 0, "a", WASI_OFLAG_CREAT, FILE_RIGHTS, 0, WASI_FDFLAG_APPEND, &fd),
             0);
    CHECK_EQ(wasi_fd_fdstat_get(c, m, s, fd, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u16(m + TMEM_OUT + WASI_FDSTAT_FLAGS_OFF), WASI_FDFLAG_APPEND);
    CHECK_EQ(m[TMEM_OUT + WASI_FDSTAT_FILETYPE_OFF], WASI_FILETYPE_REGULAR_FILE);
    g_write(t, fd, "12345", &n);
    uint16_t err;
    seek(t, fd, 0, WASI_WHENCE_SET, &err);
    g_write(t, fd, "ab", &n);
    CHECK_STR(host_read(t, "sandbox/a"), "12345ab");
    CHECK_EQ(wasi_fd_fdstat_set_flags(c, m, s, fd, 0), 0);
    seek(t, fd, 0, WASI_WHENCE_SET, &err);
    g_write(t, fd, "X", &n);
    CHECK_STR(host_read(t, "sandbox/a"), "X2345ab");
    CHECK_EQ(wasi_fd_fdstat_set_flags(c, m, s, fd, 0x100), WASI_ERRNO_INVAL);
    CHECK_EQ(wasi_fd_fdstat_set_flags(c, m, s, fd, WASI_FDFLAG_SYNC), WASI_ERRNO_NOTSUP);
    /* rights: drop read, keep the rest; gaining them back is refused */
    CHECK_EQ(wasi_fd_fdstat_set_rights(c, m, s, fd, FILE_RIGHTS & ~WASI_RIGHT_FD_READ, 0), 0);
    char buf[16];
    CHECK_EQ(g_read(t, fd, buf, sizeof(buf), &n), WASI_ERRNO_NOTCAPABLE);
    CHECK_EQ(g_write(t, fd, "Y", &n), 0);
    CHECK_EQ(wasi_fd_fdstat_set_rights(c, m, s, fd, FILE_RIGHTS, 0), WASI_ERRNO_NOTCAPABLE);
    CHECK_EQ(wasi_fd_fdstat_set_rights(c, m, s, fd, 0, WASI_RIGHT_FD_READ), WASI_ERRNO_NOTCAPABLE);
    CHECK_EQ(wasi_fd_fdstat_set_rights(c, m, s, fd, 0, 0), 0);
    CHECK_EQ(wasi_fd_fdstat_set_flags(c, m, s, fd, 0), WASI_ERRNO_NOTCAPABLE);
    CHECK_EQ(wasi_fd_filestat_get(c, m, s, fd, TMEM_OUT), WASI_ERRNO_NOTCAPABLE);
    g_close(t, fd);
    /* a file opened read-only has no write right and cannot write */
    CHECK_EQ(g_open(t, t->pre, 0, "a", 0, WASI_RIGHT_FD_READ, 0, 0, &fd), 0);
    CHECK_EQ(wasi_fd_fdstat_get(c, m, s, fd, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u64(m + TMEM_OUT + WASI_FDSTAT_RIGHTS_BASE_OFF), WASI_RIGHT_FD_READ);
    CHECK_EQ(g_write(t, fd, "Z", &n), WASI_ERRNO_NOTCAPABLE);
    g_close(t, fd);
    /* a directory never gets seek/read/write rights; opening it for writing is ISDIR */
    CHECK_EQ(g_open(t, t->pre, 0, ".", WASI_OFLAG_DIRECTORY, RIGHTS_ALL & ~WASI_RIGHT_FD_WRITE &
                    ~WASI_RIGHT_FD_DATASYNC & ~WASI_RIGHT_FD_ALLOCATE & ~WASI_RIGHT_FD_FILESTAT_SET_SIZE,
                    0, 0, &fd), 0);
    CHECK_EQ(wasi_fd_fdstat_get(c, m, s, fd, TMEM_OUT), 0);
    uint64_t base = wasi_load_u64(m + TMEM_OUT + WASI_FDSTAT_RIGHTS_BASE_OFF);
    CHECK_EQ(base & (WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE), 0);
    CHECK(base & WASI_RIGHT_FD_READDIR);
    CHECK_EQ(wasi_fd_seek(c, m, s, fd, 0, WASI_WHENCE_CUR, TMEM_OUT), WASI_ERRNO_NOTCAPABLE);
    CHECK_EQ(g_read(t, fd, buf, sizeof(buf), &n), WASI_ERRNO_NOTCAPABLE);
    g_close(t, fd);
    CHECK_EQ(g_open(t, t->pre, 0, ".", WASI_OFLAG_DIRECTORY,
                    WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE, 0, 0, &fd),
             WASI_ERRNO_ISDIR);
    /* rights asked beyond what the directory passes on are silently dropped */
    CHECK_EQ(wasi_fd_fdstat_set_rights(c, m, s, t->pre, WASI_RIGHTS_DIR_BASE,
                                       WASI_RIGHTS_DIR_INHERITING & ~WASI_RIGHT_FD_WRITE),
             0);
    CHECK_EQ(g_open(t, t->pre, 0, "a", 0, FILE_RIGHTS, 0, 0, &fd), 0);
    CHECK_EQ(wasi_fd_fdstat_get(c, m, s, fd, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u64(m + TMEM_OUT + WASI_FDSTAT_RIGHTS_BASE_OFF), FILE_RIGHTS & ~WASI_RIGHT_FD_WRITE);
    g_close(t, fd);
    /* a directory without PATH_FILESTAT_SET_SIZE cannot open with TRUNC */
    CHECK_EQ(wasi_fd_fdstat_set_rights(c, m, s, t->pre,
                                       WASI_RIGHTS_DIR_BASE & ~WASI_RIGHT_PATH_FILESTAT_SET_SIZE,
                                       WASI_RIGHTS_DIR_INHERITING & ~WASI_RIGHT_FD_WRITE),
             0);
    CHECK_EQ(g_open(t, t->pre, 0, "a", WASI_OFLAG_TRUNC, 0, 0, 0, &fd), WASI_ERRNO_NOTCAPABLE);
    CHECK_STR(host_read(t, "sandbox/a"), "XY345ab");
    /* bad flag bits */
    CHECK_EQ(g_open(t, t->pre, 0, "a", 0x10, 0, 0, 0, &fd), WASI_ERRNO_INVAL);
    CHECK_EQ(g_open(t, t->pre, 2, "a", 0, 0, 0, 0, &fd), WASI_ERRNO_INVAL);
    CHECK_EQ(g_open(t, t->pre, 0, "a", 0, 0, 0, 0x20, &fd), WASI_ERRNO_INVAL);
}

static void
test_open_variants(TestEnv *t)
{
    uint32_t fd;
    host_write(t, "sandbox/e", "x");
    host_mkdir(t, "sandbox/dir");
    CHECK_EQ(g_open(t, t->pre, 0, "e", WASI_OFLAG_CREAT | WASI_OFLAG_EXCL, 0, 0, 0, &fd),
             WASI_ERRNO_EXIST);
    CHECK_EQ(g_open(t, t->pre, 0, "missing", 0, 0, 0, 0, &fd), WASI_ERRNO_NOENT);
    CHECK_EQ(g_open(t, t->pre, 0, "e", WASI_OFLAG_DIRECTORY, 0, 0, 0, &fd), WASI_ERRNO_NOTDIR);
    CHECK_EQ(g_open(t, t->pre, 0, "e/", 0, 0, 0, 0, &fd), WASI_ERRNO_NOTDIR);
    CHECK_EQ(g_open(t, t->pre, 0, "e///", 0, 0, 0, 0, &fd), WASI_ERRNO_NOTDIR);
    CHECK_EQ(g_open(t, t->pre, 0, "new/", WASI_OFLAG_CREAT, 0, 0, 0, &fd), WASI_ERRNO_ISDIR);
    CHECK_EQ(g_open(t, t->pre, 0, "dir/", 0, 0, 0, 0, &fd), 0);
    g_close(t, fd);
    CHECK_EQ(g_open(t, t->pre, 0, "dir", WASI_OFLAG_CREAT | WASI_OFLAG_DIRECTORY, 0, 0, 0, &fd),
             WASI_ERRNO_INVAL);
    CHECK_EQ(g_open(t, t->pre, 0, "e/x", 0, 0, 0, 0, &fd), WASI_ERRNO_NOTDIR);
    /* truncation on open */
    CHECK_EQ(g_open(t, t->pre, 0, "e", WASI_OFLAG_TRUNC, 0, 0, 0, &fd), 0);
    g_close(t, fd);
    CHECK_STR(host_read(t, "sandbox/e"), "");
    /* fds are handed out lowest first */
    uint32_t a, b, c;
    g_open(t, t->pre, 0, "e", 0, 0, 0, 0, &a);
    g_open(t, t->pre, 0, "e", 0, 0, 0, 0, &b);
    g_close(t, a);
    g_open(t, t->pre, 0, "e", 0, 0, 0, 0, &c);
    CHECK_EQ(c, a);
    CHECK_EQ(b, a + 1);
    g_close(t, b);
    g_close(t, c);
}

static void
test_renumber_close(TestEnv *t)
{
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    WasiCtx *c = t->ctx;
    uint32_t a = create(t, "r1", "one", FILE_RIGHTS), b = create(t, "r2", "two", FILE_RIGHTS);
    CHECK_EQ(wasi_fd_renumber(c, m, s, a, b), 0);
    CHECK_EQ(wasi_fd_fdstat_get(c, m, s, a, TMEM_OUT), WASI_ERRNO_BADF);
    uint16_t err;
    seek(t, b, 0, WASI_WHENCE_SET, &err);
    char buf[16];
    g_read(t, b, buf, sizeof(buf), NULL);
    CHECK_STR(buf, "one");
    CHECK_EQ(wasi_fd_renumber(c, m, s, b, a), WASI_ERRNO_BADF); // the target must be open
    CHECK_EQ(wasi_fd_renumber(c, m, s, b, b), 0);
    CHECK_EQ(wasi_fd_renumber(c, m, s, 1000, b), WASI_ERRNO_BADF);
    /* closing and renumbering over a preopen is allowed; its name goes with it */
    uint32_t dir;
    CHECK_EQ(g_open(t, t->pre, 0, ".", WASI_OFLAG_DIRECTORY, DIR_RIGHTS, RIGHTS_ALL, 0, &dir), 0);
    CHECK_EQ(wasi_fd_renumber(c, m, s, t->pre, dir), 0);
    CHECK_EQ(wasi_fd_prestat_get(c, m, s, dir, TMEM_OUT), 0);
    CHECK_EQ(wasi_fd_prestat_get(c, m, s, t->pre, TMEM_OUT), WASI_ERRNO_BADF);
    CHECK_EQ(g_close(t, dir), 0);
    CHECK_EQ(g_close(t, b), 0);
}

static void
test_stdio(TestEnv *t)
{
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    WasiCtx *c = t->ctx;
    int p[2];
    if (pipe(p) != 0)
        return;
    wasi_ctx_set_stdio(c, p[0], p[1], p[1]);
    uint32_t n;
    CHECK_EQ(g_write(t, 1, "out", &n), 0);
    CHECK_EQ(g_write(t, 2, "err", &n), 0);
    char buf[16] = {0};
    CHECK_EQ(read(p[0], buf, sizeof(buf) - 1), 6);
    CHECK_STR(buf, "outerr");
    CHECK_EQ(wasi_fd_fdstat_get(c, m, s, 1, TMEM_OUT), 0);
    uint64_t base = wasi_load_u64(m + TMEM_OUT + WASI_FDSTAT_RIGHTS_BASE_OFF);
    CHECK(base & WASI_RIGHT_FD_WRITE);
    CHECK_EQ(base & WASI_RIGHT_FD_SEEK, 0); // a pipe has no position
    CHECK_EQ(wasi_fd_seek(c, m, s, 1, 0, WASI_WHENCE_SET, TMEM_OUT), WASI_ERRNO_NOTCAPABLE);
    /* the guest closing its stdio leaves the host's descriptor open */
    CHECK_EQ(g_close(t, 1), 0);
    CHECK_EQ(g_write(t, 1, "x", &n), WASI_ERRNO_BADF);
    CHECK_EQ(write(p[1], "y", 1), 1);
    CHECK_EQ(g_read(t, 0, buf, sizeof(buf), &n), 0);
    CHECK_STR(buf, "y");
    wasi_ctx_set_stdio(c, -1, -1, -1);
    CHECK_EQ(g_write(t, 2, "x", &n), WASI_ERRNO_BADF);
    close(p[0]);
    close(p[1]);
}

static void
test_filestat(TestEnv *t)
{
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    WasiCtx *c = t->ctx;
    uint32_t fd = create(t, "st", "12345", FILE_RIGHTS);
    CHECK_EQ(wasi_fd_filestat_get(c, m, s, fd, TMEM_OUT), 0);
    CHECK_EQ(m[TMEM_OUT + WASI_FILESTAT_FILETYPE_OFF], WASI_FILETYPE_REGULAR_FILE);
    CHECK_EQ(wasi_load_u64(m + TMEM_OUT + WASI_FILESTAT_SIZE_OFF), 5);
    CHECK_EQ(wasi_load_u64(m + TMEM_OUT + WASI_FILESTAT_NLINK_OFF), 1);
    uint64_t ino = wasi_load_u64(m + TMEM_OUT + WASI_FILESTAT_INO_OFF);
    uint64_t atim = wasi_load_u64(m + TMEM_OUT + WASI_FILESTAT_ATIM_OFF);
    CHECK_EQ(wasi_fd_filestat_set_size(c, m, s, fd, 100), 0);
    CHECK_EQ(wasi_fd_filestat_get(c, m, s, fd, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u64(m + TMEM_OUT + WASI_FILESTAT_SIZE_OFF), 100);
    CHECK_EQ(wasi_fd_filestat_set_size(c, m, s, fd, (uint64_t)INT64_MAX + 1), WASI_ERRNO_INVAL);
    /* times: set mtim exactly, leave atim alone */
    const uint64_t when = 1000000000ull * 1234567890ull + 42;
    CHECK_EQ(wasi_fd_filestat_set_times(c, m, s, fd, 0, when, WASI_FSTFLAG_MTIM), 0);
    CHECK_EQ(wasi_fd_filestat_get(c, m, s, fd, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u64(m + TMEM_OUT + WASI_FILESTAT_MTIM_OFF), when);
    CHECK_EQ(wasi_load_u64(m + TMEM_OUT + WASI_FILESTAT_ATIM_OFF), atim);
    CHECK_EQ(wasi_fd_filestat_set_times(c, m, s, fd, 0, 0,
                                        WASI_FSTFLAG_MTIM | WASI_FSTFLAG_MTIM_NOW),
             WASI_ERRNO_INVAL);
    CHECK_EQ(wasi_fd_filestat_set_times(c, m, s, fd, 0, 0,
                                        WASI_FSTFLAG_ATIM | WASI_FSTFLAG_ATIM_NOW),
             WASI_ERRNO_INVAL);
    CHECK_EQ(wasi_fd_filestat_set_times(c, m, s, fd, 0, 0, 0x10), WASI_ERRNO_INVAL);
    /* path_filestat_get sees the same file */
    uint8_t type;
    uint64_t size;
    CHECK_EQ(g_stat(t, t->pre, 0, "st", &type, &size), 0);
    CHECK_EQ(size, 100);
    CHECK_EQ(wasi_load_u64(m + TMEM_OUT + WASI_FILESTAT_INO_OFF), ino);
    CHECK_EQ(g_stat(t, t->pre, 0, "st/", &type, &size), WASI_ERRNO_NOTDIR);
    CHECK_EQ(g_stat(t, t->pre, 2, "st", &type, &size), WASI_ERRNO_INVAL);
    /* allocate grows the file (or the host says NOTSUP) */
    uint16_t err = wasi_fd_allocate(c, m, s, fd, 90, 20);
    CHECK(err == 0 || err == WASI_ERRNO_NOTSUP);
    if (!err) {
        wasi_fd_filestat_get(c, m, s, fd, TMEM_OUT);
        CHECK_EQ(wasi_load_u64(m + TMEM_OUT + WASI_FILESTAT_SIZE_OFF), 110);
    }
    CHECK_EQ(wasi_fd_advise(c, m, s, fd, 0, 10, WASI_ADVICE_SEQUENTIAL), 0);
    CHECK_EQ(wasi_fd_advise(c, m, s, fd, 0, 10, 6), WASI_ERRNO_INVAL);
    CHECK_EQ(wasi_fd_sync(c, m, s, fd), 0);
    CHECK_EQ(wasi_fd_datasync(c, m, s, fd), 0);
    g_close(t, fd);
}

/* Parses a readdir buffer: counts entries, remembers the cookie of the last complete one. */
static int
parse_dirents(const uint8_t *buf, uint32_t used, char names[][32], uint64_t *out_last_next)
{
    int n = 0;
    uint32_t off = 0;
    while (off + WASI_DIRENT_SIZE <= used) {
        uint32_t len = wasi_load_u32(buf + off + WASI_DIRENT_NAMLEN_OFF);
        if (off + WASI_DIRENT_SIZE + len > used)
            break;
        if (names && len < 32) {
            memcpy(names[n], buf + off + WASI_DIRENT_SIZE, len);
            names[n][len] = 0;
        }
        *out_last_next = wasi_load_u64(buf + off + WASI_DIRENT_NEXT_OFF);
        off += WASI_DIRENT_SIZE + len;
        n++;
    }
    return n;
}

static void
test_readdir(TestEnv *t)
{
    uint8_t *m = t->mem;
    uint64_t s = t->mem_size;
    WasiCtx *c = t->ctx;
    host_mkdir(t, "sandbox/rd");
    host_write(t, "sandbox/rd/file", "");
    host_mkdir(t, "sandbox/rd/sub");
    uint32_t dir;
    CHECK_EQ(g_open(t, t->pre, 0, "rd", WASI_OFLAG_DIRECTORY, DIR_RIGHTS, 0, 0, &dir), 0);
    const uint32_t buf = TMEM_SCRATCH;
    CHECK_EQ(wasi_fd_readdir(c, m, s, dir, buf, 4096, 0, TMEM_OUT), 0);
    uint32_t used = wasi_load_u32(m + TMEM_OUT);
    char names[8][32];
    uint64_t last = 0;
    CHECK_EQ(parse_dirents(m + buf, used, names, &last), 4);
    CHECK_EQ(last, 4);
    int seen = 0;
    for (int i = 0; i < 4; i++) {
        const uint8_t *e = m + buf; // find the entry's type by walking again
        uint32_t off = 0;
        for (int k = 0; k < i; k++)
            off += WASI_DIRENT_SIZE + wasi_load_u32(e + off + WASI_DIRENT_NAMLEN_OFF);
        uint8_t type = e[off + WASI_DIRENT_TYPE_OFF];
        if (!strcmp(names[i], "file") && type == WASI_FILETYPE_REGULAR_FILE)
            seen |= 1;
        if (!strcmp(names[i], "sub") && type == WASI_FILETYPE_DIRECTORY)
            seen |= 2;
        if (!strcmp(names[i], ".") && type == WASI_FILETYPE_DIRECTORY)
            seen |= 4;
        if (!strcmp(names[i], "..") && type == WASI_FILETYPE_DIRECTORY)
            seen |= 8;
    }
    CHECK_EQ(seen, 15);
    /* resuming at cookie 2 gives exactly the last two */
    char rest[8][32];
    CHECK_EQ(wasi_fd_readdir(c, m, s, dir, buf, 4096, 2, TMEM_OUT), 0);
    CHECK_EQ(parse_dirents(m + buf, wasi_load_u32(m + TMEM_OUT), rest, &last), 2);
    CHECK_STR(rest[0], names[2]);
    CHECK_STR(rest[1], names[3]);
    CHECK_EQ(wasi_fd_readdir(c, m, s, dir, buf, 4096, 4, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 0);
    CHECK_EQ(wasi_fd_readdir(c, m, s, dir, buf, 4096, 1000, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 0);
    /* a buffer too small is filled completely, the last entry cut short */
    CHECK_EQ(wasi_fd_readdir(c, m, s, dir, buf, 30, 0, TMEM_OUT), 0);
    CHECK_EQ(wasi_load_u32(m + TMEM_OUT), 30);
    /* many entries read in small pieces, resuming from the last complete entry */
    char name[32];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof(name), "sandbox/rd/entry.%d", i);
        host_write(t, name, "");
    }
    uint64_t cookie = 0;
    int total = 0;
    for (int round = 0; round < 1000; round++) {
        CHECK_EQ(wasi_fd_readdir(c, m, s, dir, buf, 128, cookie, TMEM_OUT), 0);
        used = wasi_load_u32(m + TMEM_OUT);
        uint64_t next = cookie;
        total += parse_dirents(m + buf, used, NULL, &next);
        cookie = next;
        if (used < 128)
            break;
    }
    CHECK_EQ(total, 104);
    /* errors: not a directory, no right, out-of-bounds buffer */
    uint32_t f = create(t, "notdir", "", FILE_RIGHTS);
    CHECK_EQ(wasi_fd_readdir(c, m, s, f, buf, 128, 0, TMEM_OUT), WASI_ERRNO_NOTCAPABLE);
    CHECK_EQ(wasi_fd_readdir(c, m, s, dir, TMEM_SIZE - 10, 128, 0, TMEM_OUT), WASI_ERRNO_FAULT);
    g_close(t, f);
    g_close(t, dir);
}

/* POSIX trailing-slash rules: "name/" must be a directory (Linux's errnos). */
static void
test_trailing_slashes(TestEnv *t)
{
    host_write(t, "sandbox/file", "x");
    host_mkdir(t, "sandbox/dir");
    host_symlink(t, "dir", "sandbox/dlink");
    CHECK_EQ(g_unlink(t, t->pre, "file/"), WASI_ERRNO_NOTDIR);
    CHECK_EQ(g_unlink(t, t->pre, "dir/"), WASI_ERRNO_ISDIR);
    CHECK_EQ(g_unlink(t, t->pre, "dir"), WASI_ERRNO_ISDIR);
    CHECK_EQ(g_rmdir(t, t->pre, "file/"), WASI_ERRNO_NOTDIR);
    CHECK_EQ(g_rmdir(t, t->pre, "file"), WASI_ERRNO_NOTDIR);
    CHECK_EQ(g_rmdir(t, t->pre, "dlink/"), WASI_ERRNO_NOTDIR); // never removes the target
    CHECK(host_exists(t, "sandbox/dir"));
    CHECK_EQ(g_symlink(t, "x", t->pre, "new/"), WASI_ERRNO_NOENT);
    CHECK_EQ(g_symlink(t, "x", t->pre, "dir/"), WASI_ERRNO_EXIST);
    CHECK_EQ(g_symlink(t, "x", t->pre, "file/"), WASI_ERRNO_NOTDIR);
    CHECK_EQ(g_symlink(t, "x", t->pre, "file"), WASI_ERRNO_EXIST);
    CHECK_EQ(g_link(t, t->pre, 0, "file", t->pre, "new/"), WASI_ERRNO_NOENT);
    CHECK_EQ(g_link(t, t->pre, 0, "file/", t->pre, "new"), WASI_ERRNO_NOTDIR);
    CHECK_EQ(g_link(t, t->pre, 0, "dir", t->pre, "new"), WASI_ERRNO_PERM);
    CHECK_EQ(g_rename(t, t->pre, "file/", t->pre, "new"), WASI_ERRNO_NOTDIR);
    CHECK_EQ(g_rename(t, t->pre, "file", t->pre, "new/"), WASI_ERRNO_NOTDIR);
    CHECK(host_exists(t, "sandbox/file") && !host_exists(t, "sandbox/new"));
    CHECK_EQ(g_rename(t, t->pre, "dir/", t->pre, "dir2/"), 0);
    CHECK_EQ(g_rename(t, t->pre, "dir2", t->pre, "dir/"), 0);
    CHECK_EQ(g_mkdir(t, t->pre, "made/"), 0);
    CHECK_EQ(g_rmdir(t, t->pre, "made/"), 0);
    CHECK_EQ(g_rmdir(t, t->pre, "."), WASI_ERRNO_INVAL);
    CHECK_EQ(g_mkdir(t, t->pre, "."), WASI_ERRNO_EXIST);
    host_mkdir(t, "sandbox/dir/sub");
    CHECK_EQ(g_rmdir(t, t->pre, "dir"), WASI_ERRNO_NOTEMPTY);
}

int
main(void)
{
    void (*const tests[])(TestEnv *) = {
        test_prestat,  test_read_write_seek, test_bounds,   test_flags_and_rights,
        test_open_variants, test_renumber_close, test_stdio, test_filestat,
        test_readdir,  test_trailing_slashes,
    };
    size_t n = sizeof(tests) / sizeof(tests[0]);
    return tenv_run(tests, n, NULL) ? check_exit() : SKIP;
}
