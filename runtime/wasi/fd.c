/*
 * WASI descriptor operations (the fd_* imports): reads and writes through guest iovecs,
 * seeking, stat and times, flags and rights, preopen names, renumbering and fd_readdir.
 * Each function first checks the descriptor and the rights the operation needs (BADF,
 * NOTCAPABLE), then every guest pointer it will touch (FAULT), and only then acts, so a
 * failing call has no side effect. Requires: ctx.c's table; guarantees: no guest-controlled
 * value reaches memory unchecked.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "runtime/wasi/wasi_impl.h"

#ifdef __APPLE__
#define ST_ATIM st_atimespec
#define ST_MTIM st_mtimespec
#define ST_CTIM st_ctimespec
#else
#define ST_ATIM st_atim
#define ST_MTIM st_mtim
#define ST_CTIM st_ctim
#endif

/* iovecs kept on the stack before falling back to the heap */
#define SMALL_IOV 16

static uint64_t
timespec_to_ns(struct timespec ts)
{
    if (ts.tv_sec < 0)
        return 0;
    uint64_t sec = (uint64_t)ts.tv_sec;
    if (sec > UINT64_MAX / 1000000000u - 1)
        return UINT64_MAX;
    return sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void
wasi_filestat_store(uint8_t *p, const struct stat *st)
{
    memset(p, 0, WASI_FILESTAT_SIZE);
    wasi_store_u64(p + WASI_FILESTAT_DEV_OFF, (uint64_t)st->st_dev);
    wasi_store_u64(p + WASI_FILESTAT_INO_OFF, (uint64_t)st->st_ino);
    p[WASI_FILESTAT_FILETYPE_OFF] = wasi_filetype_from_mode(st->st_mode);
    wasi_store_u64(p + WASI_FILESTAT_NLINK_OFF, (uint64_t)st->st_nlink);
    wasi_store_u64(p + WASI_FILESTAT_SIZE_OFF, (uint64_t)st->st_size);
    wasi_store_u64(p + WASI_FILESTAT_ATIM_OFF, timespec_to_ns(st->ST_ATIM));
    wasi_store_u64(p + WASI_FILESTAT_MTIM_OFF, timespec_to_ns(st->ST_MTIM));
    wasi_store_u64(p + WASI_FILESTAT_CTIM_OFF, timespec_to_ns(st->ST_CTIM));
}

uint16_t
wasi_times_prepare(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct timespec *out)
{
    if (fst_flags & ~(uint32_t)WASI_FSTFLAGS_ALL)
        return WASI_ERRNO_INVAL;
    if ((fst_flags & WASI_FSTFLAG_ATIM) && (fst_flags & WASI_FSTFLAG_ATIM_NOW))
        return WASI_ERRNO_INVAL;
    if ((fst_flags & WASI_FSTFLAG_MTIM) && (fst_flags & WASI_FSTFLAG_MTIM_NOW))
        return WASI_ERRNO_INVAL;
    const uint64_t t[2] = {atim, mtim};
    const uint32_t set[2] = {WASI_FSTFLAG_ATIM, WASI_FSTFLAG_MTIM};
    const uint32_t now[2] = {WASI_FSTFLAG_ATIM_NOW, WASI_FSTFLAG_MTIM_NOW};
    for (int i = 0; i < 2; i++) {
        out[i].tv_sec = 0;
        if (fst_flags & now[i]) {
            out[i].tv_nsec = UTIME_NOW;
        } else if (fst_flags & set[i]) {
            out[i].tv_sec = (time_t)(t[i] / 1000000000u);
            out[i].tv_nsec = (long)(t[i] % 1000000000u);
        } else {
            out[i].tv_nsec = UTIME_OMIT;
        }
    }
    return WASI_ERRNO_SUCCESS;
}

/* ---- reading and writing ---- */

/* fd_read and fd_write: readv/writev on the host descriptor, the count stored on success. */
static uint16_t
fd_rw(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t iovs,
      uint32_t iovs_len, uint32_t out_n, bool write)
{
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, write ? WASI_RIGHT_FD_WRITE : WASI_RIGHT_FD_READ, &e);
    if (err)
        return err;
    if (!wasi_mem_ok(mem_size, out_n, 4))
        return WASI_ERRNO_FAULT;
    struct iovec small[SMALL_IOV], *iov;
    int n;
    err = wasi_iovecs_load(mem, mem_size, iovs, iovs_len, small, SMALL_IOV, &iov, &n);
    if (err)
        return err;
    ssize_t done;
    do
        done = write ? writev(e->host, iov, n) : readv(e->host, iov, n);
    while (done < 0 && errno == EINTR);
    err = done < 0 ? wasi_errno_last() : WASI_ERRNO_SUCCESS;
    wasi_iovecs_free(iov, small);
    if (!err)
        wasi_store_u32(mem + out_n, (uint32_t)done);
    return err;
}

uint16_t
wasi_fd_read(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t iovs,
             uint32_t iovs_len, uint32_t out_nread)
{
    return fd_rw(ctx, mem, mem_size, fd, iovs, iovs_len, out_nread, false);
}

uint16_t
wasi_fd_write(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t iovs,
              uint32_t iovs_len, uint32_t out_nwritten)
{
    return fd_rw(ctx, mem, mem_size, fd, iovs, iovs_len, out_nwritten, true);
}

/*
 * pread/pwrite over an iovec list, one buffer at a time (preadv/pwritev are not POSIX).
 * Stops at the first short transfer; an error after some bytes moved reports the bytes.
 */
static uint16_t
positioned_io(int host, struct iovec *iov, int n, uint64_t offset, bool write,
              uint32_t *out_total)
{
    uint64_t total = 0;
    for (int i = 0; i < n; i++) {
        if (iov[i].iov_len == 0)
            continue;
        if (offset + total > (uint64_t)INT64_MAX)
            return total ? WASI_ERRNO_SUCCESS : WASI_ERRNO_INVAL;
        off_t at = (off_t)(offset + total);
        ssize_t r;
        do
            r = write ? pwrite(host, iov[i].iov_base, iov[i].iov_len, at)
                      : pread(host, iov[i].iov_base, iov[i].iov_len, at);
        while (r < 0 && errno == EINTR);
        if (r < 0) {
            if (total)
                break;
            return wasi_errno_last();
        }
        total += (uint64_t)r;
        if ((size_t)r < iov[i].iov_len)
            break;
    }
    *out_total = (uint32_t)total;
    return WASI_ERRNO_SUCCESS;
}

static uint16_t
fd_prw(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t iovs,
       uint32_t iovs_len, uint64_t offset, uint32_t out_n, bool write)
{
    WasiFd *e;
    uint64_t need = (write ? WASI_RIGHT_FD_WRITE : WASI_RIGHT_FD_READ) | WASI_RIGHT_FD_SEEK;
    uint16_t err = wasi_fd_lookup(ctx, fd, need, &e);
    if (err)
        return err;
    if (!wasi_mem_ok(mem_size, out_n, 4))
        return WASI_ERRNO_FAULT;
    if (offset > (uint64_t)INT64_MAX)
        return WASI_ERRNO_INVAL;
    struct iovec small[SMALL_IOV], *iov;
    int n;
    err = wasi_iovecs_load(mem, mem_size, iovs, iovs_len, small, SMALL_IOV, &iov, &n);
    if (err)
        return err;
    uint32_t total = 0;
    err = positioned_io(e->host, iov, n, offset, write, &total);
    wasi_iovecs_free(iov, small);
    if (!err)
        wasi_store_u32(mem + out_n, total);
    return err;
}

uint16_t
wasi_fd_pread(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t iovs,
              uint32_t iovs_len, uint64_t offset, uint32_t out_nread)
{
    return fd_prw(ctx, mem, mem_size, fd, iovs, iovs_len, offset, out_nread, false);
}

uint16_t
wasi_fd_pwrite(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t iovs,
               uint32_t iovs_len, uint64_t offset, uint32_t out_nwritten)
{
    return fd_prw(ctx, mem, mem_size, fd, iovs, iovs_len, offset, out_nwritten, true);
}

/* ---- position ---- */

uint16_t
wasi_fd_seek(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, int64_t offset,
             uint32_t whence, uint32_t out_newoffset)
{
    /* Reading the position only (offset 0 from CUR) needs FD_TELL, as in wasi-common. */
    uint64_t need = (offset == 0 && whence == WASI_WHENCE_CUR) ? WASI_RIGHT_FD_TELL
                                                                : WASI_RIGHT_FD_SEEK;
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, need, &e);
    if (err == WASI_ERRNO_NOTCAPABLE && need == WASI_RIGHT_FD_TELL)
        err = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_SEEK, &e);
    if (err)
        return err;
    int how;
    switch (whence) {
    case WASI_WHENCE_SET: how = SEEK_SET; break;
    case WASI_WHENCE_CUR: how = SEEK_CUR; break;
    case WASI_WHENCE_END: how = SEEK_END; break;
    default: return WASI_ERRNO_INVAL;
    }
    if (!wasi_mem_ok(mem_size, out_newoffset, 8))
        return WASI_ERRNO_FAULT;
    off_t pos = lseek(e->host, (off_t)offset, how);
    if (pos < 0)
        return wasi_errno_last();
    wasi_store_u64(mem + out_newoffset, (uint64_t)pos);
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_fd_tell(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t out_offset)
{
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_TELL, &e);
    if (err)
        return err;
    if (!wasi_mem_ok(mem_size, out_offset, 8))
        return WASI_ERRNO_FAULT;
    off_t pos = lseek(e->host, 0, SEEK_CUR);
    if (pos < 0)
        return wasi_errno_last();
    wasi_store_u64(mem + out_offset, (uint64_t)pos);
    return WASI_ERRNO_SUCCESS;
}

/* ---- file data management ---- */

uint16_t
wasi_fd_advise(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint64_t offset,
               uint64_t len, uint32_t advice)
{
    (void)mem;
    (void)mem_size;
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_ADVISE, &e);
    if (err)
        return err;
    if (advice > WASI_ADVICE_NOREUSE || offset > (uint64_t)INT64_MAX ||
        len > (uint64_t)INT64_MAX)
        return WASI_ERRNO_INVAL;
#if defined(POSIX_FADV_NORMAL) && !defined(__APPLE__)
    static const int host_advice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL,
                                      POSIX_FADV_RANDOM,   POSIX_FADV_WILLNEED,
                                      POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    int r = posix_fadvise(e->host, (off_t)offset, (off_t)len, host_advice[advice]);
    return wasi_errno_from_host(r);
#else
    return WASI_ERRNO_SUCCESS; // advice is only a hint
#endif
}

uint16_t
wasi_fd_allocate(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint64_t offset,
                 uint64_t len)
{
    (void)mem;
    (void)mem_size;
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_ALLOCATE, &e);
    if (err)
        return err;
    if (offset > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - offset)
        return WASI_ERRNO_INVAL;
#ifdef __APPLE__
    return WASI_ERRNO_NOTSUP;
#else
    int r;
    do
        r = posix_fallocate(e->host, (off_t)offset, (off_t)len);
    while (r == EINTR);
    return wasi_errno_from_host(r);
#endif
}

uint16_t
wasi_fd_datasync(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd)
{
    (void)mem;
    (void)mem_size;
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_DATASYNC, &e);
    if (err)
        return err;
#ifdef __APPLE__
    int r = fsync(e->host);
#else
    int r = fdatasync(e->host);
#endif
    return r < 0 ? wasi_errno_last() : WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_fd_sync(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd)
{
    (void)mem;
    (void)mem_size;
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_SYNC, &e);
    if (err)
        return err;
    return fsync(e->host) < 0 ? wasi_errno_last() : WASI_ERRNO_SUCCESS;
}

/* ---- descriptor attributes ---- */

uint16_t
wasi_fd_fdstat_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                   uint32_t out_fdstat)
{
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, 0, &e);
    if (err)
        return err;
    if (!wasi_mem_ok(mem_size, out_fdstat, WASI_FDSTAT_SIZE))
        return WASI_ERRNO_FAULT;
    uint8_t *p = mem + out_fdstat;
    memset(p, 0, WASI_FDSTAT_SIZE);
    p[WASI_FDSTAT_FILETYPE_OFF] = e->filetype;
    wasi_store_u16(p + WASI_FDSTAT_FLAGS_OFF, e->fdflags);
    wasi_store_u64(p + WASI_FDSTAT_RIGHTS_BASE_OFF, e->rights_base);
    wasi_store_u64(p + WASI_FDSTAT_RIGHTS_INHERITING_OFF, e->rights_inheriting);
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_fd_fdstat_set_flags(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                         uint32_t flags)
{
    (void)mem;
    (void)mem_size;
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &e);
    if (err)
        return err;
    if (flags & ~(uint32_t)WASI_FDFLAGS_ALL)
        return WASI_ERRNO_INVAL;
    /* The synchronisation flags are fixed at open time on POSIX hosts (F_SETFL ignores
     * them), so a request to change them cannot be honoured. */
    const uint32_t sync = WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC;
    if ((flags & sync) != (e->fdflags & sync))
        return WASI_ERRNO_NOTSUP;
    int fl = fcntl(e->host, F_GETFL);
    if (fl < 0)
        return wasi_errno_last();
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WASI_FDFLAG_APPEND)
        fl |= O_APPEND;
    if (flags & WASI_FDFLAG_NONBLOCK)
        fl |= O_NONBLOCK;
    if (fcntl(e->host, F_SETFL, fl) < 0)
        return wasi_errno_last();
    e->fdflags = (uint16_t)flags;
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_fd_fdstat_set_rights(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                          uint64_t rights_base, uint64_t rights_inheriting)
{
    (void)mem;
    (void)mem_size;
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, 0, &e);
    if (err)
        return err;
    /* Rights can only be dropped, never gained. */
    if ((rights_base & ~e->rights_base) || (rights_inheriting & ~e->rights_inheriting))
        return WASI_ERRNO_NOTCAPABLE;
    e->rights_base = rights_base;
    e->rights_inheriting = rights_inheriting;
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_fd_filestat_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                     uint32_t out_filestat)
{
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_FILESTAT_GET, &e);
    if (err)
        return err;
    if (!wasi_mem_ok(mem_size, out_filestat, WASI_FILESTAT_SIZE))
        return WASI_ERRNO_FAULT;
    struct stat st;
    if (fstat(e->host, &st) < 0)
        return wasi_errno_last();
    wasi_filestat_store(mem + out_filestat, &st);
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_fd_filestat_set_size(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                          uint64_t size)
{
    (void)mem;
    (void)mem_size;
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_FILESTAT_SET_SIZE, &e);
    if (err)
        return err;
    if (size > (uint64_t)INT64_MAX)
        return WASI_ERRNO_INVAL;
    int r;
    do
        r = ftruncate(e->host, (off_t)size);
    while (r < 0 && errno == EINTR);
    return r < 0 ? wasi_errno_last() : WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_fd_filestat_set_times(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                           uint64_t atim, uint64_t mtim, uint32_t fst_flags)
{
    (void)mem;
    (void)mem_size;
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_FILESTAT_SET_TIMES, &e);
    if (err)
        return err;
    struct timespec ts[2];
    err = wasi_times_prepare(atim, mtim, fst_flags, ts);
    if (err)
        return err;
    return futimens(e->host, ts) < 0 ? wasi_errno_last() : WASI_ERRNO_SUCCESS;
}

/* ---- preopens ---- */

uint16_t
wasi_fd_prestat_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                    uint32_t out_prestat)
{
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, 0, &e);
    if (err)
        return err;
    if (!e->preopen)
        return WASI_ERRNO_BADF; // wasi-libc scans fds from 3 until it sees BADF
    if (!wasi_mem_ok(mem_size, out_prestat, WASI_PRESTAT_SIZE))
        return WASI_ERRNO_FAULT;
    uint8_t *p = mem + out_prestat;
    memset(p, 0, WASI_PRESTAT_SIZE);
    p[WASI_PRESTAT_TAG_OFF] = WASI_PREOPENTYPE_DIR;
    wasi_store_u32(p + WASI_PRESTAT_NAME_LEN_OFF, (uint32_t)strlen(e->preopen));
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_fd_prestat_dir_name(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                         uint32_t path, uint32_t path_len)
{
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, 0, &e);
    if (err)
        return err;
    if (!e->preopen)
        return WASI_ERRNO_BADF;
    size_t len = strlen(e->preopen);
    if (len > path_len)
        return WASI_ERRNO_NAMETOOLONG;
    if (!wasi_mem_ok(mem_size, path, len))
        return WASI_ERRNO_FAULT;
    memcpy(mem + path, e->preopen, len);
    return WASI_ERRNO_SUCCESS;
}

/* ---- table operations ---- */

uint16_t
wasi_fd_close(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd)
{
    (void)mem;
    (void)mem_size;
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, 0, &e);
    if (err)
        return err;
    wasi_fd_release(e);
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_fd_renumber(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t to)
{
    (void)mem;
    (void)mem_size;
    WasiFd *from_e, *to_e;
    uint16_t err = wasi_fd_lookup(ctx, fd, 0, &from_e);
    if (err)
        return err;
    err = wasi_fd_lookup(ctx, to, 0, &to_e);
    if (err)
        return err;
    if (fd == to)
        return WASI_ERRNO_SUCCESS;
    wasi_fd_release(to_e);
    *to_e = *from_e;
    memset(from_e, 0, sizeof(*from_e));
    from_e->host = -1;
    return WASI_ERRNO_SUCCESS;
}

/* ---- directories ---- */

/* Reads the whole directory behind `host` into a new snapshot (readdir order). */
static uint16_t
dirsnap_build(int host, WasiDirSnap **out_snap)
{
    int dfd = openat(host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return wasi_errno_last();
    DIR *dir = fdopendir(dfd);
    if (!dir) {
        uint16_t err = wasi_errno_last();
        close(dfd);
        return err;
    }
    WasiDirSnap *snap = calloc(1, sizeof(*snap));
    size_t cap = 0, names_len = 0, names_cap = 0;
    uint16_t err = snap ? WASI_ERRNO_SUCCESS : WASI_ERRNO_NOMEM;
    struct dirent *de;
    while (!err && (errno = 0, de = readdir(dir)) != NULL) {
        size_t len = strlen(de->d_name);
        if (snap->nentries == cap) {
            cap = cap ? cap * 2 : 32;
            WasiDirEntry *entries = realloc(snap->entries, cap * sizeof(*entries));
            if (!entries) {
                err = WASI_ERRNO_NOMEM;
                break;
            }
            snap->entries = entries;
        }
        if (names_len + len > names_cap || names_len + len > UINT32_MAX) {
            names_cap = (names_cap ? names_cap * 2 : 1024) + len;
            char *names = names_cap <= UINT32_MAX ? realloc(snap->names, names_cap) : NULL;
            if (!names) {
                err = WASI_ERRNO_NOMEM;
                break;
            }
            snap->names = names;
        }
        uint8_t type = WASI_FILETYPE_UNKNOWN;
        switch (de->d_type) {
        case DT_REG: type = WASI_FILETYPE_REGULAR_FILE; break;
        case DT_DIR: type = WASI_FILETYPE_DIRECTORY; break;
        case DT_LNK: type = WASI_FILETYPE_SYMBOLIC_LINK; break;
        case DT_CHR: type = WASI_FILETYPE_CHARACTER_DEVICE; break;
        case DT_BLK: type = WASI_FILETYPE_BLOCK_DEVICE; break;
        case DT_SOCK: type = WASI_FILETYPE_SOCKET_STREAM; break;
        case DT_UNKNOWN: {
            struct stat st;
            if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                type = wasi_filetype_from_mode(st.st_mode);
            break;
        }
        default: break;
        }
        WasiDirEntry *ent = &snap->entries[snap->nentries++];
        ent->ino = (uint64_t)de->d_ino;
        ent->name_off = (uint32_t)names_len;
        ent->name_len = (uint32_t)len;
        ent->type = type;
        memcpy(snap->names + names_len, de->d_name, len);
        names_len += len;
    }
    if (!err && errno != 0)
        err = wasi_errno_last();
    closedir(dir);
    if (err) {
        wasi_dirsnap_free(snap);
        return err;
    }
    *out_snap = snap;
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_fd_readdir(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t buf,
                uint32_t buf_len, uint64_t cookie, uint32_t out_bufused)
{
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_READDIR, &e);
    if (err)
        return err;
    if (e->filetype != WASI_FILETYPE_DIRECTORY)
        return WASI_ERRNO_NOTDIR;
    if (!wasi_mem_ok(mem_size, buf, buf_len) || !wasi_mem_ok(mem_size, out_bufused, 4))
        return WASI_ERRNO_FAULT;
    /* Cookie 0 starts over and sees the directory as it is now; a later cookie continues
     * in the snapshot taken then, so a listing read in pieces is consistent. */
    if (cookie == 0 || !e->dir) {
        WasiDirSnap *snap = NULL;
        err = dirsnap_build(e->host, &snap);
        if (err)
            return err;
        wasi_dirsnap_free(e->dir);
        e->dir = snap;
    }
    const WasiDirSnap *snap = e->dir;
    uint8_t *out = mem + buf;
    uint32_t used = 0;
    for (uint64_t i = cookie; i < snap->nentries && used < buf_len; i++) {
        const WasiDirEntry *ent = &snap->entries[i];
        uint8_t hdr[WASI_DIRENT_SIZE];
        memset(hdr, 0, sizeof(hdr));
        wasi_store_u64(hdr + WASI_DIRENT_NEXT_OFF, i + 1);
        wasi_store_u64(hdr + WASI_DIRENT_INO_OFF, ent->ino);
        wasi_store_u32(hdr + WASI_DIRENT_NAMLEN_OFF, ent->name_len);
        hdr[WASI_DIRENT_TYPE_OFF] = ent->type;
        /* An entry that does not fit is truncated: the guest sees a full buffer and asks
         * again from the last whole entry's cookie. */
        uint32_t n = buf_len - used < WASI_DIRENT_SIZE ? buf_len - used : WASI_DIRENT_SIZE;
        memcpy(out + used, hdr, n);
        used += n;
        n = buf_len - used < ent->name_len ? buf_len - used : ent->name_len;
        memcpy(out + used, snap->names + ent->name_off, n);
        used += n;
    }
    wasi_store_u32(mem + out_bufused, used);
    return WASI_ERRNO_SUCCESS;
}
