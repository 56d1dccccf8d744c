/*
 * The `name` custom section (spec appendix 7.4): the module name, function names and local
 * names, used for diagnostics, backtraces and disassembly. Names are a courtesy, not part of
 * the program, so a malformed name section is ignored as a whole and never rejects a module:
 * everything is decoded into temporaries and stored in the module only if the entire
 * section is well-formed. Subsections with other ids (the extended-name proposal) are
 * skipped.
 *
 * Well-formed means: subsections in increasing id order, each within its declared size;
 * name maps sorted by strictly increasing index; names of valid UTF-8.
 */
#include <string.h>

#include "frontend/internal.h"

/* Reads a name and copies it NUL-terminated into the arena. */
static bool
read_name(FeReader *r, SkArena *arena, FeName *out)
{
    uint32_t len;
    const uint8_t *s;
    if (!fe_read_len(r, &len) || !fe_read_bytes(r, len, &s) || !fe_utf8_is_valid(s, len))
        return false;
    char *copy = sk_arena_alloc_aligned(arena, (size_t)len + 1, 1);
    if (!copy)
        return false;
    memcpy(copy, s, len);
    copy[len] = '\0';
    out->str = copy;
    out->len = len;
    return true;
}

/* A name map: vec(index, name) with strictly increasing indices. */
static bool
read_name_map(FeReader *r, SkArena *arena, FeNameEntry **out, uint32_t *out_n)
{
    uint32_t n;
    if (!fe_read_len(r, &n))
        return false;
    FeNameEntry *entries = sk_arena_calloc(arena, n ? n : 1, sizeof(FeNameEntry));
    if (!entries)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!fe_read_u32(r, &entries[i].index) || !read_name(r, arena, &entries[i].name))
            return false;
        if (i > 0 && entries[i].index <= entries[i - 1].index)
            return false;
    }
    *out = entries;
    *out_n = n;
    return true;
}

/* The local-names subsection: vec(function index, name map), function indices increasing. */
static bool
read_local_names(FeReader *r, SkArena *arena, FeLocalNames **out, uint32_t *out_n)
{
    uint32_t n;
    if (!fe_read_len(r, &n))
        return false;
    FeLocalNames *funcs = sk_arena_calloc(arena, n ? n : 1, sizeof(FeLocalNames));
    if (!funcs)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        FeLocalNames *f = &funcs[i];
        if (!fe_read_u32(r, &f->func_index) ||
            !read_name_map(r, arena, &f->names, &f->nnames))
            return false;
        if (i > 0 && f->func_index <= funcs[i - 1].func_index)
            return false;
    }
    *out = funcs;
    *out_n = n;
    return true;
}

void
fe_names_decode(FeModule *m, const uint8_t *p, const uint8_t *end)
{
    FeReader r;
    fe_reader_init(&r, m->bytes, p, end, NULL);
    FeName module_name = {NULL, 0};
    FeNameEntry *func_names = NULL;
    uint32_t nfunc_names = 0;
    FeLocalNames *local_names = NULL;
    uint32_t nlocal_names = 0;
    int last_id = -1;
    while (r.p < r.end) {
        uint8_t id;
        uint32_t size;
        /* fe_read_len bounds a length by the bytes from its own first byte on, so the
         * subsection may still claim a few bytes past the section: that is malformed. */
        if (!fe_read_u8(&r, &id) || !fe_read_len(&r, &size) || (int)id <= last_id ||
            size > (size_t)(r.end - r.p))
            return;
        last_id = id;
        FeReader sub = r;
        sub.end = r.p + size;
        bool ok;
        switch (id) {
        case 0:
            ok = read_name(&sub, &m->arena, &module_name);
            break;
        case 1:
            ok = read_name_map(&sub, &m->arena, &func_names, &nfunc_names);
            break;
        case 2:
            ok = read_local_names(&sub, &m->arena, &local_names, &nlocal_names);
            break;
        default:
            sub.p = sub.end;
            ok = true;
            break;
        }
        if (!ok || sub.p != sub.end)
            return;
        r.p = sub.end;
    }
    m->module_name = module_name;
    m->func_names = func_names;
    m->nfunc_names = nfunc_names;
    m->local_names = local_names;
    m->nlocal_names = nlocal_names;
}
