/*
 * The WASI context: arguments, environment, stdio, preopened directories and the guest
 * descriptor table (guest fd -> host fd, filetype, flags, rights), plus the host errno ->
 * WASI errno mapping every other file uses. Guest fds are small integers allocated lowest
 * first, as POSIX does, so renumbering and closing behave the way wasi-libc expects.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "runtime/wasi/wasi_impl.h"

/* Guest fds above this are refused with NFILE (a runaway guest cannot grow the table
 * without bound; the host's own RLIMIT_NOFILE normally stops it earlier). */
#define WASI_MAX_FDS (1u << 20)

static const char *const errno_names[] = {
#define WASI_ERRNO_NAME(name, text) #name,
    WASI_ERRNO_LIST(WASI_ERRNO_NAME)
#undef WASI_ERRNO_NAME
};

const char *
wasi_errno_name(uint16_t err)
{
    return err < WASI_ERRNO_COUNT ? errno_names[err] : "?";
}

uint16_t
wasi_errno_from_host(int e)
{
    switch (e) {
    case 0: return WASI_ERRNO_SUCCESS;
    case E2BIG: return WASI_ERRNO_2BIG;
    case EACCES: return WASI_ERRNO_ACCES;
    case EADDRINUSE: return WASI_ERRNO_ADDRINUSE;
    case EADDRNOTAVAIL: return WASI_ERRNO_ADDRNOTAVAIL;
    case EAFNOSUPPORT: return WASI_ERRNO_AFNOSUPPORT;
    case EAGAIN: return WASI_ERRNO_AGAIN;
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return WASI_ERRNO_AGAIN;
#endif
    case EALREADY: return WASI_ERRNO_ALREADY;
    case EBADF: return WASI_ERRNO_BADF;
    case EBADMSG: return WASI_ERRNO_BADMSG;
    case EBUSY: return WASI_ERRNO_BUSY;
    case ECANCELED: return WASI_ERRNO_CANCELED;
    case ECHILD: return WASI_ERRNO_CHILD;
    case ECONNABORTED: return WASI_ERRNO_CONNABORTED;
    case ECONNREFUSED: return WASI_ERRNO_CONNREFUSED;
    case ECONNRESET: return WASI_ERRNO_CONNRESET;
    case EDEADLK: return WASI_ERRNO_DEADLK;
    case EDESTADDRREQ: return WASI_ERRNO_DESTADDRREQ;
    case EDOM: return WASI_ERRNO_DOM;
    case EDQUOT: return WASI_ERRNO_DQUOT;
    case EEXIST: return WASI_ERRNO_EXIST;
    case EFAULT: return WASI_ERRNO_FAULT;
    case EFBIG: return WASI_ERRNO_FBIG;
    case EHOSTUNREACH: return WASI_ERRNO_HOSTUNREACH;
    case EIDRM: return WASI_ERRNO_IDRM;
    case EILSEQ: return WASI_ERRNO_ILSEQ;
    case EINPROGRESS: return WASI_ERRNO_INPROGRESS;
    case EINTR: return WASI_ERRNO_INTR;
    case EINVAL: return WASI_ERRNO_INVAL;
    case EIO: return WASI_ERRNO_IO;
    case EISCONN: return WASI_ERRNO_ISCONN;
    case EISDIR: return WASI_ERRNO_ISDIR;
    case ELOOP: return WASI_ERRNO_LOOP;
    case EMFILE: return WASI_ERRNO_MFILE;
    case EMLINK: return WASI_ERRNO_MLINK;
    case EMSGSIZE: return WASI_ERRNO_MSGSIZE;
#ifdef EMULTIHOP
    case EMULTIHOP: return WASI_ERRNO_MULTIHOP;
#endif
    case ENAMETOOLONG: return WASI_ERRNO_NAMETOOLONG;
    case ENETDOWN: return WASI_ERRNO_NETDOWN;
    case ENETRESET: return WASI_ERRNO_NETRESET;
    case ENETUNREACH: return WASI_ERRNO_NETUNREACH;
    case ENFILE: return WASI_ERRNO_NFILE;
    case ENOBUFS: return WASI_ERRNO_NOBUFS;
    case ENODEV: return WASI_ERRNO_NODEV;
    case ENOENT: return WASI_ERRNO_NOENT;
    case ENOEXEC: return WASI_ERRNO_NOEXEC;
    case ENOLCK: return WASI_ERRNO_NOLCK;
#ifdef ENOLINK
    case ENOLINK: return WASI_ERRNO_NOLINK;
#endif
    case ENOMEM: return WASI_ERRNO_NOMEM;
    case ENOMSG: return WASI_ERRNO_NOMSG;
    case ENOPROTOOPT: return WASI_ERRNO_NOPROTOOPT;
    case ENOSPC: return WASI_ERRNO_NOSPC;
    case ENOSYS: return WASI_ERRNO_NOSYS;
    case ENOTCONN: return WASI_ERRNO_NOTCONN;
    case ENOTDIR: return WASI_ERRNO_NOTDIR;
    case ENOTEMPTY: return WASI_ERRNO_NOTEMPTY;
#ifdef ENOTRECOVERABLE
    case ENOTRECOVERABLE: return WASI_ERRNO_NOTRECOVERABLE;
#endif
    case ENOTSOCK: return WASI_ERRNO_NOTSOCK;
    case ENOTSUP: return WASI_ERRNO_NOTSUP;
#if defined(EOPNOTSUPP) && EOPNOTSUPP != ENOTSUP
    case EOPNOTSUPP: return WASI_ERRNO_NOTSUP;
#endif
    case ENOTTY: return WASI_ERRNO_NOTTY;
    case ENXIO: return WASI_ERRNO_NXIO;
    case EOVERFLOW: return WASI_ERRNO_OVERFLOW;
#ifdef EOWNERDEAD
    case EOWNERDEAD: return WASI_ERRNO_OWNERDEAD;
#endif
    case EPERM: return WASI_ERRNO_PERM;
    case EPIPE: return WASI_ERRNO_PIPE;
    case EPROTO: return WASI_ERRNO_PROTO;
    case EPROTONOSUPPORT: return WASI_ERRNO_PROTONOSUPPORT;
    case EPROTOTYPE: return WASI_ERRNO_PROTOTYPE;
    case ERANGE: return WASI_ERRNO_RANGE;
    case EROFS: return WASI_ERRNO_ROFS;
    case ESPIPE: return WASI_ERRNO_SPIPE;
    case ESRCH: return WASI_ERRNO_SRCH;
    case ESTALE: return WASI_ERRNO_STALE;
    case ETIMEDOUT: return WASI_ERRNO_TIMEDOUT;
    case ETXTBSY: return WASI_ERRNO_TXTBSY;
    case EXDEV: return WASI_ERRNO_XDEV;
    default: return WASI_ERRNO_IO;
    }
}

uint16_t
wasi_errno_last(void)
{
    return wasi_errno_from_host(errno);
}

uint8_t
wasi_filetype_from_mode(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
    case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFSOCK: return WASI_FILETYPE_SOCKET_STREAM;
    default: return WASI_FILETYPE_UNKNOWN; // FIFOs have no WASI filetype
    }
}

uint64_t
wasi_rights_for(uint8_t type, int host)
{
    switch (type) {
    case WASI_FILETYPE_DIRECTORY: return WASI_RIGHTS_DIR_BASE;
    case WASI_FILETYPE_REGULAR_FILE:
    case WASI_FILETYPE_BLOCK_DEVICE: return WASI_RIGHTS_FILE_BASE;
    case WASI_FILETYPE_CHARACTER_DEVICE:
        return isatty(host) ? WASI_RIGHTS_STREAM_BASE : WASI_RIGHTS_FILE_BASE;
    case WASI_FILETYPE_SOCKET_STREAM:
    case WASI_FILETYPE_SOCKET_DGRAM: return WASI_RIGHTS_SOCKET_BASE;
    default: return WASI_RIGHTS_STREAM_BASE; // pipes and the unknown: no position
    }
}

void
wasi_dirsnap_free(WasiDirSnap *snap)
{
    if (!snap)
        return;
    free(snap->entries);
    free(snap->names);
    free(snap);
}

void
wasi_fd_release(WasiFd *entry)
{
    if (entry->host >= 0 && !entry->borrowed)
        close(entry->host);
    free(entry->preopen);
    wasi_dirsnap_free(entry->dir);
    memset(entry, 0, sizeof(*entry));
    entry->host = -1;
}

uint16_t
wasi_fd_lookup(WasiCtx *ctx, uint32_t fd, uint64_t rights, WasiFd **out_entry)
{
    if (fd >= ctx->nfds || ctx->fds[fd].host < 0)
        return WASI_ERRNO_BADF;
    WasiFd *entry = &ctx->fds[fd];
    if ((entry->rights_base & rights) != rights)
        return WASI_ERRNO_NOTCAPABLE;
    *out_entry = entry;
    return WASI_ERRNO_SUCCESS;
}

/* Makes the table at least `n` slots long; new slots are free. */
static bool
fds_reserve(WasiCtx *ctx, uint32_t n)
{
    if (n <= ctx->nfds)
        return true;
    uint32_t cap = ctx->nfds ? ctx->nfds : 8;
    while (cap < n)
        cap *= 2;
    WasiFd *fds = realloc(ctx->fds, (size_t)cap * sizeof(*fds));
    if (!fds)
        return false;
    for (uint32_t i = ctx->nfds; i < cap; i++) {
        memset(&fds[i], 0, sizeof(fds[i]));
        fds[i].host = -1;
    }
    ctx->fds = fds;
    ctx->nfds = cap;
    return true;
}

uint16_t
wasi_fd_install(WasiCtx *ctx, int host, uint8_t filetype, uint16_t fdflags,
                uint64_t rights_base, uint64_t rights_inheriting, uint32_t *out_fd)
{
    uint32_t fd = 0;
    while (fd < ctx->nfds && ctx->fds[fd].host >= 0)
        fd++;
    if (fd >= WASI_MAX_FDS) {
        close(host);
        return WASI_ERRNO_NFILE;
    }
    if (!fds_reserve(ctx, fd + 1)) {
        close(host);
        return WASI_ERRNO_NOMEM;
    }
    WasiFd *entry = &ctx->fds[fd];
    entry->host = host;
    entry->borrowed = false;
    entry->filetype = filetype;
    entry->fdflags = fdflags;
    entry->rights_base = rights_base;
    entry->rights_inheriting = rights_inheriting;
    *out_fd = fd;
    return WASI_ERRNO_SUCCESS;
}

/* Fills slot `fd` with a borrowed host descriptor, its filetype and rights from fstat. */
static void
bind_stdio(WasiCtx *ctx, uint32_t fd, int host)
{
    WasiFd *entry = &ctx->fds[fd];
    wasi_fd_release(entry);
    if (host < 0)
        return;
    struct stat st;
    uint8_t type = WASI_FILETYPE_UNKNOWN;
    if (fstat(host, &st) == 0)
        type = wasi_filetype_from_mode(st.st_mode);
    uint16_t fdflags = 0;
    int fl = fcntl(host, F_GETFL);
    if (fl >= 0) {
        if (fl & O_APPEND)
            fdflags |= WASI_FDFLAG_APPEND;
        if (fl & O_NONBLOCK)
            fdflags |= WASI_FDFLAG_NONBLOCK;
    }
    entry->host = host;
    entry->borrowed = true;
    entry->filetype = type;
    entry->fdflags = fdflags;
    entry->rights_base = wasi_rights_for(type, host);
    entry->rights_inheriting = 0;
}

WasiCtx *
wasi_ctx_new(void)
{
    WasiCtx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        return NULL;
    if (!fds_reserve(ctx, 3)) {
        free(ctx);
        return NULL;
    }
    for (uint32_t i = 0; i < 3; i++)
        bind_stdio(ctx, i, (int)i);
    return ctx;
}

static void
strings_free(WasiStrings *s)
{
    free(s->buf);
    free(s->offs);
    memset(s, 0, sizeof(*s));
}

void
wasi_ctx_free(WasiCtx *ctx)
{
    if (!ctx)
        return;
    for (uint32_t i = 0; i < ctx->nfds; i++)
        wasi_fd_release(&ctx->fds[i]);
    free(ctx->fds);
    strings_free(&ctx->args);
    strings_free(&ctx->env);
    free(ctx);
}

/* Replaces *out with a copy of strs[0..n); false (and *out unchanged) on overflow/OOM. */
static bool
strings_set(WasiStrings *out, size_t n, const char *const *strs)
{
    if (n > UINT32_MAX / sizeof(uint32_t))
        return false;
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total += strlen(strs[i]) + 1;
        if (total > UINT32_MAX)
            return false;
    }
    WasiStrings s = {0};
    s.buf = malloc(total ? (size_t)total : 1);
    s.offs = malloc(n ? n * sizeof(uint32_t) : 1);
    if (!s.buf || !s.offs) {
        free(s.buf);
        free(s.offs);
        return false;
    }
    uint32_t off = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(strs[i]) + 1;
        memcpy(s.buf + off, strs[i], len);
        s.offs[i] = off;
        off += (uint32_t)len;
    }
    s.buf_len = off;
    s.count = (uint32_t)n;
    strings_free(out);
    *out = s;
    return true;
}

bool
wasi_ctx_set_args(WasiCtx *ctx, size_t argc, const char *const *argv)
{
    return strings_set(&ctx->args, argc, argv);
}

bool
wasi_ctx_set_env(WasiCtx *ctx, size_t envc, const char *const *envp)
{
    return strings_set(&ctx->env, envc, envp);
}

void
wasi_ctx_set_stdio(WasiCtx *ctx, int in_fd, int out_fd, int err_fd)
{
    bind_stdio(ctx, 0, in_fd);
    bind_stdio(ctx, 1, out_fd);
    bind_stdio(ctx, 2, err_fd);
}

int
wasi_ctx_preopen_dir(WasiCtx *ctx, const char *host_path, const char *guest_name)
{
    int host = open(host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (host < 0)
        return errno;
    char *name = strdup(guest_name);
    if (!name) {
        close(host);
        return ENOMEM;
    }
    uint32_t fd;
    uint16_t err = wasi_fd_install(ctx, host, WASI_FILETYPE_DIRECTORY, 0, WASI_RIGHTS_DIR_BASE,
                                   WASI_RIGHTS_DIR_INHERITING, &fd);
    if (err) {
        free(name);
        return err == WASI_ERRNO_NFILE ? EMFILE : ENOMEM;
    }
    ctx->fds[fd].preopen = name;
    return 0;
}

bool
wasi_ctx_has_exited(const WasiCtx *ctx, uint32_t *out_code)
{
    if (ctx->exited && out_code)
        *out_code = ctx->exit_code;
    return ctx->exited;
}

uint16_t
wasi_iovecs_load(uint8_t *mem, uint64_t mem_size, uint32_t iovs, uint32_t iovs_len,
                 struct iovec *small, uint32_t nsmall, struct iovec **out_iov, int *out_n)
{
    if (!wasi_mem_ok(mem_size, iovs, (uint64_t)iovs_len * WASI_IOVEC_SIZE))
        return WASI_ERRNO_FAULT;
    /* Check every entry, even those beyond the ones used: a bad iovec is a guest bug that
     * should not pass silently just because an earlier buffer was large. */
    for (uint32_t i = 0; i < iovs_len; i++) {
        const uint8_t *p = mem + iovs + (uint64_t)i * WASI_IOVEC_SIZE;
        if (!wasi_mem_ok(mem_size, wasi_load_u32(p + WASI_IOVEC_BUF_OFF),
                         wasi_load_u32(p + WASI_IOVEC_LEN_OFF)))
            return WASI_ERRNO_FAULT;
    }
    uint32_t n = iovs_len < WASI_IOV_MAX ? iovs_len : WASI_IOV_MAX;
    struct iovec *iov = small;
    if (n > nsmall) {
        iov = malloc((size_t)n * sizeof(*iov));
        if (!iov)
            return WASI_ERRNO_NOMEM;
    }
    /* Buffers may overlap, so their lengths can add up past what the u32 result can
     * report: the total is capped at UINT32_MAX (a short transfer). */
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *p = mem + iovs + (uint64_t)i * WASI_IOVEC_SIZE;
        uint32_t len = wasi_load_u32(p + WASI_IOVEC_LEN_OFF);
        if (len > UINT32_MAX - total)
            len = (uint32_t)(UINT32_MAX - total);
        total += len;
        iov[i].iov_base = mem + wasi_load_u32(p + WASI_IOVEC_BUF_OFF);
        iov[i].iov_len = len;
    }
    *out_iov = iov;
    *out_n = (int)n;
    return WASI_ERRNO_SUCCESS;
}

void
wasi_iovecs_free(struct iovec *iov, struct iovec *small)
{
    if (iov != small)
        free(iov);
}
