/*
 * The WASI preview1 ABI (wasi_snapshot_preview1, witx "typenames" of the snapshot): errno
 * values, rights, flags, and the byte layouts of every structure the guest reads or writes.
 * Guest memory is little-endian and the layouts are fixed by the ABI, so the implementation
 * reads and writes fields at the WASI_*_OFF offsets below with explicit little-endian
 * accessors; the mirror structs exist only so that _Static_assert can check those offsets
 * against a C compiler's idea of the same layout (wasm32: pointers and size_t are u32).
 */
#ifndef SKUA_WASI_ABI_H
#define SKUA_WASI_ABI_H

#include <stddef.h>
#include <stdint.h>

/*
 * errno: the ABI numbers, in order (the value of each row is its position). One X-macro so
 * the enum and the name table cannot drift apart.
 *        NAME              text
 */
#define WASI_ERRNO_LIST(X)                                                                   \
    X(SUCCESS, "success")                                                                    \
    X(2BIG, "argument list too long")                                                        \
    X(ACCES, "permission denied")                                                            \
    X(ADDRINUSE, "address in use")                                                           \
    X(ADDRNOTAVAIL, "address not available")                                                 \
    X(AFNOSUPPORT, "address family not supported")                                           \
    X(AGAIN, "resource unavailable, try again")                                              \
    X(ALREADY, "connection already in progress")                                             \
    X(BADF, "bad file descriptor")                                                           \
    X(BADMSG, "bad message")                                                                 \
    X(BUSY, "device or resource busy")                                                       \
    X(CANCELED, "operation canceled")                                                        \
    X(CHILD, "no child processes")                                                           \
    X(CONNABORTED, "connection aborted")                                                     \
    X(CONNREFUSED, "connection refused")                                                     \
    X(CONNRESET, "connection reset")                                                         \
    X(DEADLK, "resource deadlock would occur")                                               \
    X(DESTADDRREQ, "destination address required")                                           \
    X(DOM, "mathematics argument out of domain of function")                                 \
    X(DQUOT, "reserved")                                                                     \
    X(EXIST, "file exists")                                                                  \
    X(FAULT, "bad address")                                                                  \
    X(FBIG, "file too large")                                                                \
    X(HOSTUNREACH, "host is unreachable")                                                    \
    X(IDRM, "identifier removed")                                                            \
    X(ILSEQ, "illegal byte sequence")                                                        \
    X(INPROGRESS, "operation in progress")                                                   \
    X(INTR, "interrupted function")                                                          \
    X(INVAL, "invalid argument")                                                             \
    X(IO, "I/O error")                                                                       \
    X(ISCONN, "socket is connected")                                                         \
    X(ISDIR, "is a directory")                                                               \
    X(LOOP, "too many levels of symbolic links")                                             \
    X(MFILE, "file descriptor value too large")                                              \
    X(MLINK, "too many links")                                                               \
    X(MSGSIZE, "message too large")                                                          \
    X(MULTIHOP, "reserved")                                                                  \
    X(NAMETOOLONG, "filename too long")                                                      \
    X(NETDOWN, "network is down")                                                            \
    X(NETRESET, "connection aborted by network")                                             \
    X(NETUNREACH, "network unreachable")                                                     \
    X(NFILE, "too many files open in system")                                                \
    X(NOBUFS, "no buffer space available")                                                   \
    X(NODEV, "no such device")                                                               \
    X(NOENT, "no such file or directory")                                                    \
    X(NOEXEC, "executable file format error")                                                \
    X(NOLCK, "no locks available")                                                           \
    X(NOLINK, "reserved")                                                                    \
    X(NOMEM, "not enough space")                                                             \
    X(NOMSG, "no message of the desired type")                                               \
    X(NOPROTOOPT, "protocol not available")                                                  \
    X(NOSPC, "no space left on device")                                                      \
    X(NOSYS, "function not supported")                                                       \
    X(NOTCONN, "the socket is not connected")                                                \
    X(NOTDIR, "not a directory")                                                             \
    X(NOTEMPTY, "directory not empty")                                                       \
    X(NOTRECOVERABLE, "state not recoverable")                                               \
    X(NOTSOCK, "not a socket")                                                               \
    X(NOTSUP, "not supported")                                                               \
    X(NOTTY, "inappropriate I/O control operation")                                          \
    X(NXIO, "no such device or address")                                                     \
    X(OVERFLOW, "value too large to be stored in data type")                                 \
    X(OWNERDEAD, "previous owner died")                                                      \
    X(PERM, "operation not permitted")                                                       \
    X(PIPE, "broken pipe")                                                                   \
    X(PROTO, "protocol error")                                                               \
    X(PROTONOSUPPORT, "protocol not supported")                                              \
    X(PROTOTYPE, "protocol wrong type for socket")                                           \
    X(RANGE, "result too large")                                                             \
    X(ROFS, "read-only file system")                                                         \
    X(SPIPE, "invalid seek")                                                                 \
    X(SRCH, "no such process")                                                               \
    X(STALE, "reserved")                                                                     \
    X(TIMEDOUT, "connection timed out")                                                      \
    X(TXTBSY, "text file busy")                                                              \
    X(XDEV, "cross-device link")                                                             \
    X(NOTCAPABLE, "capabilities insufficient")

/* WASI_ERRNO_SUCCESS is 0 by the ABI (the usual *_NONE slot); WASI_ERRNO_COUNT ends it. */
typedef enum WasiErrno {
#define WASI_ERRNO_ENUM(name, text) WASI_ERRNO_##name,
    WASI_ERRNO_LIST(WASI_ERRNO_ENUM)
#undef WASI_ERRNO_ENUM
    WASI_ERRNO_COUNT
} WasiErrno;

_Static_assert(WASI_ERRNO_BADF == 8, "errno numbering");
_Static_assert(WASI_ERRNO_INVAL == 28, "errno numbering");
_Static_assert(WASI_ERRNO_NOENT == 44, "errno numbering");
_Static_assert(WASI_ERRNO_NOSYS == 52, "errno numbering");
_Static_assert(WASI_ERRNO_PERM == 63, "errno numbering");
_Static_assert(WASI_ERRNO_NOTCAPABLE == 76, "errno numbering");

/* rights: one bit each, in ABI order. */
#define WASI_RIGHT_FD_DATASYNC (1ull << 0)
#define WASI_RIGHT_FD_READ (1ull << 1)
#define WASI_RIGHT_FD_SEEK (1ull << 2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define WASI_RIGHT_FD_SYNC (1ull << 4)
#define WASI_RIGHT_FD_TELL (1ull << 5)
#define WASI_RIGHT_FD_WRITE (1ull << 6)
#define WASI_RIGHT_FD_ADVISE (1ull << 7)
#define WASI_RIGHT_FD_ALLOCATE (1ull << 8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY (1ull << 9)
#define WASI_RIGHT_PATH_CREATE_FILE (1ull << 10)
#define WASI_RIGHT_PATH_LINK_SOURCE (1ull << 11)
#define WASI_RIGHT_PATH_LINK_TARGET (1ull << 12)
#define WASI_RIGHT_PATH_OPEN (1ull << 13)
#define WASI_RIGHT_FD_READDIR (1ull << 14)
#define WASI_RIGHT_PATH_READLINK (1ull << 15)
#define WASI_RIGHT_PATH_RENAME_SOURCE (1ull << 16)
#define WASI_RIGHT_PATH_RENAME_TARGET (1ull << 17)
#define WASI_RIGHT_PATH_FILESTAT_GET (1ull << 18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define WASI_RIGHT_FD_FILESTAT_GET (1ull << 21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE (1ull << 22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES (1ull << 23)
#define WASI_RIGHT_PATH_SYMLINK (1ull << 24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY (1ull << 25)
#define WASI_RIGHT_PATH_UNLINK_FILE (1ull << 26)
#define WASI_RIGHT_POLL_FD_READWRITE (1ull << 27)
#define WASI_RIGHT_SOCK_SHUTDOWN (1ull << 28)
#define WASI_RIGHT_SOCK_ACCEPT (1ull << 29)
#define WASI_RIGHTS_ALL ((1ull << 30) - 1)

/* filetype (u8) */
#define WASI_FILETYPE_UNKNOWN 0
#define WASI_FILETYPE_BLOCK_DEVICE 1
#define WASI_FILETYPE_CHARACTER_DEVICE 2
#define WASI_FILETYPE_DIRECTORY 3
#define WASI_FILETYPE_REGULAR_FILE 4
#define WASI_FILETYPE_SOCKET_DGRAM 5
#define WASI_FILETYPE_SOCKET_STREAM 6
#define WASI_FILETYPE_SYMBOLIC_LINK 7

/* fdflags (u16) */
#define WASI_FDFLAG_APPEND 0x1
#define WASI_FDFLAG_DSYNC 0x2
#define WASI_FDFLAG_NONBLOCK 0x4
#define WASI_FDFLAG_RSYNC 0x8
#define WASI_FDFLAG_SYNC 0x10
#define WASI_FDFLAGS_ALL 0x1f

/* oflags (u16) */
#define WASI_OFLAG_CREAT 0x1
#define WASI_OFLAG_DIRECTORY 0x2
#define WASI_OFLAG_EXCL 0x4
#define WASI_OFLAG_TRUNC 0x8
#define WASI_OFLAGS_ALL 0xf

/* lookupflags (u32) */
#define WASI_LOOKUP_SYMLINK_FOLLOW 0x1

/* fstflags (u16) */
#define WASI_FSTFLAG_ATIM 0x1
#define WASI_FSTFLAG_ATIM_NOW 0x2
#define WASI_FSTFLAG_MTIM 0x4
#define WASI_FSTFLAG_MTIM_NOW 0x8
#define WASI_FSTFLAGS_ALL 0xf

/* whence (u8) */
#define WASI_WHENCE_SET 0
#define WASI_WHENCE_CUR 1
#define WASI_WHENCE_END 2

/* clockid (u32) */
#define WASI_CLOCK_REALTIME 0
#define WASI_CLOCK_MONOTONIC 1
#define WASI_CLOCK_PROCESS_CPUTIME 2
#define WASI_CLOCK_THREAD_CPUTIME 3

/* advice (u8) */
#define WASI_ADVICE_NORMAL 0
#define WASI_ADVICE_SEQUENTIAL 1
#define WASI_ADVICE_RANDOM 2
#define WASI_ADVICE_WILLNEED 3
#define WASI_ADVICE_DONTNEED 4
#define WASI_ADVICE_NOREUSE 5

/* eventtype (u8), eventrwflags (u16), subclockflags (u16) */
#define WASI_EVENTTYPE_CLOCK 0
#define WASI_EVENTTYPE_FD_READ 1
#define WASI_EVENTTYPE_FD_WRITE 2
#define WASI_EVENT_FD_READWRITE_HANGUP 0x1
#define WASI_SUBCLOCK_ABSTIME 0x1

/* preopentype (u8) */
#define WASI_PREOPENTYPE_DIR 0

/* sockets: riflags, roflags, siflags (u16), sdflags (u8) */
#define WASI_RIFLAG_RECV_PEEK 0x1
#define WASI_RIFLAG_RECV_WAITALL 0x2
#define WASI_ROFLAG_RECV_DATA_TRUNCATED 0x1
#define WASI_SDFLAG_RD 0x1
#define WASI_SDFLAG_WR 0x2

/*
 * Structure layouts (byte offsets from the structure's guest address). Each mirror struct
 * below is the wasm32 C view; the asserts tie the two together.
 */

/* iovec / ciovec: 8 bytes, align 4 */
#define WASI_IOVEC_SIZE 8
#define WASI_IOVEC_BUF_OFF 0
#define WASI_IOVEC_LEN_OFF 4

/* fdstat: 24 bytes, align 8 */
#define WASI_FDSTAT_SIZE 24
#define WASI_FDSTAT_FILETYPE_OFF 0
#define WASI_FDSTAT_FLAGS_OFF 2
#define WASI_FDSTAT_RIGHTS_BASE_OFF 8
#define WASI_FDSTAT_RIGHTS_INHERITING_OFF 16

/* filestat: 64 bytes, align 8 */
#define WASI_FILESTAT_SIZE 64
#define WASI_FILESTAT_DEV_OFF 0
#define WASI_FILESTAT_INO_OFF 8
#define WASI_FILESTAT_FILETYPE_OFF 16
#define WASI_FILESTAT_NLINK_OFF 24
#define WASI_FILESTAT_SIZE_OFF 32
#define WASI_FILESTAT_ATIM_OFF 40
#define WASI_FILESTAT_MTIM_OFF 48
#define WASI_FILESTAT_CTIM_OFF 56

/* prestat: 8 bytes, align 4 (tag, then the dir variant's name length) */
#define WASI_PRESTAT_SIZE 8
#define WASI_PRESTAT_TAG_OFF 0
#define WASI_PRESTAT_NAME_LEN_OFF 4

/* dirent: 24-byte header, the name (d_namlen bytes, no NUL) follows */
#define WASI_DIRENT_SIZE 24
#define WASI_DIRENT_NEXT_OFF 0
#define WASI_DIRENT_INO_OFF 8
#define WASI_DIRENT_NAMLEN_OFF 16
#define WASI_DIRENT_TYPE_OFF 20

/* subscription: 48 bytes, align 8; the union's tag at 8, its payload at 16 */
#define WASI_SUBSCRIPTION_SIZE 48
#define WASI_SUB_USERDATA_OFF 0
#define WASI_SUB_TAG_OFF 8
#define WASI_SUB_CLOCK_ID_OFF 16
#define WASI_SUB_CLOCK_TIMEOUT_OFF 24
#define WASI_SUB_CLOCK_PRECISION_OFF 32
#define WASI_SUB_CLOCK_FLAGS_OFF 40
#define WASI_SUB_FD_OFF 16

/* event: 32 bytes, align 8 */
#define WASI_EVENT_SIZE 32
#define WASI_EVENT_USERDATA_OFF 0
#define WASI_EVENT_ERROR_OFF 8
#define WASI_EVENT_TYPE_OFF 10
#define WASI_EVENT_NBYTES_OFF 16
#define WASI_EVENT_FLAGS_OFF 24

/* ---- wasm32 mirror structs, for the layout asserts only ---- */

typedef struct WasiIovecAbi {
    uint32_t buf;
    uint32_t buf_len;
} WasiIovecAbi;

typedef struct WasiFdstatAbi {
    uint8_t fs_filetype;
    uint16_t fs_flags;
    uint64_t fs_rights_base;
    uint64_t fs_rights_inheriting;
} WasiFdstatAbi;

typedef struct WasiFilestatAbi {
    uint64_t dev;
    uint64_t ino;
    uint8_t filetype;
    uint64_t nlink;
    uint64_t size;
    uint64_t atim;
    uint64_t mtim;
    uint64_t ctim;
} WasiFilestatAbi;

typedef struct WasiPrestatAbi {
    uint8_t tag;
    uint32_t pr_name_len;
} WasiPrestatAbi;

typedef struct WasiDirentAbi {
    uint64_t d_next;
    uint64_t d_ino;
    uint32_t d_namlen;
    uint8_t d_type;
} WasiDirentAbi;

typedef struct WasiSubscriptionAbi {
    uint64_t userdata;
    uint8_t tag;
    union {
        struct {
            uint32_t id;
            uint64_t timeout;
            uint64_t precision;
            uint16_t flags;
        } clock;
        struct {
            uint32_t file_descriptor;
        } fd_readwrite;
    } u;
} WasiSubscriptionAbi;

typedef struct WasiEventAbi {
    uint64_t userdata;
    uint16_t error;
    uint8_t type;
    struct {
        uint64_t nbytes;
        uint16_t flags;
    } fd_readwrite;
} WasiEventAbi;

#define WASI_LAYOUT_ASSERT(type, field, off)                                                 \
    _Static_assert(offsetof(type, field) == (off), #type "." #field " offset")

_Static_assert(sizeof(WasiIovecAbi) == WASI_IOVEC_SIZE, "iovec size");
WASI_LAYOUT_ASSERT(WasiIovecAbi, buf, WASI_IOVEC_BUF_OFF);
WASI_LAYOUT_ASSERT(WasiIovecAbi, buf_len, WASI_IOVEC_LEN_OFF);

_Static_assert(sizeof(WasiFdstatAbi) == WASI_FDSTAT_SIZE, "fdstat size");
WASI_LAYOUT_ASSERT(WasiFdstatAbi, fs_filetype, WASI_FDSTAT_FILETYPE_OFF);
WASI_LAYOUT_ASSERT(WasiFdstatAbi, fs_flags, WASI_FDSTAT_FLAGS_OFF);
WASI_LAYOUT_ASSERT(WasiFdstatAbi, fs_rights_base, WASI_FDSTAT_RIGHTS_BASE_OFF);
WASI_LAYOUT_ASSERT(WasiFdstatAbi, fs_rights_inheriting, WASI_FDSTAT_RIGHTS_INHERITING_OFF);

_Static_assert(sizeof(WasiFilestatAbi) == WASI_FILESTAT_SIZE, "filestat size");
WASI_LAYOUT_ASSERT(WasiFilestatAbi, dev, WASI_FILESTAT_DEV_OFF);
WASI_LAYOUT_ASSERT(WasiFilestatAbi, ino, WASI_FILESTAT_INO_OFF);
WASI_LAYOUT_ASSERT(WasiFilestatAbi, filetype, WASI_FILESTAT_FILETYPE_OFF);
WASI_LAYOUT_ASSERT(WasiFilestatAbi, nlink, WASI_FILESTAT_NLINK_OFF);
WASI_LAYOUT_ASSERT(WasiFilestatAbi, size, WASI_FILESTAT_SIZE_OFF);
WASI_LAYOUT_ASSERT(WasiFilestatAbi, atim, WASI_FILESTAT_ATIM_OFF);
WASI_LAYOUT_ASSERT(WasiFilestatAbi, mtim, WASI_FILESTAT_MTIM_OFF);
WASI_LAYOUT_ASSERT(WasiFilestatAbi, ctim, WASI_FILESTAT_CTIM_OFF);

_Static_assert(sizeof(WasiPrestatAbi) == WASI_PRESTAT_SIZE, "prestat size");
WASI_LAYOUT_ASSERT(WasiPrestatAbi, tag, WASI_PRESTAT_TAG_OFF);
WASI_LAYOUT_ASSERT(WasiPrestatAbi, pr_name_len, WASI_PRESTAT_NAME_LEN_OFF);

_Static_assert(sizeof(WasiDirentAbi) == WASI_DIRENT_SIZE, "dirent size");
WASI_LAYOUT_ASSERT(WasiDirentAbi, d_next, WASI_DIRENT_NEXT_OFF);
WASI_LAYOUT_ASSERT(WasiDirentAbi, d_ino, WASI_DIRENT_INO_OFF);
WASI_LAYOUT_ASSERT(WasiDirentAbi, d_namlen, WASI_DIRENT_NAMLEN_OFF);
WASI_LAYOUT_ASSERT(WasiDirentAbi, d_type, WASI_DIRENT_TYPE_OFF);

_Static_assert(sizeof(WasiSubscriptionAbi) == WASI_SUBSCRIPTION_SIZE, "subscription size");
WASI_LAYOUT_ASSERT(WasiSubscriptionAbi, userdata, WASI_SUB_USERDATA_OFF);
WASI_LAYOUT_ASSERT(WasiSubscriptionAbi, tag, WASI_SUB_TAG_OFF);
WASI_LAYOUT_ASSERT(WasiSubscriptionAbi, u.clock.id, WASI_SUB_CLOCK_ID_OFF);
WASI_LAYOUT_ASSERT(WasiSubscriptionAbi, u.clock.timeout, WASI_SUB_CLOCK_TIMEOUT_OFF);
WASI_LAYOUT_ASSERT(WasiSubscriptionAbi, u.clock.precision, WASI_SUB_CLOCK_PRECISION_OFF);
WASI_LAYOUT_ASSERT(WasiSubscriptionAbi, u.clock.flags, WASI_SUB_CLOCK_FLAGS_OFF);
WASI_LAYOUT_ASSERT(WasiSubscriptionAbi, u.fd_readwrite.file_descriptor, WASI_SUB_FD_OFF);

_Static_assert(sizeof(WasiEventAbi) == WASI_EVENT_SIZE, "event size");
WASI_LAYOUT_ASSERT(WasiEventAbi, userdata, WASI_EVENT_USERDATA_OFF);
WASI_LAYOUT_ASSERT(WasiEventAbi, error, WASI_EVENT_ERROR_OFF);
WASI_LAYOUT_ASSERT(WasiEventAbi, type, WASI_EVENT_TYPE_OFF);
WASI_LAYOUT_ASSERT(WasiEventAbi, fd_readwrite.nbytes, WASI_EVENT_NBYTES_OFF);
WASI_LAYOUT_ASSERT(WasiEventAbi, fd_readwrite.flags, WASI_EVENT_FLAGS_OFF);

#endif
