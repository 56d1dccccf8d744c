/*
 * The linker of the embedding API: a list of (module name, field name) -> extern
 * definitions, used to resolve a module's imports by name. Names are byte strings (they may
 * hold NUL bytes). A later definition of the same name replaces the earlier one, as the wast
 * `register` command expects when a name is registered again.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"
#include "runtime/skua.h"

typedef struct LinkDef {
    char *module;
    size_t module_len;
    char *name;
    size_t name_len;
    SkuaExtern ext;
} LinkDef;

struct SkuaLinker {
    SkuaStore *store;
    LinkDef *defs;
    size_t ndefs, cap;
};

SkuaLinker *
skua_linker_new(SkuaStore *store)
{
    SkuaLinker *l = calloc(1, sizeof *l);
    if (l)
        l->store = store;
    return l;
}

void
skua_linker_delete(SkuaLinker *linker)
{
    if (!linker)
        return;
    for (size_t i = 0; i < linker->ndefs; i++) {
        free(linker->defs[i].module);
        free(linker->defs[i].name);
    }
    free(linker->defs);
    free(linker);
}

SkuaStore *
skua_linker_store(const SkuaLinker *linker)
{
    return linker->store;
}

static LinkDef *
find(const SkuaLinker *l, const char *module, size_t module_len, const char *name,
     size_t name_len)
{
    for (size_t i = l->ndefs; i-- > 0;) {
        LinkDef *d = &l->defs[i];
        if (d->module_len == module_len && d->name_len == name_len &&
            (module_len == 0 || memcmp(d->module, module, module_len) == 0) &&
            (name_len == 0 || memcmp(d->name, name, name_len) == 0))
            return d;
    }
    return NULL;
}

static char *
copy_name(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    if (c) {
        if (len)
            memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

static bool
fail(SkuaError *err, SkuaErrorKind kind, const char *msg)
{
    if (err) {
        err->kind = kind;
        err->trap = NULL;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return false;
}

bool
skua_linker_define(SkuaLinker *linker, const char *module, size_t module_len, const char *name,
                   size_t name_len, SkuaExtern ext, SkuaError *err)
{
    LinkDef *d = find(linker, module, module_len, name, name_len);
    if (d) {
        d->ext = ext;
        return true;
    }
    if (linker->ndefs == linker->cap) {
        size_t cap = linker->cap ? linker->cap * 2 : 32;
        LinkDef *defs = rt_reallocarray(linker->defs, cap, sizeof *defs);
        if (!defs)
            return fail(err, SKUA_ERROR_RESOURCE, "out of memory");
        linker->defs = defs;
        linker->cap = cap;
    }
    d = &linker->defs[linker->ndefs];
    d->module = copy_name(module, module_len);
    d->name = copy_name(name, name_len);
    if (!d->module || !d->name) {
        free(d->module);
        free(d->name);
        return fail(err, SKUA_ERROR_RESOURCE, "out of memory");
    }
    d->module_len = module_len;
    d->name_len = name_len;
    d->ext = ext;
    linker->ndefs++;
    return true;
}

bool
skua_linker_define_instance(SkuaLinker *linker, const char *module, size_t module_len,
                            const SkuaInstance *inst, SkuaError *err)
{
    size_t n = skua_instance_export_count(inst);
    for (size_t i = 0; i < n; i++) {
        SkuaExportDesc desc;
        SkuaExtern x = skua_instance_export_at(inst, i, &desc);
        if (!skua_linker_define(linker, module, module_len, desc.name, desc.name_len, x, err))
            return false;
    }
    return true;
}

bool
skua_linker_get(const SkuaLinker *linker, const char *module, size_t module_len,
                const char *name, size_t name_len, SkuaExtern *out)
{
    const LinkDef *d = find(linker, module, module_len, name, name_len);
    if (!d)
        return false;
    *out = d->ext;
    return true;
}

/* Appends a printable form of a name (NUL and control bytes as '?') to a message. */
static void
printable(char *buf, size_t size, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < size; i++)
        buf[n++] = ((unsigned char)s[i] >= 0x20 && s[i] != 0x7F) ? s[i] : '?';
    buf[n] = '\0';
}

SkuaInstance *
skua_linker_instantiate(SkuaLinker *linker, SkuaModule *module, SkuaError *err)
{
    size_t n = skua_module_import_count(module);
    SkuaExtern *imports = rt_calloc(n, sizeof *imports);
    if (!imports) {
        fail(err, SKUA_ERROR_RESOURCE, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        SkuaImportDesc d = skua_module_import(module, i);
        if (!skua_linker_get(linker, d.module, d.module_len, d.name, d.name_len, &imports[i])) {
            char mod[128], name[128], msg[300];
            printable(mod, sizeof mod, d.module, d.module_len);
            printable(name, sizeof name, d.name, d.name_len);
            snprintf(msg, sizeof msg, "unknown import: \"%s\" \"%s\"", mod, name);
            free(imports);
            fail(err, SKUA_ERROR_LINK, msg);
            return NULL;
        }
    }
    SkuaInstance *inst = skua_instance_new(linker->store, module, imports, n, err);
    free(imports);
    return inst;
}
