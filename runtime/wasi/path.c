/*
 * The WASI sandbox: resolving a guest path beneath a directory descriptor without ever
 * letting the kernel follow a symlink or climb with "..".
 *
 * Approach (the same idea as cap-std's manual resolution and FreeBSD's Capsicum lookups):
 * the path is consumed one component at a time. Each directory on the way is opened with
 * openat(top, name, O_DIRECTORY | O_NOFOLLOW) relative to the previous one and kept on a
 * stack, so ".." is a pop of that stack (and a pop below the start directory is an escape),
 * never a kernel lookup of "..". A component that turns out to be a symlink is read with
 * readlinkat and its target spliced in front of the rest of the path; an absolute target
 * is an escape, a relative one is resolved like any other text, so climbing out through a
 * symlink hits the same stack check. Because every open carries O_NOFOLLOW, a symlink
 * swapped in concurrently makes the open fail instead of being followed: races can produce
 * errors, never an escape. The final component is returned as a bare name with its parent
 * directory fd, for the *at() call of the operation (which callers also make with
 * O_NOFOLLOW / AT_SYMLINK_NOFOLLOW). Portable POSIX only; O_PATH is used where it exists
 * so that walking needs search permission only. Linux's openat2(RESOLVE_BENEATH) would do
 * the same walk in the kernel; it is a possible optimisation, not needed for correctness.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/wasi/wasi_impl.h"

#ifdef O_PATH
#define WALK_FLAGS (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#else
#define WALK_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#endif

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif
#ifndef NAME_MAX
#define NAME_MAX 255
#endif

/* True if s[0..len) is well-formed UTF-8 (no overlongs, surrogates or values > U+10FFFF). */
static bool
utf8_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (len - i <= n)
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

uint16_t
wasi_path_copy_in(const uint8_t *mem, uint64_t mem_size, uint32_t ptr, uint32_t len,
                  char **out_path)
{
    if (!wasi_mem_ok(mem_size, ptr, len))
        return WASI_ERRNO_FAULT;
    if (len > WASI_PATH_MAX)
        return WASI_ERRNO_NAMETOOLONG;
    const uint8_t *s = mem + ptr;
    if (memchr(s, 0, len))
        return WASI_ERRNO_INVAL;
    if (!utf8_valid(s, len))
        return WASI_ERRNO_ILSEQ;
    char *p = malloc((size_t)len + 1);
    if (!p)
        return WASI_ERRNO_NOMEM;
    memcpy(p, s, len);
    p[len] = 0;
    *out_path = p;
    return WASI_ERRNO_SUCCESS;
}

static bool
stack_push(WasiPath *p, int fd)
{
    if (p->nstack == p->capstack) {
        uint32_t cap = p->capstack ? p->capstack * 2 : 16;
        int *stack = realloc(p->stack, cap * sizeof(*stack));
        if (!stack)
            return false;
        p->stack = stack;
        p->capstack = cap;
    }
    p->stack[p->nstack++] = fd;
    return true;
}

/* Closes every directory on the stack except the start fd (borrowed from the caller). */
static void
stack_close_all(WasiPath *p)
{
    for (uint32_t i = 1; i < p->nstack; i++)
        close(p->stack[i]);
    p->nstack = p->nstack ? 1 : 0;
}

/* Error exit of the resolver: everything it opened is released. */
static uint16_t
fail(WasiPath *p, uint16_t err)
{
    stack_close_all(p);
    free(p->stack);
    free(p->buf);
    free(p->name_buf);
    int start = p->start_fd;
    memset(p, 0, sizeof(*p));
    p->dirfd = start;
    p->start_fd = start;
    return err;
}

/* Success exit: the top of the stack holds `name`; the directories below it are closed. */
static uint16_t
finish(WasiPath *p, const char *name, bool trailing)
{
    int top = p->stack[p->nstack - 1];
    for (uint32_t i = 1; i + 1 < p->nstack; i++)
        close(p->stack[i]);
    p->depth = p->nstack - 1;
    p->stack[0] = p->start_fd;
    if (p->nstack > 1)
        p->stack[1] = top;
    p->nstack = p->nstack > 1 ? 2 : 1;
    p->dirfd = top;
    p->name = name;
    p->trailing_slash = trailing;
    return WASI_ERRNO_SUCCESS;
}

/*
 * Replaces the component that ended at buf[end] with the symlink target in `target`
 * (n bytes): the new text is the target followed by everything after the component.
 */
static uint16_t
splice_link(WasiPath *p, const char *target, size_t n, size_t end, uint32_t *links)
{
    if (++*links > WASI_SYMLINK_MAX)
        return WASI_ERRNO_LOOP;
    if (n == 0)
        return WASI_ERRNO_NOENT;
    if (target[0] == '/')
        return WASI_ERRNO_PERM; // an absolute target always leaves the sandbox
    size_t rest = strlen(p->buf + end);
    if (n + rest > WASI_PATH_MAX + (size_t)WASI_SYMLINK_MAX * PATH_MAX)
        return WASI_ERRNO_NAMETOOLONG;
    char *text = malloc(n + rest + 1);
    if (!text)
        return WASI_ERRNO_NOMEM;
    memcpy(text, target, n);
    memcpy(text + n, p->buf + end, rest + 1);
    free(p->buf);
    p->buf = text;
    return WASI_ERRNO_SUCCESS;
}

uint16_t
wasi_path_resolve(int start_fd, const char *path, bool follow_last, WasiPath *out)
{
    memset(out, 0, sizeof(*out));
    out->start_fd = start_fd;
    out->dirfd = start_fd;
    if (path[0] == 0)
        return WASI_ERRNO_NOENT;
    if (path[0] == '/')
        return WASI_ERRNO_PERM;
    out->buf = strdup(path);
    out->name_buf = malloc(NAME_MAX + 1);
    char *link = NULL;
    if (!out->buf || !out->name_buf || !stack_push(out, start_fd))
        return fail(out, WASI_ERRNO_NOMEM);

    uint32_t links = 0;
    size_t pos = 0;
    uint16_t err = WASI_ERRNO_SUCCESS;
    for (;;) {
        const char *s = out->buf;
        while (s[pos] == '/')
            pos++;
        size_t end = pos;
        while (s[end] && s[end] != '/')
            end++;
        size_t after = end;
        while (s[after] == '/')
            after++;
        bool is_last = s[after] == 0;
        bool trailing = is_last && after > end;
        size_t len = end - pos;

        if (len == 0 || (len == 1 && s[pos] == '.')) {
            if (is_last)
                break; // the current directory itself
            pos = after;
            continue;
        }
        if (len == 2 && s[pos] == '.' && s[pos + 1] == '.') {
            if (out->nstack == 1) {
                err = WASI_ERRNO_PERM; // ".." above the start directory
                goto out_err;
            }
            close(out->stack[--out->nstack]);
            if (is_last)
                break;
            pos = after;
            continue;
        }
        if (len > NAME_MAX) {
            err = WASI_ERRNO_NAMETOOLONG;
            goto out_err;
        }
        memcpy(out->name_buf, s + pos, len);
        out->name_buf[len] = 0;
        int top = out->stack[out->nstack - 1];

        if (!is_last) {
            /* The common case first: a real directory opens in one call. */
            int fd = openat(top, out->name_buf, WALK_FLAGS);
            if (fd >= 0) {
                if (!stack_push(out, fd)) {
                    close(fd);
                    err = WASI_ERRNO_NOMEM;
                    goto out_err;
                }
                pos = after;
                continue;
            }
            int e = errno;
            /* O_NOFOLLOW on a symlink: ELOOP (Linux), EMLINK (FreeBSD), or ENOTDIR. */
            if (e != ELOOP && e != EMLINK && e != ENOTDIR) {
                err = wasi_errno_from_host(e);
                goto out_err;
            }
        } else if (!follow_last) {
            return finish(out, out->name_buf, trailing);
        }

        if (!link && !(link = malloc(PATH_MAX))) {
            err = WASI_ERRNO_NOMEM;
            goto out_err;
        }
        ssize_t n = readlinkat(top, out->name_buf, link, PATH_MAX);
        if (n < 0) {
            int e = errno;
            if (is_last && (e == EINVAL || e == ENOENT)) {
                free(link);
                return finish(out, out->name_buf, trailing); // not a symlink, or absent
            }
            /* A non-directory in the middle of the path (EINVAL: exists, not a link). */
            err = e == EINVAL ? WASI_ERRNO_NOTDIR : wasi_errno_from_host(e);
            goto out_err;
        }
        if (n >= PATH_MAX) {
            err = WASI_ERRNO_NAMETOOLONG;
            goto out_err;
        }
        err = splice_link(out, link, (size_t)n, end, &links);
        if (err)
            goto out_err;
        pos = 0;
    }
    free(link);
    return finish(out, ".", false);

out_err:
    free(link);
    return fail(out, err);
}

void
wasi_path_release(WasiPath *p)
{
    if (p->dirfd >= 0 && p->dirfd != p->start_fd)
        close(p->dirfd);
    free(p->stack);
    free(p->buf);
    free(p->name_buf);
    memset(p, 0, sizeof(*p));
    p->dirfd = -1;
}
