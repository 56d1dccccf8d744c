/*
 * The runner: decides every command of a script, in order, against a WastEngine, and
 * applies the expected-failures list. It keeps the state a script builds up (the current
 * module's instance, instances by "$name") so that execution plugs in by giving the engine
 * its instantiate/invoke/get hooks; until then the commands that need them are counted as
 * "not run yet", never as passed.
 *
 * Decisions (the spec interpreter's rules): a module must load; assert_invalid and
 * assert_malformed modules must be rejected with a message that contains the expected text;
 * assert_unlinkable / assert_uninstantiable must fail at instantiation in that way (without
 * instantiation they must at least validate); assert_return compares results with
 * wast_value_matches; assert_trap / assert_exhaustion need a trap whose message contains the
 * text. Text-format modules in assert_malformed are skipped: they test the text parser.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/vec.h"
#include "spec-tests/wast.h"

typedef struct NamedInstance {
    const char *name;    // "$name" from the script
    WastInstance *inst;  // NULL if that module failed or was only validated
} NamedInstance;

typedef struct Runner {
    const WastScript *script;
    const WastRunOptions *opts;
    const WastEngine *engine;
    WastRun *run;
    WastInstance *current;           // the last module command's instance, or NULL
    SK_VEC(NamedInstance) named;     // heap; later definitions of a name shadow earlier ones
} Runner;

static const char *const outcome_names[WAST_OUT_COUNT] = {
    [WAST_OUT_NONE] = "none",       [WAST_OUT_PASS] = "passed",
    [WAST_OUT_FAIL] = "failed",     [WAST_OUT_XFAIL] = "expected failure",
    [WAST_OUT_SKIP] = "skipped",    [WAST_OUT_NOT_RUN] = "not run yet",
};

const char *
wast_outcome_name(uint8_t outcome)
{
    return outcome < WAST_OUT_COUNT ? outcome_names[outcome] : "?";
}

/* Formats a message into the run's arena. */
static const char *
fmt_msg(WastRun *run, const char *fmt, va_list ap)
{
    char buf[2 * WAST_MSG_SIZE];
    vsnprintf(buf, sizeof(buf), fmt, ap);
    size_t len = strlen(buf);
    char *s = sk_arena_alloc_aligned(&run->arena, len + 1, 1);
    if (!s)
        return "(out of memory formatting the message)";
    memcpy(s, buf, len + 1);
    return s;
}

/* Records the outcome of command `i`; `fmt` may be NULL (no message). Returns false, so a
 * check can end with `return decide(...)`. */
static bool
decide(Runner *r, uint32_t i, uint8_t outcome, const char *fmt, ...) SK_PRINTF(4, 5);

static bool
decide(Runner *r, uint32_t i, uint8_t outcome, const char *fmt, ...)
{
    WastResult *res = &r->run->results[i];
    res->outcome = outcome;
    res->message = NULL;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        res->message = fmt_msg(r->run, fmt, ap);
        va_end(ap);
    }
    return false;
}

static const char *
status_name(WastStatus st)
{
    switch (st) {
    case WAST_STATUS_OK: return "ok";
    case WAST_STATUS_REJECTED: return "rejected";
    case WAST_STATUS_UNLINKABLE: return "unlinkable";
    case WAST_STATUS_TRAP: return "trap";
    case WAST_STATUS_ERROR: return "error";
    }
    return "?";
}

/* Reads the module file of command `i`; on failure decides FAIL and returns false. */
static bool
read_module(Runner *r, uint32_t i, uint8_t **out_bytes, size_t *out_size)
{
    const WastCommand *c = &r->script->cmds[i];
    char path[WAST_PATH_SIZE];
    int n = c->filename[0] == '/'
                ? snprintf(path, sizeof(path), "%s", c->filename)
                : snprintf(path, sizeof(path), "%s/%s", r->script->dir, c->filename);
    if (n < 0 || (size_t)n >= sizeof(path))
        return decide(r, i, WAST_OUT_FAIL, "module path too long: %s", c->filename);
    SkDiag diag = {0};
    if (!wast_read_file(path, out_bytes, out_size, &diag))
        return decide(r, i, WAST_OUT_FAIL, "cannot read the module: %s", diag.message);
    return true;
}

/* Remembers `inst` under the command's name, if it has one. */
static void
name_instance(Runner *r, uint32_t i, WastInstance *inst)
{
    const WastCommand *c = &r->script->cmds[i];
    if (!c->name)
        return;
    NamedInstance ni = {c->name, inst};
    if (!SK_VEC_PUSH_HEAP(&r->named, &sk_alloc_default, ni))
        decide(r, i, WAST_OUT_FAIL, "out of memory");
}

/* The instance an action or register command refers to; on failure decides FAIL. */
static bool
find_instance(Runner *r, uint32_t i, const char *name, WastInstance **out)
{
    if (!name) {
        if (!r->current)
            return decide(r, i, WAST_OUT_FAIL, "no module instance (no module, or the last "
                                               "module command failed)");
        *out = r->current;
        return true;
    }
    for (uint32_t k = r->named.len; k-- > 0;) {
        if (strcmp(r->named.data[k].name, name) != 0)
            continue;
        if (!r->named.data[k].inst)
            return decide(r, i, WAST_OUT_FAIL, "module %s failed to instantiate", name);
        *out = r->named.data[k].inst;
        return true;
    }
    return decide(r, i, WAST_OUT_FAIL, "unknown module %s", name);
}

/* `module`: it must load (validate, or instantiate when the engine can). */
static void
run_module(Runner *r, uint32_t i)
{
    const WastCommand *c = &r->script->cmds[i];
    const WastEngine *e = r->engine;
    uint8_t *bytes;
    size_t size;
    char msg[WAST_MSG_SIZE] = "";
    r->current = NULL;
    if (c->text_module) {
        decide(r, i, WAST_OUT_FAIL, "text-format module %s: skua loads binary modules only",
               c->filename);
    } else if (read_module(r, i, &bytes, &size)) {
        if (e->instantiate) {
            WastInstance *inst = NULL;
            WastStatus st = e->instantiate(e->ctx, bytes, size, &inst, msg);
            if (st == WAST_STATUS_OK) {
                r->current = inst;
                decide(r, i, WAST_OUT_PASS, NULL);
            } else {
                decide(r, i, WAST_OUT_FAIL, "module failed to load (%s): %s", status_name(st),
                       msg);
            }
        } else if (e->validate(e->ctx, bytes, size, msg) == WAST_STATUS_OK) {
            decide(r, i, WAST_OUT_PASS, NULL);
        } else {
            decide(r, i, WAST_OUT_FAIL, "module rejected: %s", msg);
        }
        free(bytes);
    }
    name_instance(r, i, r->current);
}

/* `register`: makes an instance's exports importable. */
static void
run_register(Runner *r, uint32_t i)
{
    const WastCommand *c = &r->script->cmds[i];
    const WastEngine *e = r->engine;
    WastInstance *inst;
    char msg[WAST_MSG_SIZE] = "";
    if (!e->instantiate || !e->register_instance) {
        decide(r, i, WAST_OUT_NOT_RUN, "needs instantiation");
        return;
    }
    if (!find_instance(r, i, c->name, &inst))
        return;
    if (e->register_instance(e->ctx, inst, c->as, c->as_len, msg) == WAST_STATUS_OK)
        decide(r, i, WAST_OUT_PASS, NULL);
    else
        decide(r, i, WAST_OUT_FAIL, "cannot register as \"%s\": %s", c->as, msg);
}

/* Formats results[0..n) as "i32:1, f32:0x..." into buf. */
static void
format_values(const WastValue *vals, uint32_t n, char *buf, size_t size)
{
    size_t pos = 0;
    buf[0] = '\0';
    if (n == 0)
        snprintf(buf, size, "nothing");
    for (uint32_t k = 0; k < n && pos + 1 < size; k++) {
        if (k) {
            snprintf(buf + pos, size - pos, ", ");
            pos += strlen(buf + pos);
        }
        wast_value_format(&vals[k], buf + pos, size - pos);
        pos += strlen(buf + pos);
    }
}

/*
 * Does trap message `msg` match the script's expected `text`? It must contain the text, with
 * one allowance: the reference interpreter appends the element index to "uninitialized
 * element" (bulk.wast expects "uninitialized element 2"), which a trap raised by compiled
 * code does not know. So a text ending in " N" (decimal) also matches a message that contains
 * the text without it, unless the message gives a different index there.
 */
static bool
trap_text_matches(const char *msg, const char *text)
{
    if (strstr(msg, text))
        return true;
    size_t n = strlen(text), digits = 0;
    while (digits < n && text[n - 1 - digits] >= '0' && text[n - 1 - digits] <= '9')
        digits++;
    if (!digits || digits + 1 >= n || text[n - 1 - digits] != ' ')
        return false;
    size_t plen = n - 1 - digits;  // the text without " N"
    for (const char *p = msg; *p; p++) {
        if (strncmp(p, text, plen) != 0)
            continue;
        const char *after = p + plen;
        if (after[0] != ' ' || after[1] < '0' || after[1] > '9')
            return true;  // no index in the message
    }
    return false;
}

/* Commands with an action: action, assert_return, assert_trap, assert_exhaustion. */
static void
run_action(Runner *r, uint32_t i)
{
    const WastCommand *c = &r->script->cmds[i];
    const WastEngine *e = r->engine;
    const WastAction *a = &c->action;
    bool can = e->instantiate && (a->kind == WAST_ACTION_INVOKE ? e->invoke != NULL
                                                                : e->get != NULL);
    if (!can) {
        decide(r, i, WAST_OUT_NOT_RUN, "needs execution");
        return;
    }
    WastInstance *inst;
    if (!find_instance(r, i, a->module, &inst))
        return;
    WastValue results[WAST_MAX_RESULTS];
    uint32_t nresults = 0;
    char msg[WAST_MSG_SIZE] = "";
    WastStatus st;
    if (a->kind == WAST_ACTION_INVOKE) {
        st = e->invoke(e->ctx, inst, a->field, a->field_len, a->args, a->nargs, results,
                       &nresults, msg);
        if (st == WAST_STATUS_OK && nresults > WAST_MAX_RESULTS) {
            st = WAST_STATUS_ERROR;
            snprintf(msg, sizeof(msg), "more than %d results", WAST_MAX_RESULTS);
        }
    } else {
        st = e->get(e->ctx, inst, a->field, a->field_len, &results[0], msg);
        nresults = 1;
    }
    if (st == WAST_STATUS_ERROR) {
        decide(r, i, WAST_OUT_FAIL, "%s \"%s\" failed: %s",
               a->kind == WAST_ACTION_INVOKE ? "invoke" : "get", a->field, msg);
        return;
    }
    char got[WAST_MSG_SIZE], want[WAST_MSG_SIZE];
    format_values(results, st == WAST_STATUS_OK ? nresults : 0, got, sizeof(got));
    switch (c->kind) {
    case WAST_CMD_ASSERT_TRAP:
    case WAST_CMD_ASSERT_EXHAUSTION:
        if (st != WAST_STATUS_TRAP)
            decide(r, i, WAST_OUT_FAIL, "\"%s\" returned %s; expected a trap \"%s\"", a->field,
                   got, c->text);
        else if (!trap_text_matches(msg, c->text))
            decide(r, i, WAST_OUT_FAIL, "\"%s\" trapped with \"%s\"; expected \"%s\"", a->field,
                   msg, c->text);
        else
            decide(r, i, WAST_OUT_PASS, NULL);
        return;
    case WAST_CMD_ASSERT_RETURN:
        if (st != WAST_STATUS_OK) {
            format_values(c->expected, c->nexpected, want, sizeof(want));
            decide(r, i, WAST_OUT_FAIL, "\"%s\" trapped with \"%s\"; expected %s", a->field, msg,
                   want);
            return;
        }
        if (nresults != c->nexpected) {
            format_values(c->expected, c->nexpected, want, sizeof(want));
            decide(r, i, WAST_OUT_FAIL, "\"%s\" returned %u values (%s); expected %u (%s)",
                   a->field, nresults, got, c->nexpected, want);
            return;
        }
        for (uint32_t k = 0; k < nresults; k++) {
            if (!wast_value_matches(&c->expected[k], &results[k])) {
                wast_value_format(&c->expected[k], want, sizeof(want));
                wast_value_format(&results[k], got, sizeof(got));
                decide(r, i, WAST_OUT_FAIL, "\"%s\" result %u: got %s, expected %s", a->field,
                       k, got, want);
                return;
            }
        }
        decide(r, i, WAST_OUT_PASS, NULL);
        return;
    default:  // action: anything but a trap passes
        if (st == WAST_STATUS_OK)
            decide(r, i, WAST_OUT_PASS, NULL);
        else
            decide(r, i, WAST_OUT_FAIL, "\"%s\" trapped: %s", a->field, msg);
        return;
    }
}

/* assert_invalid, assert_malformed: the module must be rejected with the expected text. */
static void
run_assert_rejected(Runner *r, uint32_t i)
{
    const WastCommand *c = &r->script->cmds[i];
    const WastEngine *e = r->engine;
    uint8_t *bytes;
    size_t size;
    char msg[WAST_MSG_SIZE] = "";
    if (c->text_module) {
        if (c->kind == WAST_CMD_ASSERT_MALFORMED)
            decide(r, i, WAST_OUT_SKIP, "text format: tests the text parser, not skua");
        else
            decide(r, i, WAST_OUT_FAIL, "text-format module %s: skua loads binary modules only",
                   c->filename);
        return;
    }
    if (!read_module(r, i, &bytes, &size))
        return;
    WastStatus st = e->validate(e->ctx, bytes, size, msg);
    free(bytes);
    if (st == WAST_STATUS_OK)
        decide(r, i, WAST_OUT_FAIL, "module accepted; expected it rejected with \"%s\"", c->text);
    else if (!strstr(msg, c->text))
        decide(r, i, WAST_OUT_FAIL, "wrong message: expected \"%s\", got \"%s\"", c->text, msg);
    else
        decide(r, i, WAST_OUT_PASS, NULL);
}

/* assert_unlinkable, assert_uninstantiable: the module must validate, then fail to
 * instantiate (UNLINKABLE or TRAP) with the expected text. */
static void
run_assert_instantiation(Runner *r, uint32_t i)
{
    const WastCommand *c = &r->script->cmds[i];
    const WastEngine *e = r->engine;
    uint8_t *bytes;
    size_t size;
    char msg[WAST_MSG_SIZE] = "";
    if (c->text_module) {
        decide(r, i, WAST_OUT_FAIL, "text-format module %s: skua loads binary modules only",
               c->filename);
        return;
    }
    if (!read_module(r, i, &bytes, &size))
        return;
    WastStatus want = c->kind == WAST_CMD_ASSERT_UNLINKABLE ? WAST_STATUS_UNLINKABLE
                                                            : WAST_STATUS_TRAP;
    if (!e->instantiate) {
        if (e->validate(e->ctx, bytes, size, msg) == WAST_STATUS_OK)
            decide(r, i, WAST_OUT_NOT_RUN, "needs instantiation (the module validates)");
        else
            decide(r, i, WAST_OUT_FAIL, "module rejected: %s", msg);
    } else {
        WastInstance *inst = NULL;
        WastStatus st = e->instantiate(e->ctx, bytes, size, &inst, msg);
        if (st == WAST_STATUS_OK)
            decide(r, i, WAST_OUT_FAIL, "module instantiated; expected %s \"%s\"",
                   status_name(want), c->text);
        else if (st != want)
            decide(r, i, WAST_OUT_FAIL, "%s \"%s\"; expected %s \"%s\"", status_name(st), msg,
                   status_name(want), c->text);
        else if (!strstr(msg, c->text))
            decide(r, i, WAST_OUT_FAIL, "wrong message: expected \"%s\", got \"%s\"", c->text,
                   msg);
        else
            decide(r, i, WAST_OUT_PASS, NULL);
    }
    free(bytes);
}

/* Decides command `i` (before the expected-failures list is applied). */
static void
run_command(Runner *r, uint32_t i)
{
    const WastCommand *c = &r->script->cmds[i];
    if (c->error) {
        decide(r, i, WAST_OUT_FAIL, "malformed command in the script: %s", c->error);
        if (c->kind == WAST_CMD_MODULE)
            r->current = NULL;
        return;
    }
    switch (c->kind) {
    case WAST_CMD_MODULE:
        run_module(r, i);
        break;
    case WAST_CMD_REGISTER:
        run_register(r, i);
        break;
    case WAST_CMD_ACTION:
    case WAST_CMD_ASSERT_RETURN:
    case WAST_CMD_ASSERT_TRAP:
    case WAST_CMD_ASSERT_EXHAUSTION:
        run_action(r, i);
        break;
    case WAST_CMD_ASSERT_INVALID:
    case WAST_CMD_ASSERT_MALFORMED:
        run_assert_rejected(r, i);
        break;
    case WAST_CMD_ASSERT_UNLINKABLE:
    case WAST_CMD_ASSERT_UNINSTANTIABLE:
        run_assert_instantiation(r, i);
        break;
    case WAST_CMD_ASSERT_EXCEPTION:
        decide(r, i, WAST_OUT_NOT_RUN, "needs the exception-handling proposal");
        break;
    default:
        decide(r, i, WAST_OUT_NOT_RUN, "unknown command type \"%s\"", c->type_name);
        break;
    }
}

/* Applies the list's entry for command `i`: a listed failure is expected, a listed pass of
 * a single command is a failure (the entry must go). */
static void
apply_expect(Runner *r, uint32_t i)
{
    const WastCommand *c = &r->script->cmds[i];
    WastResult *res = &r->run->results[i];
    const WastExpectEntry *e = wast_expect_find(r->opts->expect, r->opts->file, c->line);
    if (!e)
        return;
    res->reason = e->reason;
    if (res->outcome == WAST_OUT_FAIL) {
        res->outcome = WAST_OUT_XFAIL;
    } else if (res->outcome == WAST_OUT_PASS && e->line) {
        decide(r, i, WAST_OUT_FAIL,
               "passes, but %s:%u lists it as an expected failure: remove that line",
               r->opts->expect->path, e->list_line);
    }
}

static void
add_problem(Runner *r, uint32_t list_line, const char *fmt, ...) SK_PRINTF(3, 4);

static void
add_problem(Runner *r, uint32_t list_line, const char *fmt, ...)
{
    WastRun *run = r->run;
    va_list ap;
    va_start(ap, fmt);
    const char *msg = fmt_msg(run, fmt, ap);
    va_end(ap);
    WastListProblem *np = sk_arena_alloc(&run->arena, (run->nproblems + 1) * sizeof(*np));
    if (!np)
        return;
    if (run->nproblems)
        memcpy(np, run->problems, run->nproblems * sizeof(*np));
    np[run->nproblems].list_line = list_line;
    np[run->nproblems].message = msg;
    run->problems = np;
    run->nproblems++;
}

/*
 * Checks the list's entries for this file against the run: a line entry must name a
 * command of the file; a whole-file entry must cover at least one failure.
 */
static void
check_list(Runner *r)
{
    const WastExpectList *l = r->opts->expect;
    for (uint32_t k = 0; l && k < l->nentries; k++) {
        const WastExpectEntry *e = &l->entries[k];
        if (strcmp(e->file, r->opts->file) != 0)
            continue;
        bool found = false;
        for (uint32_t i = 0; i < r->script->ncmds && !found; i++) {
            const WastCommand *c = &r->script->cmds[i];
            uint8_t out = r->run->results[i].outcome;
            if (e->line)
                found = c->line == e->line;
            else
                found = out == WAST_OUT_XFAIL &&
                        wast_expect_find(l, r->opts->file, c->line) == e;
        }
        if (found)
            continue;
        if (e->line)
            add_problem(r, e->list_line, "lists %s:%u, which is no command of the file",
                        e->file, e->line);
        else
            add_problem(r, e->list_line,
                        "lists all of %s as failing, but no command fails: remove the line",
                        e->file);
    }
}

void
wast_run(const WastScript *s, const WastRunOptions *opts, WastRun *run)
{
    memset(run, 0, sizeof(*run));
    sk_arena_init(&run->arena, NULL);
    Runner r = {.script = s, .opts = opts, .engine = opts->engine, .run = run};
    SK_ASSERT(r.engine && r.engine->validate);
    if (s->ncmds) {
        run->results = sk_arena_calloc(&run->arena, s->ncmds, sizeof(WastResult));
        if (!run->results) {
            add_problem(&r, 0, "out of memory");
            run->totals[WAST_OUT_FAIL]++;
            return;
        }
    }
    run->nresults = s->ncmds;
    for (uint32_t i = 0; i < s->ncmds; i++) {
        run_command(&r, i);
        if (opts->expect && opts->file)
            apply_expect(&r, i);
        const WastCommand *c = &s->cmds[i];
        uint8_t out = run->results[i].outcome;
        SK_ASSERT(out > WAST_OUT_NONE && out < WAST_OUT_COUNT);
        run->counts[c->kind][out]++;
        run->totals[out]++;
    }
    if (opts->expect && opts->file)
        check_list(&r);
    run->totals[WAST_OUT_FAIL] += run->nproblems;
    sk_vec_free_heap(&r.named, &sk_alloc_default);
}

void
wast_run_free(WastRun *run)
{
    sk_arena_free(&run->arena);
    memset(run, 0, sizeof(*run));
}
