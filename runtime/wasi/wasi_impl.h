/*
 * Internals shared by the WASI implementation files (ctx.c, path.c, fd.c, fs.c, proc.c):
 * the context and descriptor table, little-endian guest-memory accessors with overflow-safe
 * bounds checks, and the sandboxed path resolver. Not for use outside runtime/wasi/.
 */
#ifndef SKUA_WASI_IMPL_H
#define SKUA_WASI_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/wasi/wasi.h"

/*
 * Rights a descriptor can hold, by kind. A directory never holds rights that need a
 * writable host descriptor (FD_WRITE, FD_DATASYNC, FD_ALLOCATE, FD_FILESTAT_SET_SIZE) or a
 * seek position, so reopening a directory with its own base rights opens it read-only.
 */
#define WASI_RIGHTS_DIR_BASE                                                                 \
    (WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_ADVISE |            \
     WASI_RIGHT_PATH_CREATE_DIRECTORY | WASI_RIGHT_PATH_CREATE_FILE |                        \
     WASI_RIGHT_PATH_LINK_SOURCE | WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_OPEN |      \
     WASI_RIGHT_FD_READDIR | WASI_RIGHT_PATH_READLINK | WASI_RIGHT_PATH_RENAME_SOURCE |      \
     WASI_RIGHT_PATH_RENAME_TARGET | WASI_RIGHT_PATH_FILESTAT_GET |                          \
     WASI_RIGHT_PATH_FILESTAT_SET_SIZE | WASI_RIGHT_PATH_FILESTAT_SET_TIMES |                \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_PATH_SYMLINK | \
     WASI_RIGHT_PATH_REMOVE_DIRECTORY | WASI_RIGHT_PATH_UNLINK_FILE |                        \
     WASI_RIGHT_POLL_FD_READWRITE)

#define WASI_RIGHTS_FILE_BASE                                                                \
    (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK |                      \
     WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_TELL |              \
     WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ADVISE | WASI_RIGHT_FD_ALLOCATE |                   \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |                          \
     WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_POLL_FD_READWRITE)

/* Streams (ttys, pipes, sockets): no seek position. */
#define WASI_RIGHTS_STREAM_BASE                                                              \
    (WASI_RIGHTS_FILE_BASE & ~(WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL))

#define WASI_RIGHTS_SOCKET_BASE                                                              \
    (WASI_RIGHTS_STREAM_BASE | WASI_RIGHT_SOCK_SHUTDOWN | WASI_RIGHT_SOCK_ACCEPT)

/* A preopened directory may hand any right down to what is opened beneath it. */
#define WASI_RIGHTS_DIR_INHERITING (WASI_RIGHTS_DIR_BASE | WASI_RIGHTS_FILE_BASE)

/* The longest guest path accepted (bytes); longer ones give NAMETOOLONG. */
#define WASI_PATH_MAX 65536u

/* Symlink expansions allowed while resolving one path (Linux's MAXSYMLINKS). */
#define WASI_SYMLINK_MAX 40u

/* A snapshot of a directory's entries for fd_readdir; cookie n means "from entry n". */
typedef struct WasiDirEntry {
    uint64_t ino;
    uint32_t name_off; // offset of the name in WasiDirSnap.names
    uint32_t name_len;
    uint8_t type; // WASI filetype
} WasiDirEntry;

typedef struct WasiDirSnap {
    WasiDirEntry *entries;
    size_t nentries;
    char *names;
} WasiDirSnap;

/* One guest descriptor. A slot with host < 0 is free. */
typedef struct WasiFd {
    int host;         // host descriptor
    bool borrowed;    // owned by the embedder (stdio): never closed by the context
    uint8_t filetype; // WASI filetype, from fstat when the descriptor was made
    uint16_t fdflags; // WASI fdflags as last set (APPEND/NONBLOCK mirror the host's)
    uint64_t rights_base;
    uint64_t rights_inheriting;
    char *preopen;    // guest name of a preopened directory, else NULL
    WasiDirSnap *dir; // fd_readdir snapshot, NULL until the first fd_readdir
} WasiFd;

/* A list of NUL-terminated strings laid out as the guest will see them. */
typedef struct WasiStrings {
    char *buf;        // all strings, each with its NUL
    uint32_t buf_len; // bytes in buf
    uint32_t count;
    uint32_t *offs; // count offsets into buf
} WasiStrings;

struct WasiCtx {
    WasiFd *fds; // indexed by guest fd
    uint32_t nfds;
    WasiStrings args;
    WasiStrings env;
    bool exited;
    uint32_t exit_code;
};

/* ---- guest memory ---- */

/* True when [ptr, ptr + len) lies inside a memory of mem_size bytes (overflow-safe). */
static inline bool
wasi_mem_ok(uint64_t mem_size, uint64_t ptr, uint64_t len)
{
    return ptr <= mem_size && len <= mem_size - ptr;
}

static inline uint16_t
wasi_load_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t
wasi_load_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint64_t
wasi_load_u64(const uint8_t *p)
{
    return (uint64_t)wasi_load_u32(p) | ((uint64_t)wasi_load_u32(p + 4) << 32);
}

static inline void
wasi_store_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void
wasi_store_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void
wasi_store_u64(uint8_t *p, uint64_t v)
{
    wasi_store_u32(p, (uint32_t)v);
    wasi_store_u32(p + 4, (uint32_t)(v >> 32));
}

/*
 * Gathers a guest iovec array into host iovecs. Returns FAULT if the array or any buffer
 * lies outside memory, NOMEM if a large array cannot be allocated. At most WASI_IOV_MAX
 * entries are used (a short transfer is allowed). Uses `small` (nsmall entries) when it is
 * big enough, else a heap array; release with wasi_iovecs_free(*out_iov, small).
 */
#define WASI_IOV_MAX 1024u
struct iovec;
uint16_t wasi_iovecs_load(uint8_t *mem, uint64_t mem_size, uint32_t iovs, uint32_t iovs_len,
                          struct iovec *small, uint32_t nsmall, struct iovec **out_iov,
                          int *out_n);
void wasi_iovecs_free(struct iovec *iov, struct iovec *small);

/* ---- descriptors (ctx.c) ---- */

/*
 * Looks up guest fd `fd` and checks that it holds all of `rights`. Returns BADF for a closed
 * or out-of-range fd, NOTCAPABLE for missing rights; on success *out_entry points into the
 * table (valid until the table changes: the next wasi_fd_alloc or renumber).
 */
uint16_t wasi_fd_lookup(WasiCtx *ctx, uint32_t fd, uint64_t rights, WasiFd **out_entry);

/*
 * Installs host descriptor `host` (ownership passes to the context) at the lowest free
 * guest fd, with the given filetype, flags and rights. Returns 0 with *out_fd set, or NOMEM /
 * NFILE (the host descriptor is closed then).
 */
uint16_t wasi_fd_install(WasiCtx *ctx, int host, uint8_t filetype, uint16_t fdflags,
                         uint64_t rights_base, uint64_t rights_inheriting, uint32_t *out_fd);

/* Releases what a slot holds (closes the host fd unless borrowed) and marks it free. */
void wasi_fd_release(WasiFd *entry);

/* The WASI filetype of a host st_mode. */
uint8_t wasi_filetype_from_mode(uint32_t mode);

/*
 * The base rights a new descriptor of WASI filetype `type` may hold. `host` tells a
 * terminal (no seek rights, so wasi-libc's isatty sees it) from other character devices.
 */
uint64_t wasi_rights_for(uint8_t type, int host);

/* ---- shared by fd.c and fs.c (fd.c) ---- */

struct stat;
struct timespec;

/* Writes a 64-byte WASI filestat for `st` at p. */
void wasi_filestat_store(uint8_t *p, const struct stat *st);

/*
 * Turns the (atim, mtim, fst_flags) arguments of the *_set_times imports into the two
 * timespecs for futimens/utimensat (out[0] access, out[1] modification). INVAL for unknown
 * flag bits or for a time both given and set to "now".
 */
uint16_t wasi_times_prepare(uint64_t atim, uint64_t mtim, uint32_t fst_flags,
                            struct timespec *out);

/* Frees a readdir snapshot (NULL allowed). */
void wasi_dirsnap_free(WasiDirSnap *snap);

/* The host errno as a WASI errno: wasi_errno_from_host(errno). */
uint16_t wasi_errno_last(void);

/* ---- paths (path.c) ---- */

/*
 * A resolved path: the final component `name` inside directory `dirfd`, where every
 * component before it has been walked with O_NOFOLLOW opens beneath the starting directory
 * and every symlink met on the way was expanded by the resolver itself. `name` is a single
 * component (no '/'), never "..", and "." when the path names the directory itself. The
 * final component is not a symlink the resolver skipped, unless follow_last was false.
 */
typedef struct WasiPath {
    int dirfd;           // directory holding `name` (the start fd or an fd owned here)
    const char *name;    // the final component (points into `buf` or a literal)
    bool trailing_slash; // the path (after symlink expansion) ended in '/'
    uint32_t depth;      // how many directories dirfd lies below the start directory
    /* resolver state */
    int start_fd;
    int *stack; // directories walked, [0] = start_fd
    uint32_t nstack;
    uint32_t capstack;
    char *buf;  // current path text being consumed
    char *name_buf;
} WasiPath;

/*
 * Copies the guest path at [ptr, ptr + len) to a NUL-terminated heap string in *out_path.
 * Returns FAULT (out of memory bounds), INVAL (a NUL byte inside), ILSEQ (not UTF-8),
 * NAMETOOLONG, NOMEM, or 0.
 */
uint16_t wasi_path_copy_in(const uint8_t *mem, uint64_t mem_size, uint32_t ptr, uint32_t len,
                           char **out_path);

/*
 * Resolves `path` relative to host directory `start_fd`, staying beneath it: absolute paths,
 * ".." above start_fd, and symlinks whose targets are absolute or climb above start_fd give
 * PERM (what wasmtime reports for an escape). More than WASI_SYMLINK_MAX expansions give
 * LOOP. An empty path gives NOENT. When follow_last is true a symlink in the final position
 * is expanded too. On success out->dirfd/name/trailing_slash/depth are set and the caller
 * must call wasi_path_release; on failure nothing needs releasing.
 */
uint16_t wasi_path_resolve(int start_fd, const char *path, bool follow_last, WasiPath *out);

/* Closes the directories the resolution opened and frees its buffers. */
void wasi_path_release(WasiPath *p);

#endif
