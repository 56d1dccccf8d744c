/*
 * The script model: turns wast2json's JSON ({"source_filename": ..., "commands": [...]})
 * into an array of WastCommand with typed fields and parsed values, so that the runner never
 * looks at JSON. A command with missing or ill-typed fields is kept, with `error` set, and
 * fails on its own; only a document without a "commands" array is rejected as a whole.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec-tests/wast.h"

static const char *const cmd_kind_names[WAST_CMD_COUNT] = {
    [WAST_CMD_NONE] = "none",
#define WAST_CMD_NAME(name, text) [WAST_CMD_##name] = text,
    WAST_CMD_KINDS(WAST_CMD_NAME)
#undef WAST_CMD_NAME
};

const char *
wast_cmd_kind_name(uint8_t kind)
{
    return kind < WAST_CMD_COUNT ? cmd_kind_names[kind] : "?";
}

bool
wast_read_file(const char *path, uint8_t **out_data, size_t *out_size, SkDiag *diag)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sk_diag_set(diag, SK_DIAG_IO, 0, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap + 1);
    while (buf) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        uint8_t *nbuf = cap <= SIZE_MAX / 4 ? realloc(buf, cap * 2 + 1) : NULL;
        if (!nbuf)
            free(buf);
        buf = nbuf;
        cap *= 2;
    }
    if (!buf) {
        fclose(f);
        return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "%s: out of memory", path);
    }
    if (ferror(f)) {
        int err = errno;
        free(buf);
        fclose(f);
        return sk_diag_set(diag, SK_DIAG_IO, 0, "%s: %s", path, strerror(err));
    }
    fclose(f);
    buf[len] = '\0';
    *out_data = buf;
    *out_size = len;
    return true;
}

/* Sets the command's error (formatted into the arena) and returns false. */
static bool
cmd_error(SkArena *a, WastCommand *c, const char *fmt, ...) SK_PRINTF(3, 4);

static bool
cmd_error(SkArena *a, WastCommand *c, const char *fmt, ...)
{
    char buf[WAST_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    size_t len = strlen(buf);
    char *s = sk_arena_alloc_aligned(a, len + 1, 1);
    if (s)
        memcpy(s, buf, len + 1);
    c->error = s ? s : "out of memory";
    return false;
}

/* A string member that must be present. */
static bool
need_str(SkArena *a, WastCommand *c, const WastJson *obj, const char *key, const char **out)
{
    *out = wast_json_str(wast_json_get(obj, key));
    if (!*out)
        return cmd_error(a, c, "missing string \"%s\"", key);
    return true;
}

/* Parses an array of value objects into the arena. */
static bool
parse_values(SkArena *a, WastCommand *c, const WastJson *arr, bool expected, const char *what,
             WastValue **out, uint32_t *out_n)
{
    if (!arr || arr->kind != WAST_JSON_ARRAY)
        return cmd_error(a, c, "missing array \"%s\"", what);
    *out_n = arr->len;
    *out = NULL;
    if (!arr->len)
        return true;
    *out = sk_arena_calloc(a, arr->len, sizeof(WastValue));
    if (!*out)
        return cmd_error(a, c, "out of memory");
    for (uint32_t i = 0; i < arr->len; i++) {
        char err[WAST_MSG_SIZE];
        if (!wast_value_parse(&arr->u.items[i], expected, &(*out)[i], err, sizeof(err)))
            return cmd_error(a, c, "%s %u: %s", what, i, err);
    }
    return true;
}

/* Parses the "action" member of a command. */
static bool
parse_action(SkArena *a, WastCommand *c, const WastJson *obj)
{
    const WastJson *act = wast_json_get(obj, "action");
    const char *type = wast_json_str(wast_json_get(act, "type"));
    if (!act || act->kind != WAST_JSON_OBJECT)
        return cmd_error(a, c, "missing object \"action\"");
    c->has_action = true;
    WastAction *x = &c->action;
    if (type && !strcmp(type, "invoke"))
        x->kind = WAST_ACTION_INVOKE;
    else if (type && !strcmp(type, "get"))
        x->kind = WAST_ACTION_GET;
    else
        return cmd_error(a, c, "unknown action type \"%s\"", type ? type : "(none)");
    x->module = wast_json_str(wast_json_get(act, "module"));
    const WastJson *field = wast_json_get(act, "field");
    if (!field || field->kind != WAST_JSON_STRING)
        return cmd_error(a, c, "action without a \"field\" string");
    x->field = field->u.str;
    x->field_len = field->len;
    if (x->kind == WAST_ACTION_INVOKE)
        return parse_values(a, c, wast_json_get(act, "args"), false, "argument", &x->args,
                            &x->nargs);
    return true;
}

/* Reads the module file name and its format (module_type "binary" or "text"). */
static bool
parse_module_file(SkArena *a, WastCommand *c, const WastJson *obj)
{
    if (!need_str(a, c, obj, "filename", &c->filename))
        return false;
    const char *mt = wast_json_str(wast_json_get(obj, "module_type"));
    if (mt && strcmp(mt, "binary") != 0 && strcmp(mt, "text") != 0)
        return cmd_error(a, c, "unknown module_type \"%s\"", mt);
    size_t len = strlen(c->filename);
    c->text_module = (mt && !strcmp(mt, "text")) ||
                     (!mt && len >= 4 && !strcmp(c->filename + len - 4, ".wat"));
    return true;
}

/* Fills `c` from JSON object `obj`; on a problem sets c->error (the command then fails). */
static void
parse_command(SkArena *a, const WastJson *obj, WastCommand *c)
{
    c->kind = WAST_CMD_OTHER;
    c->type_name = wast_json_str(wast_json_get(obj, "type"));
    if (obj->kind != WAST_JSON_OBJECT) {
        c->type_name = "?";
        cmd_error(a, c, "command is not a JSON object");
        return;
    }
    if (!c->type_name) {
        c->type_name = "?";
        cmd_error(a, c, "command without a \"type\" string");
        return;
    }
    for (uint8_t k = 1; k < WAST_CMD_OTHER; k++)
        if (!strcmp(c->type_name, cmd_kind_names[k]))
            c->kind = k;
    if (!wast_json_u32(wast_json_get(obj, "line"), &c->line)) {
        cmd_error(a, c, "command without a \"line\" number");
        return;
    }
    c->name = wast_json_str(wast_json_get(obj, "name"));
    switch (c->kind) {
    case WAST_CMD_MODULE:
        parse_module_file(a, c, obj);
        break;
    case WAST_CMD_REGISTER:
        if (need_str(a, c, obj, "as", &c->as))
            c->as_len = wast_json_get(obj, "as")->len;
        break;
    case WAST_CMD_ACTION:
    case WAST_CMD_ASSERT_EXCEPTION:
        parse_action(a, c, obj);
        break;
    case WAST_CMD_ASSERT_RETURN:
        if (parse_action(a, c, obj))
            parse_values(a, c, wast_json_get(obj, "expected"), true, "expected result",
                         &c->expected, &c->nexpected);
        break;
    case WAST_CMD_ASSERT_TRAP:
    case WAST_CMD_ASSERT_EXHAUSTION:
        if (parse_action(a, c, obj))
            need_str(a, c, obj, "text", &c->text);
        break;
    case WAST_CMD_ASSERT_INVALID:
    case WAST_CMD_ASSERT_MALFORMED:
    case WAST_CMD_ASSERT_UNLINKABLE:
    case WAST_CMD_ASSERT_UNINSTANTIABLE:
        if (parse_module_file(a, c, obj))
            need_str(a, c, obj, "text", &c->text);
        break;
    default:
        break;  // OTHER: kept with its type name, never run
    }
}

bool
wast_script_parse(WastScript *s, const char *text, size_t size, const char *dir, SkDiag *diag)
{
    memset(s, 0, sizeof(*s));
    sk_arena_init(&s->arena, NULL);
    size_t dlen = strlen(dir);
    char *d = sk_arena_alloc_aligned(&s->arena, dlen + 1, 1);
    if (!d)
        return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
    memcpy(d, dir, dlen + 1);
    s->dir = d;
    WastJson root;
    if (!wast_json_parse(text, size, &s->arena, &root, diag))
        return false;
    const WastJson *cmds = wast_json_get(&root, "commands");
    if (!cmds || cmds->kind != WAST_JSON_ARRAY)
        return sk_diag_set(diag, SK_DIAG_MALFORMED, root.offset,
                           "not a wast2json script: no \"commands\" array");
    s->source_filename = wast_json_str(wast_json_get(&root, "source_filename"));
    s->ncmds = cmds->len;
    if (cmds->len) {
        s->cmds = sk_arena_calloc(&s->arena, cmds->len, sizeof(WastCommand));
        if (!s->cmds)
            return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
    }
    for (uint32_t i = 0; i < cmds->len; i++)
        parse_command(&s->arena, &cmds->u.items[i], &s->cmds[i]);
    return true;
}

bool
wast_script_load(WastScript *s, const char *path, SkDiag *diag)
{
    uint8_t *data;
    size_t size;
    memset(s, 0, sizeof(*s));
    if (!wast_read_file(path, &data, &size, diag))
        return false;
    /* Module files sit beside the JSON file. */
    const char *base = wast_basename(path);
    size_t dlen = (size_t)(base - path);
    char dir[WAST_PATH_SIZE];
    if (dlen == 0) {
        strcpy(dir, ".");
    } else if (dlen < sizeof(dir)) {
        memcpy(dir, path, dlen - 1 ? dlen - 1 : 1);  // keep "/" for a file in the root
        dir[dlen - 1 ? dlen - 1 : 1] = '\0';
    } else {
        free(data);
        return sk_diag_set(diag, SK_DIAG_IO, 0, "%s: path too long", path);
    }
    bool ok = wast_script_parse(s, (const char *)data, size, dir, diag);
    free(data);
    return ok;
}

void
wast_script_free(WastScript *s)
{
    sk_arena_free(&s->arena);
    memset(s, 0, sizeof(*s));
}
