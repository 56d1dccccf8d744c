/*
 * Slow paths of the checked reader (frontend/reader.h): diagnostics, multi-byte LEB128,
 * UTF-8 and type bytes. The LEB128 rules follow the spec (binary/values): at most
 * ceil(N/7) bytes ("integer representation too long"), and the unused bits of the last byte
 * must be zero for unsigned and copies of the sign bit for signed integers ("integer too
 * large"). Offsets name the offending byte.
 */
#include <stdarg.h>
#include <stdio.h>

#include "frontend/reader.h"

bool
fe_fail(FeReader *r, const uint8_t *at, SkDiagKind kind, const char *fmt, ...)
{
    /* The error sticks: from now on every read finds no bytes left and fails. */
    r->failed = true;
    r->p = r->end;
    if (!r->diag || r->diag->kind != SK_DIAG_NONE)
        return false;
    SkDiag *d = r->diag;
    d->kind = kind;
    d->offset = (uint64_t)(at - r->base);
    d->func_index = r->func_index;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof(d->message), fmt, ap);
    va_end(ap);
    return false;
}

bool
fe_fail_eof(FeReader *r)
{
    return fe_fail(r, r->p, SK_DIAG_MALFORMED, "unexpected end of section or function");
}

bool
fe_read_u32_slow(FeReader *r, uint32_t *out)
{
    const uint8_t *p = r->p;
    uint32_t v = 0;
    *out = 0;
    for (unsigned i = 0;; i++) {
        if (i == 5)
            return fe_fail(r, p, SK_DIAG_MALFORMED,
                           "integer representation too long: u32 LEB128 over 5 bytes");
        if (p >= r->end) {
            r->p = p;
            return fe_fail_eof(r);
        }
        uint8_t b = *p;
        /* The fifth byte carries bits 28..31: bits 4..6 of it are unused and must be 0. */
        if (i == 4 && (b & 0x70))
            return fe_fail(r, p, SK_DIAG_MALFORMED,
                           "integer too large: u32 LEB128 with unused bits set");
        v |= (uint32_t)(b & 0x7F) << (7 * i);
        p++;
        if (!(b & 0x80))
            break;
    }
    r->p = p;
    *out = v;
    return true;
}

bool
fe_read_sleb_slow(FeReader *r, unsigned bits, int64_t *out)
{
    const uint8_t *p = r->p;
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    *out = 0;
    for (;;) {
        int left = (int)bits - (int)shift;  // value bits this byte may still carry
        if (left <= 0)
            return fe_fail(r, p, SK_DIAG_MALFORMED,
                           "integer representation too long: s%u LEB128 over %u bytes", bits,
                           (bits + 6) / 7);
        if (p >= r->end) {
            r->p = p;
            return fe_fail_eof(r);
        }
        b = *p;
        if (left < 7) {
            /* Bits left-1 .. 6 of the last byte must all equal the sign bit. */
            uint8_t mask = (uint8_t)((0xFFu << (left - 1)) & 0x7F);
            if ((b & mask) != 0 && (b & mask) != mask)
                return fe_fail(r, p, SK_DIAG_MALFORMED,
                               "integer too large: s%u LEB128 with unused bits not a sign "
                               "extension", bits);
        }
        v |= (uint64_t)(b & 0x7F) << shift;
        shift += 7;
        p++;
        if (!(b & 0x80))
            break;
    }
    if (shift < 64 && (b & 0x40))
        v |= ~(uint64_t)0 << shift;
    r->p = p;
    *out = (int64_t)v;
    return true;
}

bool
fe_utf8_is_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t len;
        uint32_t min;
        if ((c & 0xE0) == 0xC0) {
            cp = c & 0x1F;
            len = 2;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            cp = c & 0x0F;
            len = 3;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            cp = c & 0x07;
            len = 4;
            min = 0x10000;
        } else {
            return false;  // continuation byte first, or 0xF8..0xFF
        }
        if (len > n - i)
            return false;
        for (size_t k = 1; k < len; k++) {
            uint8_t cc = s[i + k];
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;  // overlong, out of range, or a surrogate
        i += len;
    }
    return true;
}

/* A type byte with its continuation bit set is a multi-byte s7, which the reference
 * interpreter rejects as too long before looking at its value. */
static bool
read_type_byte(FeReader *r, bool ref_only, uint8_t *out)
{
    const uint8_t *at = r->p;
    uint8_t b;
    *out = FE_VT_NONE;
    if (!fe_read_u8(r, &b))
        return false;
    if (ref_only ? fe_is_reftype(b) : fe_is_valtype(b)) {
        *out = b;
        return true;
    }
    if (b & 0x80)
        return fe_fail(r, r->p, SK_DIAG_MALFORMED,
                       "integer representation too long: type byte 0x%02x continues", b);
    return fe_fail(r, at, SK_DIAG_MALFORMED, "malformed %s type 0x%02x",
                   ref_only ? "reference" : "value", b);
}

bool
fe_read_valtype(FeReader *r, uint8_t *out)
{
    return read_type_byte(r, false, out);
}

bool
fe_read_reftype(FeReader *r, uint8_t *out)
{
    return read_type_byte(r, true, out);
}

const char *
fe_valtype_name(uint8_t t)
{
    switch (t) {
    case FE_VT_I32:
        return "i32";
    case FE_VT_I64:
        return "i64";
    case FE_VT_F32:
        return "f32";
    case FE_VT_F64:
        return "f64";
    case FE_VT_V128:
        return "v128";
    case FE_VT_FUNCREF:
        return "funcref";
    case FE_VT_EXTERNREF:
        return "externref";
    default:
        return "unknown";
    }
}
