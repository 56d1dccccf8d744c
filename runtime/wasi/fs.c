/*
 * WASI path operations (the path_* imports). Every guest path goes through
 * wasi_path_resolve (path.c), which walks it beneath the directory descriptor and hands
 * back (parent directory fd, final name); the operation itself is then one *at() call on
 * that single name with symlink following off, so the kernel never resolves guest text.
 * Trailing slashes are handled here, with POSIX's meaning ("name/" must be a directory;
 * for open and stat it also follows a final symlink, inside the sandbox).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h> // renameat
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/wasi/wasi_impl.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/*
 * Checks that `fd` is a directory descriptor holding `rights`, copies the guest path in and
 * resolves it. On success the caller owns *out (wasi_path_release). follow_last expands a
 * final symlink; so does a path ending in '/' when follow_trailing is set.
 */
static uint16_t
path_begin(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint64_t rights,
           uint32_t path, uint32_t path_len, bool follow_last, bool follow_trailing,
           WasiPath *out)
{
    WasiFd *e;
    uint16_t err = wasi_fd_lookup(ctx, fd, 0, &e);
    if (err)
        return err;
    if (e->filetype != WASI_FILETYPE_DIRECTORY)
        return WASI_ERRNO_NOTDIR;
    if ((e->rights_base & rights) != rights)
        return WASI_ERRNO_NOTCAPABLE;
    char *text;
    err = wasi_path_copy_in(mem, mem_size, path, path_len, &text);
    if (err)
        return err;
    size_t len = strlen(text);
    bool trailing = len > 0 && text[len - 1] == '/';
    err = wasi_path_resolve(e->host, text, follow_last || (follow_trailing && trailing), out);
    free(text);
    return err;
}

/*
 * For a final component written with a trailing slash: OK if it is a directory, NOTDIR if
 * it is anything else (a symlink included: it was not followed), or the lstat error.
 */
static uint16_t
require_dir(const WasiPath *p)
{
    struct stat st;
    if (fstatat(p->dirfd, p->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return wasi_errno_last();
    return S_ISDIR(st.st_mode) ? WASI_ERRNO_SUCCESS : WASI_ERRNO_NOTDIR;
}

/*
 * A new name written with a trailing slash ("link/" for path_link or path_symlink) can only
 * name a directory, which these calls never create: EXIST if something is there (NOTDIR if
 * that is not a directory), else NOENT, as Linux reports.
 */
static uint16_t
new_name_with_slash(const WasiPath *p)
{
    struct stat st;
    if (fstatat(p->dirfd, p->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? WASI_ERRNO_NOENT : wasi_errno_last();
    return S_ISDIR(st.st_mode) ? WASI_ERRNO_EXIST : WASI_ERRNO_NOTDIR;
}

uint16_t
wasi_path_create_directory(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                           uint32_t path, uint32_t path_len)
{
    WasiPath p;
    uint16_t err = path_begin(ctx, mem, mem_size, fd, WASI_RIGHT_PATH_CREATE_DIRECTORY, path,
                              path_len, false, false, &p);
    if (err)
        return err;
    if (mkdirat(p.dirfd, p.name, 0777) < 0)
        err = wasi_errno_last();
    wasi_path_release(&p);
    return err;
}

uint16_t
wasi_path_filestat_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                       uint32_t flags, uint32_t path, uint32_t path_len, uint32_t out_filestat)
{
    if (flags & ~(uint32_t)WASI_LOOKUP_SYMLINK_FOLLOW)
        return WASI_ERRNO_INVAL;
    if (!wasi_mem_ok(mem_size, out_filestat, WASI_FILESTAT_SIZE))
        return WASI_ERRNO_FAULT;
    WasiPath p;
    uint16_t err = path_begin(ctx, mem, mem_size, fd, WASI_RIGHT_PATH_FILESTAT_GET, path,
                              path_len, flags & WASI_LOOKUP_SYMLINK_FOLLOW, true, &p);
    if (err)
        return err;
    struct stat st;
    if (fstatat(p.dirfd, p.name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        err = wasi_errno_last();
    else if (p.trailing_slash && !S_ISDIR(st.st_mode))
        err = WASI_ERRNO_NOTDIR;
    else
        wasi_filestat_store(mem + out_filestat, &st);
    wasi_path_release(&p);
    return err;
}

uint16_t
wasi_path_filestat_set_times(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                             uint32_t flags, uint32_t path, uint32_t path_len, uint64_t atim,
                             uint64_t mtim, uint32_t fst_flags)
{
    if (flags & ~(uint32_t)WASI_LOOKUP_SYMLINK_FOLLOW)
        return WASI_ERRNO_INVAL;
    struct timespec ts[2];
    uint16_t err = wasi_times_prepare(atim, mtim, fst_flags, ts);
    if (err)
        return err;
    WasiPath p;
    err = path_begin(ctx, mem, mem_size, fd, WASI_RIGHT_PATH_FILESTAT_SET_TIMES, path, path_len,
                     flags & WASI_LOOKUP_SYMLINK_FOLLOW, true, &p);
    if (err)
        return err;
    if (p.trailing_slash)
        err = require_dir(&p);
    if (!err && utimensat(p.dirfd, p.name, ts, AT_SYMLINK_NOFOLLOW) < 0)
        err = wasi_errno_last();
    wasi_path_release(&p);
    return err;
}

uint16_t
wasi_path_link(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t old_fd,
               uint32_t old_flags, uint32_t old_path, uint32_t old_path_len, uint32_t new_fd,
               uint32_t new_path, uint32_t new_path_len)
{
    if (old_flags & ~(uint32_t)WASI_LOOKUP_SYMLINK_FOLLOW)
        return WASI_ERRNO_INVAL;
    WasiPath from, to;
    uint16_t err = path_begin(ctx, mem, mem_size, old_fd, WASI_RIGHT_PATH_LINK_SOURCE, old_path,
                              old_path_len, old_flags & WASI_LOOKUP_SYMLINK_FOLLOW, false, &from);
    if (err)
        return err;
    err = path_begin(ctx, mem, mem_size, new_fd, WASI_RIGHT_PATH_LINK_TARGET, new_path,
                     new_path_len, false, false, &to);
    if (err) {
        wasi_path_release(&from);
        return err;
    }
    if (from.trailing_slash)
        err = require_dir(&from); // and linkat then refuses the directory (PERM)
    if (!err && to.trailing_slash)
        err = new_name_with_slash(&to);
    /* Flags 0: a final symlink is linked itself; following was the resolver's job. */
    if (!err && linkat(from.dirfd, from.name, to.dirfd, to.name, 0) < 0)
        err = wasi_errno_last();
    wasi_path_release(&to);
    wasi_path_release(&from);
    return err;
}

/* Host open(2) flags for a path_open request, or an errno for a combination refused. */
static uint16_t
open_flags(uint32_t oflags, uint32_t fdflags, uint64_t rights, bool trailing, int *out_flags)
{
    int flags = O_CLOEXEC | O_NOCTTY | O_NOFOLLOW;
    bool rd = rights & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR);
    bool wr = rights & (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_ALLOCATE |
                        WASI_RIGHT_FD_FILESTAT_SET_SIZE);
    flags |= wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (oflags & WASI_OFLAG_CREAT) {
        if (oflags & WASI_OFLAG_DIRECTORY)
            return WASI_ERRNO_INVAL; // open(2) cannot create a directory
        if (trailing)
            return WASI_ERRNO_ISDIR; // "name/" can only be a directory
        flags |= O_CREAT;
    }
    if (oflags & WASI_OFLAG_EXCL)
        flags |= O_EXCL;
    if (oflags & WASI_OFLAG_TRUNC)
        flags |= O_TRUNC;
    if ((oflags & WASI_OFLAG_DIRECTORY) || trailing)
        flags |= O_DIRECTORY;
    if (fdflags & WASI_FDFLAG_APPEND)
        flags |= O_APPEND;
    if (fdflags & WASI_FDFLAG_NONBLOCK)
        flags |= O_NONBLOCK;
    if (fdflags & WASI_FDFLAG_DSYNC)
        flags |= O_DSYNC;
    if (fdflags & WASI_FDFLAG_SYNC)
        flags |= O_SYNC;
    if (fdflags & WASI_FDFLAG_RSYNC) {
#ifdef O_RSYNC
        flags |= O_RSYNC;
#else
        return WASI_ERRNO_NOTSUP;
#endif
    }
    *out_flags = flags;
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_path_open(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t dirflags,
               uint32_t path, uint32_t path_len, uint32_t oflags, uint64_t rights_base,
               uint64_t rights_inheriting, uint32_t fdflags, uint32_t out_fd)
{
    WasiFd *dir;
    uint16_t err = wasi_fd_lookup(ctx, fd, 0, &dir);
    if (err)
        return err;
    if (dir->filetype != WASI_FILETYPE_DIRECTORY)
        return WASI_ERRNO_NOTDIR;
    if ((dirflags & ~(uint32_t)WASI_LOOKUP_SYMLINK_FOLLOW) ||
        (oflags & ~(uint32_t)WASI_OFLAGS_ALL) || (fdflags & ~(uint32_t)WASI_FDFLAGS_ALL))
        return WASI_ERRNO_INVAL;
    uint64_t need = WASI_RIGHT_PATH_OPEN;
    if (oflags & WASI_OFLAG_CREAT)
        need |= WASI_RIGHT_PATH_CREATE_FILE;
    if (oflags & WASI_OFLAG_TRUNC)
        need |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
    if ((dir->rights_base & need) != need)
        return WASI_ERRNO_NOTCAPABLE;
    if (!wasi_mem_ok(mem_size, out_fd, 4))
        return WASI_ERRNO_FAULT;

    /* A new descriptor gets what it asked for, limited by what the directory passes on
     * (silently, as wasi-common did: Rust's std asks for more than it needs). */
    uint64_t base = rights_base & dir->rights_inheriting;
    uint64_t inheriting = rights_inheriting & dir->rights_inheriting;
    uint64_t dir_inheriting = dir->rights_inheriting;

    WasiPath p;
    err = path_begin(ctx, mem, mem_size, fd, 0, path, path_len,
                     dirflags & WASI_LOOKUP_SYMLINK_FOLLOW, true, &p);
    if (err)
        return err;
    int flags;
    err = open_flags(oflags, fdflags, base, p.trailing_slash, &flags);
    int host = -1;
    if (!err) {
        do
            host = openat(p.dirfd, p.name, flags, 0666);
        while (host < 0 && errno == EINTR);
        if (host < 0)
            err = wasi_errno_last();
    }
    wasi_path_release(&p);
    if (err)
        return err;

    struct stat st;
    if (fstat(host, &st) < 0) {
        err = wasi_errno_last();
        close(host);
        return err;
    }
    uint8_t type = wasi_filetype_from_mode(st.st_mode);
    base &= wasi_rights_for(type, host);
    if (type == WASI_FILETYPE_DIRECTORY)
        inheriting &= dir_inheriting;
    uint32_t new_fd;
    err = wasi_fd_install(ctx, host, type, (uint16_t)fdflags, base, inheriting, &new_fd);
    if (err)
        return err;
    wasi_store_u32(mem + out_fd, new_fd);
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_path_readlink(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t path,
                   uint32_t path_len, uint32_t buf, uint32_t buf_len, uint32_t out_bufused)
{
    if (!wasi_mem_ok(mem_size, buf, buf_len) || !wasi_mem_ok(mem_size, out_bufused, 4))
        return WASI_ERRNO_FAULT;
    WasiPath p;
    uint16_t err = path_begin(ctx, mem, mem_size, fd, WASI_RIGHT_PATH_READLINK, path, path_len,
                              false, true, &p);
    if (err)
        return err;
    char *text = malloc(PATH_MAX);
    if (!text) {
        wasi_path_release(&p);
        return WASI_ERRNO_NOMEM;
    }
    ssize_t n = readlinkat(p.dirfd, p.name, text, PATH_MAX);
    if (n < 0) {
        err = wasi_errno_last();
    } else {
        /* A buffer too small gets the beginning of the target, as readlink(2) does. */
        uint32_t used = (uint64_t)n < buf_len ? (uint32_t)n : buf_len;
        memcpy(mem + buf, text, used);
        wasi_store_u32(mem + out_bufused, used);
    }
    free(text);
    wasi_path_release(&p);
    return err;
}

/* path_remove_directory and path_unlink_file: unlinkat with `at_flags` (AT_REMOVEDIR or 0).
 * A trailing slash requires a directory; unlink_file then fails in unlinkat with ISDIR. */
static uint16_t
path_remove(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint64_t right,
            uint32_t path, uint32_t path_len, int at_flags)
{
    WasiPath p;
    uint16_t err = path_begin(ctx, mem, mem_size, fd, right, path, path_len, false, false, &p);
    if (err)
        return err;
    if (p.trailing_slash)
        err = require_dir(&p);
    if (!err && unlinkat(p.dirfd, p.name, at_flags) < 0)
        err = wasi_errno_last();
    wasi_path_release(&p);
    return err;
}

uint16_t
wasi_path_remove_directory(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                           uint32_t path, uint32_t path_len)
{
    return path_remove(ctx, mem, mem_size, fd, WASI_RIGHT_PATH_REMOVE_DIRECTORY, path, path_len,
                       AT_REMOVEDIR);
}

uint16_t
wasi_path_rename(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t old_path,
                 uint32_t old_path_len, uint32_t new_fd, uint32_t new_path,
                 uint32_t new_path_len)
{
    WasiPath from, to;
    uint16_t err = path_begin(ctx, mem, mem_size, fd, WASI_RIGHT_PATH_RENAME_SOURCE, old_path,
                              old_path_len, false, false, &from);
    if (err)
        return err;
    err = path_begin(ctx, mem, mem_size, new_fd, WASI_RIGHT_PATH_RENAME_TARGET, new_path,
                     new_path_len, false, false, &to);
    if (err) {
        wasi_path_release(&from);
        return err;
    }
    /* "a/" and "b/" must name directories: the source must be one, and a destination that
     * does not exist yet is fine only when a directory moves there. */
    if (from.trailing_slash)
        err = require_dir(&from);
    if (!err && to.trailing_slash) {
        err = require_dir(&to);
        if (err == WASI_ERRNO_NOENT)
            err = require_dir(&from);
    }
    if (!err && renameat(from.dirfd, from.name, to.dirfd, to.name) < 0)
        err = wasi_errno_last();
    wasi_path_release(&to);
    wasi_path_release(&from);
    return err;
}

/*
 * True if a relative symlink target, read from a directory `depth` levels below the
 * descriptor it was created through, climbs above that descriptor by its text alone.
 * Following such a link would be refused anyway; refusing to create it keeps links that
 * point out of the sandbox from being planted for other programs on the host.
 */
static bool
target_climbs_out(const char *target, uint32_t depth)
{
    int64_t level = depth;
    const char *s = target;
    while (*s) {
        while (*s == '/')
            s++;
        const char *end = s;
        while (*end && *end != '/')
            end++;
        size_t len = (size_t)(end - s);
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (--level < 0)
                return true;
        } else if (len > 0 && !(len == 1 && s[0] == '.')) {
            level++;
        }
        s = end;
    }
    return false;
}

uint16_t
wasi_path_symlink(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t old_path,
                  uint32_t old_path_len, uint32_t fd, uint32_t new_path, uint32_t new_path_len)
{
    char *target;
    uint16_t err = wasi_path_copy_in(mem, mem_size, old_path, old_path_len, &target);
    if (err)
        return err;
    WasiPath p;
    err = path_begin(ctx, mem, mem_size, fd, WASI_RIGHT_PATH_SYMLINK, new_path, new_path_len,
                     false, false, &p);
    if (err) {
        free(target);
        return err;
    }
    if (target[0] == 0)
        err = WASI_ERRNO_NOENT;
    else if (target[0] == '/' || target_climbs_out(target, p.depth))
        err = WASI_ERRNO_PERM;
    else if (p.trailing_slash)
        err = new_name_with_slash(&p);
    if (!err && symlinkat(target, p.dirfd, p.name) < 0)
        err = wasi_errno_last();
    wasi_path_release(&p);
    free(target);
    return err;
}

uint16_t
wasi_path_unlink_file(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                      uint32_t path, uint32_t path_len)
{
    return path_remove(ctx, mem, mem_size, fd, WASI_RIGHT_PATH_UNLINK_FILE, path, path_len, 0);
}
