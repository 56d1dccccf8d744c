/*
 * The expected-failures list: which spec commands do not pass yet, and why. The runner
 * turns a listed failure into an expected failure and a listed pass into a failure, so the
 * list can only shrink (runner.c). This file reads the list; a malformed line is an error
 * that names the list's path and line, never silently ignored.
 */
#include <stdlib.h>
#include <string.h>

#include "ir/vec.h"
#include "spec-tests/wast.h"

const char *
wast_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Copies text[start, end) into the arena as a NUL-terminated string. */
static char *
copy_str(SkArena *a, const char *start, const char *end)
{
    size_t len = (size_t)(end - start);
    char *s = sk_arena_alloc_aligned(a, len + 1, 1);
    if (s) {
        memcpy(s, start, len);
        s[len] = '\0';
    }
    return s;
}

/*
 * Parses one non-comment line [p, end) into `e`. Returns NULL on success or a message.
 */
static const char *
parse_entry(WastExpectList *l, const char *p, const char *end, WastExpectEntry *e)
{
    const char *tok = p;
    while (p < end && !is_space(*p))
        p++;
    const char *tok_end = p;
    const char *colon = NULL;
    for (const char *q = tok; q < tok_end; q++)
        if (*q == ':')
            colon = q;
    if (!colon)
        return "expected FILE.wast:LINE or FILE.wast:* followed by a reason";
    size_t flen = (size_t)(colon - tok);
    if (flen < 6 || memcmp(colon - 5, ".wast", 5) != 0)
        return "the file must be a .wast base name (e.g. simd_lane.wast:123)";
    if (memchr(tok, '/', flen))
        return "the file must be a base name, without a folder";
    const char *num = colon + 1;
    if (tok_end - num == 1 && *num == '*') {
        e->line = 0;
    } else {
        uint64_t line = 0;
        if (num == tok_end)
            return "missing line number after ':' (or '*' for the whole file)";
        for (const char *q = num; q < tok_end; q++) {
            if (*q < '0' || *q > '9')
                return "the line must be a number or '*'";
            line = line * 10 + (uint64_t)(*q - '0');
            if (line > UINT32_MAX)
                return "line number too large";
        }
        if (line == 0)
            return "line numbers start at 1";
        e->line = (uint32_t)line;
    }
    while (p < end && is_space(*p))
        p++;
    const char *rend = end;
    while (rend > p && is_space(rend[-1]))
        rend--;
    if (p == rend)
        return "missing reason after the command (say why it does not pass yet)";
    e->file = copy_str(&l->arena, tok, colon);
    e->reason = copy_str(&l->arena, p, rend);
    if (!e->file || !e->reason)
        return "out of memory";
    return NULL;
}

bool
wast_expect_parse(WastExpectList *l, const char *path, const char *text, size_t size,
                  SkDiag *diag)
{
    memset(l, 0, sizeof(*l));
    sk_arena_init(&l->arena, NULL);
    l->path = copy_str(&l->arena, path, path + strlen(path));
    SK_VEC(WastExpectEntry) entries = {0};
    const char *p = text, *end = text + size;
    uint32_t lineno = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        lineno++;
        const char *s = p;
        p = eol < end ? eol + 1 : end;
        while (s < eol && is_space(*s))
            s++;
        if (s == eol || *s == '#')
            continue;
        if (memchr(s, '\0', (size_t)(eol - s)))
            return sk_diag_set(diag, SK_DIAG_MALFORMED, (uint64_t)(s - text),
                               "%s:%u: NUL byte in the line", path, lineno);
        WastExpectEntry e = {.list_line = lineno};
        const char *msg = parse_entry(l, s, eol, &e);
        if (msg)
            return sk_diag_set(diag, SK_DIAG_MALFORMED, (uint64_t)(s - text), "%s:%u: %s", path,
                               lineno, msg);
        for (uint32_t i = 0; i < entries.len; i++)
            if (entries.data[i].line == e.line && !strcmp(entries.data[i].file, e.file))
                return sk_diag_set(diag, SK_DIAG_MALFORMED, (uint64_t)(s - text),
                                   "%s:%u: duplicate entry (first at line %u)", path, lineno,
                                   entries.data[i].list_line);
        if (!SK_VEC_PUSH_ARENA(&entries, &l->arena, e))
            return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "%s: out of memory", path);
    }
    l->entries = entries.data;
    l->nentries = entries.len;
    return true;
}

bool
wast_expect_load(WastExpectList *l, const char *path, SkDiag *diag)
{
    uint8_t *data;
    size_t size;
    memset(l, 0, sizeof(*l));  // a zeroed list is safe to free
    if (!wast_read_file(path, &data, &size, diag))
        return false;
    bool ok = wast_expect_parse(l, path, (const char *)data, size, diag);
    free(data);
    return ok;
}

void
wast_expect_free(WastExpectList *l)
{
    sk_arena_free(&l->arena);
    memset(l, 0, sizeof(*l));
}

const WastExpectEntry *
wast_expect_find(const WastExpectList *l, const char *file, uint32_t line)
{
    const WastExpectEntry *whole = NULL;
    if (!l)
        return NULL;
    for (uint32_t i = 0; i < l->nentries; i++) {
        const WastExpectEntry *e = &l->entries[i];
        if (strcmp(e->file, file) != 0)
            continue;
        if (line && e->line == line)
            return e;
        if (e->line == 0)
            whole = e;
    }
    return whole;
}
