/*
 * A small JSON reader (RFC 8259) for the output of wabt's wast2json: recursive descent into
 * a tree of WastJson nodes allocated in the caller's arena. The input is untrusted: every
 * read is bounds-checked, nesting is limited (no stack overflow on "[[[[..."), and the first
 * error stops the parse with its byte offset, line and column.
 */
#include <stdio.h>
#include <string.h>

#include "ir/vec.h"
#include "spec-tests/wast.h"

typedef struct JsonParser {
    const char *text;
    size_t size;
    size_t pos;
    SkArena *arena;
    SkDiag *diag;
} JsonParser;

/* Fails the parse at `at` with "<what> (line L, column C)". Always returns false. */
static bool
fail_at(JsonParser *p, size_t at, const char *what)
{
    uint32_t line = 1, col = 1;
    for (size_t i = 0; i < at && i < p->size; i++) {
        if (p->text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    return sk_diag_set(p->diag, SK_DIAG_MALFORMED, at, "malformed JSON: %s (line %u, column %u)",
                       what, line, col);
}

static bool
out_of_memory(JsonParser *p)
{
    return sk_diag_set(p->diag, SK_DIAG_OUT_OF_MEMORY, p->pos, "out of memory reading JSON");
}

static void
skip_space(JsonParser *p)
{
    while (p->pos < p->size) {
        char c = p->text[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

/* The next byte, or -1 at the end of the input. */
static int
peek(const JsonParser *p)
{
    return p->pos < p->size ? (unsigned char)p->text[p->pos] : -1;
}

static bool
is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int
hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads the four hex digits of a \u escape at p->pos. */
static bool
read_hex4(JsonParser *p, uint32_t *out_v)
{
    if (p->size - p->pos < 4)
        return fail_at(p, p->pos, "\\u escape needs four hex digits");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value((unsigned char)p->text[p->pos + i]);
        if (h < 0)
            return fail_at(p, p->pos + i, "\\u escape needs four hex digits");
        v = v << 4 | (uint32_t)h;
    }
    p->pos += 4;
    *out_v = v;
    return true;
}

/* Appends code point `cp` (not a surrogate, <= 0x10FFFF) to `out` as UTF-8. */
static size_t
put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Parses a string starting at its opening quote. The decoded form is never longer than the
 * raw one (every escape is at least as long as the UTF-8 it stands for), so one arena block
 * of the raw length holds it.
 */
static bool
parse_string(JsonParser *p, const char **out_str, uint32_t *out_len)
{
    size_t start = p->pos++;  // the opening quote
    size_t end = p->pos;
    while (end < p->size && p->text[end] != '"') {
        if (p->text[end] == '\\')
            end++;
        end++;
    }
    if (end >= p->size)
        return fail_at(p, start, "unterminated string");
    if (end - start > UINT32_MAX)
        return fail_at(p, start, "string too long");
    char *buf = sk_arena_alloc_aligned(p->arena, end - start + 1, 1);
    if (!buf)
        return out_of_memory(p);
    size_t n = 0;
    while (p->pos < end) {
        unsigned char c = (unsigned char)p->text[p->pos];
        if (c < 0x20)
            return fail_at(p, p->pos, "control character in string");
        if (c != '\\') {
            buf[n++] = (char)c;
            p->pos++;
            continue;
        }
        size_t esc = p->pos++;
        char e = p->text[p->pos++];
        switch (e) {
        case '"': buf[n++] = '"'; break;
        case '\\': buf[n++] = '\\'; break;
        case '/': buf[n++] = '/'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'u': {
            uint32_t cp;
            if (!read_hex4(p, &cp))
                return false;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail_at(p, esc, "lone low surrogate in \\u escape");
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (p->pos + 2 > end || p->text[p->pos] != '\\' || p->text[p->pos + 1] != 'u')
                    return fail_at(p, esc, "high surrogate not followed by a low surrogate");
                p->pos += 2;
                if (!read_hex4(p, &lo))
                    return false;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return fail_at(p, esc, "high surrogate not followed by a low surrogate");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            n += put_utf8(buf + n, cp);
            break;
        }
        default:
            return fail_at(p, esc, "unknown escape in string");
        }
    }
    buf[n] = '\0';
    p->pos = end + 1;
    *out_str = buf;
    *out_len = (uint32_t)n;
    return true;
}

/* Parses a number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?; keeps the text. */
static bool
parse_number(JsonParser *p, WastJson *out)
{
    size_t start = p->pos;
    if (peek(p) == '-')
        p->pos++;
    if (peek(p) == '0') {
        p->pos++;
        if (is_digit(peek(p)))
            return fail_at(p, p->pos, "leading zero in number");
    } else if (is_digit(peek(p))) {
        while (is_digit(peek(p)))
            p->pos++;
    } else {
        return fail_at(p, p->pos, "expected a digit");
    }
    if (peek(p) == '.') {
        p->pos++;
        if (!is_digit(peek(p)))
            return fail_at(p, p->pos, "expected a digit after '.'");
        while (is_digit(peek(p)))
            p->pos++;
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-')
            p->pos++;
        if (!is_digit(peek(p)))
            return fail_at(p, p->pos, "expected a digit in exponent");
        while (is_digit(peek(p)))
            p->pos++;
    }
    size_t len = p->pos - start;
    if (len > UINT32_MAX)
        return fail_at(p, start, "number too long");
    char *buf = sk_arena_alloc_aligned(p->arena, len + 1, 1);
    if (!buf)
        return out_of_memory(p);
    memcpy(buf, p->text + start, len);
    buf[len] = '\0';
    out->kind = WAST_JSON_NUMBER;
    out->u.str = buf;
    out->len = (uint32_t)len;
    return true;
}

/* Matches the literal `word` (true, false, null) at p->pos. */
static bool
parse_word(JsonParser *p, const char *word)
{
    size_t len = strlen(word);
    if (p->size - p->pos < len || memcmp(p->text + p->pos, word, len) != 0)
        return fail_at(p, p->pos, "expected a value");
    p->pos += len;
    return true;
}

static bool parse_value(JsonParser *p, WastJson *out, uint32_t depth);

/*
 * Parses an array. Elements collect in a heap Vec (so that growing does not leave copies in
 * the arena) and move to the arena once the array is complete.
 */
static bool
parse_array(JsonParser *p, WastJson *out, uint32_t depth)
{
    const SkAlloc *alloc = p->arena->alloc;
    SK_VEC(WastJson) items = {0};
    bool ok = false;
    p->pos++;  // '['
    skip_space(p);
    if (peek(p) == ']') {
        p->pos++;
        ok = true;
    }
    while (!ok) {
        WastJson item;
        if (!parse_value(p, &item, depth + 1))
            goto done;
        if (!SK_VEC_PUSH_HEAP(&items, alloc, item)) {
            out_of_memory(p);
            goto done;
        }
        skip_space(p);
        int c = peek(p);
        p->pos++;
        if (c == ']')
            break;
        if (c != ',') {
            fail_at(p, p->pos - 1, c < 0 ? "unterminated array" : "expected ',' or ']' in array");
            goto done;
        }
        skip_space(p);
        if (peek(p) == ']') {
            fail_at(p, p->pos, "trailing ',' in array");
            goto done;
        }
    }
    out->kind = WAST_JSON_ARRAY;
    out->len = items.len;
    out->u.items = NULL;
    if (items.len) {
        out->u.items = sk_arena_calloc(p->arena, items.len, sizeof(WastJson));
        if (!out->u.items) {
            out_of_memory(p);
            goto done;
        }
        memcpy(out->u.items, items.data, (size_t)items.len * sizeof(WastJson));
    }
    ok = true;
done:
    sk_vec_free_heap(&items, alloc);
    return ok;
}

/* Parses an object; members keep their input order, like parse_array's elements. */
static bool
parse_object(JsonParser *p, WastJson *out, uint32_t depth)
{
    const SkAlloc *alloc = p->arena->alloc;
    SK_VEC(WastJsonMember) members = {0};
    bool ok = false;
    p->pos++;  // '{'
    skip_space(p);
    if (peek(p) == '}') {
        p->pos++;
        ok = true;
    }
    while (!ok) {
        WastJsonMember m;
        if (peek(p) != '"') {
            fail_at(p, p->pos, peek(p) < 0 ? "unterminated object" : "expected a string key");
            goto done;
        }
        if (!parse_string(p, &m.key, &m.key_len))
            goto done;
        skip_space(p);
        if (peek(p) != ':') {
            fail_at(p, p->pos, "expected ':' after object key");
            goto done;
        }
        p->pos++;
        if (!parse_value(p, &m.value, depth + 1))
            goto done;
        if (!SK_VEC_PUSH_HEAP(&members, alloc, m)) {
            out_of_memory(p);
            goto done;
        }
        skip_space(p);
        int c = peek(p);
        p->pos++;
        if (c == '}')
            break;
        if (c != ',') {
            fail_at(p, p->pos - 1,
                    c < 0 ? "unterminated object" : "expected ',' or '}' in object");
            goto done;
        }
        skip_space(p);
        if (peek(p) == '}') {
            fail_at(p, p->pos, "trailing ',' in object");
            goto done;
        }
    }
    out->kind = WAST_JSON_OBJECT;
    out->len = members.len;
    out->u.members = NULL;
    if (members.len) {
        out->u.members = sk_arena_calloc(p->arena, members.len, sizeof(WastJsonMember));
        if (!out->u.members) {
            out_of_memory(p);
            goto done;
        }
        memcpy(out->u.members, members.data, (size_t)members.len * sizeof(WastJsonMember));
    }
    ok = true;
done:
    sk_vec_free_heap(&members, alloc);
    return ok;
}

/* Parses one value after optional whitespace. `depth` counts enclosing arrays/objects. */
static bool
parse_value(JsonParser *p, WastJson *out, uint32_t depth)
{
    memset(out, 0, sizeof(*out));
    skip_space(p);
    out->offset = (uint32_t)(p->pos > UINT32_MAX ? UINT32_MAX : p->pos);
    int c = peek(p);
    switch (c) {
    case -1:
        return fail_at(p, p->pos, "unexpected end of input");
    case '{':
    case '[':
        if (depth >= WAST_JSON_MAX_DEPTH)
            return fail_at(p, p->pos, "nesting too deep");
        return c == '{' ? parse_object(p, out, depth) : parse_array(p, out, depth);
    case '"':
        out->kind = WAST_JSON_STRING;
        return parse_string(p, &out->u.str, &out->len);
    case 't':
    case 'f':
        out->kind = WAST_JSON_BOOL;
        out->boolean = c == 't';
        return parse_word(p, c == 't' ? "true" : "false");
    case 'n':
        out->kind = WAST_JSON_NULL;
        return parse_word(p, "null");
    default:
        if (c == '-' || is_digit(c))
            return parse_number(p, out);
        return fail_at(p, p->pos, "expected a value");
    }
}

bool
wast_json_parse(const char *text, size_t size, SkArena *arena, WastJson *out, SkDiag *diag)
{
    JsonParser p = {.text = text, .size = size, .arena = arena, .diag = diag};
    if (!parse_value(&p, out, 0))
        return false;
    skip_space(&p);
    if (p.pos != size)
        return fail_at(&p, p.pos, "unexpected content after the value");
    return true;
}

const WastJson *
wast_json_get(const WastJson *obj, const char *key)
{
    if (!obj || obj->kind != WAST_JSON_OBJECT)
        return NULL;
    size_t len = strlen(key);
    for (uint32_t i = 0; i < obj->len; i++) {
        const WastJsonMember *m = &obj->u.members[i];
        if (m->key_len == len && memcmp(m->key, key, len) == 0)
            return &m->value;
    }
    return NULL;
}

const char *
wast_json_str(const WastJson *v)
{
    return v && v->kind == WAST_JSON_STRING ? v->u.str : NULL;
}

bool
wast_json_u32(const WastJson *v, uint32_t *out_v)
{
    if (!v || v->kind != WAST_JSON_NUMBER)
        return false;
    uint64_t x;
    if (!wast_parse_uint(v->u.str, UINT32_MAX, &x) || v->u.str[0] == '-')
        return false;
    *out_v = (uint32_t)x;
    return true;
}
