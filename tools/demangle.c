/*
 * Readable names for backtraces: Rust's legacy symbol mangling (rustc's default up to now,
 * the Itanium-like `_ZN...E` form), which a Rust program compiled to wasm keeps in its name
 * section. Only the CLI shows names, so this lives in tools/.
 *
 *   _ZN 4core 9panicking 5panic 17h0123456789abcdef E   ->   core::panicking::panic
 *
 * A name is `_ZN` (also `ZN`, or `__ZN` from Mach-O), then path elements, each a decimal
 * length and that many bytes, then `E`, optionally followed by a suffix that starts with '.'
 * (e.g. ".llvm.1234"), kept as it is. The last element, when it is `h` and 16 hex digits, is
 * the crate hash and dropped. Inside an element: ".." is "::", a leading "_$" drops the '_',
 * and `$...$` escapes stand for punctuation: SP @, BP *, RF &, LT <, GT >, LP (, RP ), C ',',
 * and u<hex> for any code point (written as UTF-8). Anything else, including Rust's v0
 * mangling (`_R...`) and C++ names with parameters, is left to the caller to print as it is.
 * Malformed input is never an error: the answer is then NULL.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/cli.h"

typedef struct Out {
    char *buf;
    size_t len, cap;
} Out;

static void
out_put(Out *o, const char *s, size_t n)
{
    /* The caller sized buf for the worst case (see cli_demangle); never overflows. */
    if (o->len + n >= o->cap)
        n = o->cap - o->len - 1;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static bool
is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* True if the element is the crate hash: 'h' and 16 lower-case hex digits. */
static bool
is_hash(const char *p, size_t n)
{
    if (n != 17 || p[0] != 'h')
        return false;
    for (size_t i = 1; i < n; i++)
        if (!is_hex(p[i]))
            return false;
    return true;
}

/* Writes code point c as UTF-8; false for a surrogate or a value past U+10FFFF. */
static bool
put_utf8(Out *o, uint32_t c)
{
    char b[4];
    size_t n;
    if (c < 0x80) {
        b[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xC0 | (c >> 6));
        b[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        if (c >= 0xD800 && c < 0xE000)
            return false;
        b[0] = (char)(0xE0 | (c >> 12));
        b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else if (c < 0x110000) {
        b[0] = (char)(0xF0 | (c >> 18));
        b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    } else {
        return false;
    }
    out_put(o, b, n);
    return true;
}

/* The escape between p[0] == '$' and the next '$' (at most `n` bytes in all); returns the
 * bytes it takes, 0 if it is not a known escape. */
static size_t
put_escape(Out *o, const char *p, size_t n)
{
    static const struct {
        const char *code, *text;
    } named[] = {{"SP", "@"}, {"BP", "*"}, {"RF", "&"}, {"LT", "<"}, {"GT", ">"},
                 {"LP", "("}, {"RP", ")"}, {"C", ","}};
    const char *end = memchr(p + 1, '$', n - 1);
    if (!end)
        return 0;
    size_t len = (size_t)(end - p) - 1;  // the code between the two '$'
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strlen(named[i].code) == len && memcmp(p + 1, named[i].code, len) == 0) {
            out_put(o, named[i].text, 1);
            return len + 2;
        }
    }
    if (len < 2 || len > 7 || p[1] != 'u')
        return 0;
    uint32_t c = 0;
    for (size_t i = 2; i <= len; i++) {
        if (!is_hex(p[i]))
            return 0;
        c = c * 16 + (uint32_t)(p[i] <= '9' ? p[i] - '0' : p[i] - 'a' + 10);
    }
    return put_utf8(o, c) ? len + 2 : 0;
}

/* One path element, unescaped; false if it holds an unknown escape. */
static bool
put_element(Out *o, const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 2 && p[0] == '_' && p[1] == '$')
        i = 1;
    while (i < n) {
        if (p[i] == '.' && i + 1 < n && p[i + 1] == '.') {
            out_put(o, "::", 2);
            i += 2;
        } else if (p[i] == '$') {
            size_t used = put_escape(o, p + i, n - i);
            if (used == 0)
                return false;
            i += used;
        } else {
            out_put(o, p + i, 1);
            i++;
        }
    }
    return true;
}

char *
cli_demangle(const char *sym)
{
    const char *p = sym;
    if (strncmp(p, "__ZN", 4) == 0)
        p += 4;
    else if (strncmp(p, "_ZN", 3) == 0)
        p += 3;
    else if (strncmp(p, "ZN", 2) == 0)
        p += 2;
    else
        return NULL;

    /* First pass: find the elements and the end, so the hash is known to be last. */
    const char *q = p;
    const char *last = NULL;
    size_t last_len = 0, nelems = 0;
    while (*q != 'E') {
        if (*q < '0' || *q > '9' || (*q == '0'))
            return NULL;  // a length, without leading zeros (also the end of the string)
        size_t len = 0;
        while (*q >= '0' && *q <= '9') {
            len = len * 10 + (size_t)(*q - '0');
            if (len > 0xFFFFFF)
                return NULL;
            q++;
        }
        if (strnlen(q, len) < len)
            return NULL;  // the element runs past the end of the name
        last = q;
        last_len = len;
        nelems++;
        q += len;
    }
    const char *suffix = q + 1;
    if (nelems == 0 || (*suffix != '\0' && *suffix != '.'))
        return NULL;  // e.g. a C++ name with parameters: "_ZN3foo3barEi"
    bool drop_hash = nelems > 1 && is_hash(last, last_len);

    /* The output is at most one byte per input byte plus "::" per element (its length took
     * at least one), and a 4-byte code point comes from an escape of at least 4 bytes. */
    size_t cap = strlen(sym) + nelems + 1;
    Out o = {malloc(cap), 0, cap};
    if (!o.buf)
        return NULL;
    q = p;
    for (size_t i = 0; i < nelems - (drop_hash ? 1 : 0); i++) {
        size_t len = 0;
        while (*q >= '0' && *q <= '9')
            len = len * 10 + (size_t)(*q++ - '0');
        if (i > 0)
            out_put(&o, "::", 2);
        if (!put_element(&o, q, len)) {
            free(o.buf);
            return NULL;
        }
        q += len;
    }
    out_put(&o, suffix, strlen(suffix));
    o.buf[o.len] = '\0';
    return o.buf;
}
