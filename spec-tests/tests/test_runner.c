/*
 * Unit tests of the runner (spec-tests/runner.c) with fake engines, so that the decisions
 * and the counting are tested apart from the frontend: the validation-only engine of today
 * (execution commands are "not run yet", never passed), an engine with execution hooks (the
 * shape issue 5 plugs in), the expected-failures list, and script problems (malformed
 * commands, missing module files). Module "files" are short texts the fake engines read.
 */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "spec-tests/wast.h"

/* ---- fake engines ------------------------------------------------------------------------ */

struct WastInstance {
    int id;
};

typedef struct Fake {
    struct WastInstance insts[16];
    int ninsts;
    char registered[64];
} Fake;

/* Module bytes: "ok", "bad:<message>", "unlink:<message>" or "trap:<message>". */
static bool
starts(const uint8_t *bytes, size_t size, const char *prefix)
{
    size_t n = strlen(prefix);
    return size >= n && memcmp(bytes, prefix, n) == 0;
}

static void
copy_msg(char *msg, const uint8_t *bytes, size_t size, size_t skip)
{
    snprintf(msg, WAST_MSG_SIZE, "%.*s", (int)(size - skip), (const char *)bytes + skip);
}

static WastStatus
fake_validate(void *ctx, const uint8_t *bytes, size_t size, char *msg)
{
    (void)ctx;
    if (starts(bytes, size, "bad:")) {
        copy_msg(msg, bytes, size, 4);
        return WAST_STATUS_REJECTED;
    }
    return WAST_STATUS_OK;
}

static WastStatus
fake_instantiate(void *ctx, const uint8_t *bytes, size_t size, WastInstance **out_inst,
                 char *msg)
{
    Fake *f = ctx;
    if (starts(bytes, size, "bad:")) {
        copy_msg(msg, bytes, size, 4);
        return WAST_STATUS_REJECTED;
    }
    if (starts(bytes, size, "unlink:")) {
        copy_msg(msg, bytes, size, 7);
        return WAST_STATUS_UNLINKABLE;
    }
    if (starts(bytes, size, "trap:")) {
        copy_msg(msg, bytes, size, 5);
        return WAST_STATUS_TRAP;
    }
    if (f->ninsts == 16)
        return WAST_STATUS_ERROR;
    f->insts[f->ninsts].id = f->ninsts;
    *out_inst = &f->insts[f->ninsts++];
    return WAST_STATUS_OK;
}

static WastStatus
fake_register(void *ctx, WastInstance *inst, const char *as, uint32_t as_len, char *msg)
{
    Fake *f = ctx;
    (void)msg;
    snprintf(f->registered, sizeof(f->registered), "%.*s=%d", (int)as_len, as, inst->id);
    return WAST_STATUS_OK;
}

/* Exports of every fake instance: add(i32, i32) -> i32, trap, deep, nan -> f32, none,
 * id -> i32 (the instance's id), uninit and uninit7 (traps without and with an index). */
static WastStatus
fake_invoke(void *ctx, WastInstance *inst, const char *field, uint32_t field_len,
            const WastValue *args, uint32_t nargs, WastValue *results, uint32_t *out_nresults,
            char *msg)
{
    (void)ctx;
    (void)field_len;
    *out_nresults = 0;
    if (!strcmp(field, "add") && nargs == 2) {
        results[0] = (WastValue){.type = WAST_VAL_I32, .u.i32 = args[0].u.i32 + args[1].u.i32};
        *out_nresults = 1;
        return WAST_STATUS_OK;
    }
    if (!strcmp(field, "id")) {
        results[0] = (WastValue){.type = WAST_VAL_I32, .u.i32 = (uint32_t)inst->id};
        *out_nresults = 1;
        return WAST_STATUS_OK;
    }
    if (!strcmp(field, "nan")) {
        results[0] = (WastValue){.type = WAST_VAL_F32, .u.f32 = 0xffc00000u};
        *out_nresults = 1;
        return WAST_STATUS_OK;
    }
    if (!strcmp(field, "none"))
        return WAST_STATUS_OK;
    if (!strcmp(field, "trap")) {
        snprintf(msg, WAST_MSG_SIZE, "integer divide by zero");
        return WAST_STATUS_TRAP;
    }
    if (!strcmp(field, "deep")) {
        snprintf(msg, WAST_MSG_SIZE, "call stack exhausted");
        return WAST_STATUS_TRAP;
    }
    if (!strcmp(field, "uninit")) {
        snprintf(msg, WAST_MSG_SIZE, "uninitialized element");
        return WAST_STATUS_TRAP;
    }
    if (!strcmp(field, "uninit7")) {
        snprintf(msg, WAST_MSG_SIZE, "uninitialized element 7");
        return WAST_STATUS_TRAP;
    }
    snprintf(msg, WAST_MSG_SIZE, "unknown export \"%s\"", field);
    return WAST_STATUS_ERROR;
}

static WastStatus
fake_get(void *ctx, WastInstance *inst, const char *field, uint32_t field_len, WastValue *out,
         char *msg)
{
    (void)ctx;
    (void)inst;
    (void)field_len;
    if (!strcmp(field, "g")) {
        *out = (WastValue){.type = WAST_VAL_I64, .u.i64 = 7};
        return WAST_STATUS_OK;
    }
    snprintf(msg, WAST_MSG_SIZE, "unknown global \"%s\"", field);
    return WAST_STATUS_ERROR;
}

/* ---- helpers ----------------------------------------------------------------------------- */

static char tmpdir[256];

static void
write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void
remove_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    unlink(path);
}

/* Parses `json` as a script whose modules live in tmpdir. */
static void
parse_script(WastScript *s, const char *json)
{
    SkDiag d = {0};
    bool ok = wast_script_parse(s, json, strlen(json), tmpdir, &d);
    if (!ok)
        fprintf(stderr, "script rejected: %s\n", d.message);
    CHECK(ok);
}

/* The result of the command on `line` (the first one there). */
static const WastResult *
result_at(const WastScript *s, const WastRun *run, uint32_t line)
{
    for (uint32_t i = 0; i < s->ncmds; i++)
        if (s->cmds[i].line == line)
            return &run->results[i];
    fprintf(stderr, "no command at line %u\n", line);
    CHECK(false);
    static const WastResult none = {0};
    return &none;
}

#define CHECK_OUTCOME(s, run, line, want)                                                    \
    do {                                                                                     \
        const WastResult *res_ = result_at((s), (run), (line));                              \
        if (res_->outcome != (want))                                                         \
            fprintf(stderr, "line %u: %s (%s)\n", (unsigned)(line),                          \
                    wast_outcome_name(res_->outcome), res_->message ? res_->message : "");   \
        CHECK_EQ(res_->outcome, (want));                                                     \
    } while (0)

/* ---- tests ------------------------------------------------------------------------------- */

/* The commands of both engine tests; the modules are written by setup_modules(). */
static const char *const script_json =
    "{\"source_filename\": \"t.wast\", \"commands\": [\n"
    " {\"type\": \"module\", \"line\": 1, \"filename\": \"ok.wasm\"},\n"
    " {\"type\": \"module\", \"line\": 2, \"name\": \"$M\", \"filename\": \"ok.wasm\"},\n"
    " {\"type\": \"assert_return\", \"line\": 3, \"action\": {\"type\": \"invoke\", \"field\": "
    "\"add\", \"args\": [{\"type\": \"i32\", \"value\": \"1\"}, {\"type\": \"i32\", \"value\": "
    "\"2\"}]}, \"expected\": [{\"type\": \"i32\", \"value\": \"3\"}]},\n"
    " {\"type\": \"assert_return\", \"line\": 4, \"action\": {\"type\": \"invoke\", \"field\": "
    "\"add\", \"args\": [{\"type\": \"i32\", \"value\": \"1\"}, {\"type\": \"i32\", \"value\": "
    "\"2\"}]}, \"expected\": [{\"type\": \"i32\", \"value\": \"4\"}]},\n"
    " {\"type\": \"assert_return\", \"line\": 5, \"action\": {\"type\": \"invoke\", \"field\": "
    "\"nan\", \"args\": []}, \"expected\": [{\"type\": \"f32\", \"value\": \"nan:canonical\"}]},\n"
    " {\"type\": \"assert_trap\", \"line\": 6, \"action\": {\"type\": \"invoke\", \"field\": "
    "\"trap\", \"args\": []}, \"text\": \"integer divide by zero\", \"expected\": []},\n"
    " {\"type\": \"assert_trap\", \"line\": 7, \"action\": {\"type\": \"invoke\", \"field\": "
    "\"trap\", \"args\": []}, \"text\": \"integer overflow\", \"expected\": []},\n"
    " {\"type\": \"assert_exhaustion\", \"line\": 8, \"action\": {\"type\": \"invoke\", "
    "\"field\": \"deep\", \"args\": []}, \"text\": \"call stack exhausted\", \"expected\": []},\n"
    " {\"type\": \"action\", \"line\": 9, \"action\": {\"type\": \"invoke\", \"field\": "
    "\"none\", \"args\": []}, \"expected\": []},\n"
    " {\"type\": \"assert_return\", \"line\": 10, \"action\": {\"type\": \"get\", \"module\": "
    "\"$M\", \"field\": \"g\"}, \"expected\": [{\"type\": \"i64\", \"value\": \"7\"}]},\n"
    " {\"type\": \"register\", \"line\": 11, \"name\": \"$M\", \"as\": \"reg\"},\n"
    " {\"type\": \"assert_invalid\", \"line\": 12, \"filename\": \"tm.wasm\", \"text\": \"type "
    "mismatch\", \"module_type\": \"binary\"},\n"
    " {\"type\": \"assert_invalid\", \"line\": 13, \"filename\": \"tm.wasm\", \"text\": \"unknown "
    "local\", \"module_type\": \"binary\"},\n"
    " {\"type\": \"assert_invalid\", \"line\": 14, \"filename\": \"ok.wasm\", \"text\": \"type "
    "mismatch\", \"module_type\": \"binary\"},\n"
    " {\"type\": \"assert_malformed\", \"line\": 15, \"filename\": \"t.1.wat\", \"text\": \"unknown "
    "operator\", \"module_type\": \"text\"},\n"
    " {\"type\": \"assert_malformed\", \"line\": 16, \"filename\": \"end.wasm\", \"text\": "
    "\"unexpected end\", \"module_type\": \"binary\"},\n"
    " {\"type\": \"assert_unlinkable\", \"line\": 17, \"filename\": \"unlink.wasm\", \"text\": "
    "\"unknown import\", \"module_type\": \"binary\"},\n"
    " {\"type\": \"assert_uninstantiable\", \"line\": 18, \"filename\": \"trap.wasm\", \"text\": "
    "\"out of bounds memory access\", \"module_type\": \"binary\"},\n"
    " {\"type\": \"assert_unlinkable\", \"line\": 19, \"filename\": \"tm.wasm\", \"text\": "
    "\"unknown import\", \"module_type\": \"binary\"},\n"
    " {\"type\": \"assert_future\", \"line\": 20},\n"
    " {\"type\": \"module\", \"line\": 21, \"filename\": \"missing.wasm\"},\n"
    " {\"type\": \"assert_return\", \"line\": 22, \"action\": {\"type\": \"invoke\", \"field\": "
    "\"id\", \"args\": []}, \"expected\": [{\"type\": \"i32\", \"value\": \"0\"}]},\n"
    " {\"type\": \"assert_return\", \"line\": 23, \"action\": {\"type\": \"invoke\", \"module\": "
    "\"$M\", \"field\": \"id\", \"args\": []}, \"expected\": [{\"type\": \"i32\", \"value\": "
    "\"1\"}]},\n"
    " {\"type\": \"module\", \"line\": 24},\n"
    " {\"type\": \"assert_return\", \"line\": 25, \"action\": {\"type\": \"invoke\", \"module\": "
    "\"$nope\", \"field\": \"id\", \"args\": []}, \"expected\": []}\n"
    "]}\n";

static void
setup_modules(void)
{
    write_file("ok.wasm", "ok");
    write_file("tm.wasm", "bad:type mismatch: i32.add expected i32, found f64");
    write_file("end.wasm", "bad:unexpected end of section or function");
    write_file("unlink.wasm", "unlink:unknown import \"spectest\" \"nothing\"");
    write_file("trap.wasm", "trap:out of bounds memory access");
}

/* Today's engine: validation only. */
static void
test_validation_only(void)
{
    WastScript s;
    WastRun run;
    WastEngine engine = {.validate = fake_validate};
    WastRunOptions opts = {.engine = &engine, .file = "t.wast"};
    parse_script(&s, script_json);
    CHECK_EQ(s.ncmds, 25);
    CHECK_STR(s.source_filename, "t.wast");
    wast_run(&s, &opts, &run);
    CHECK_EQ(run.nresults, 25);

    CHECK_OUTCOME(&s, &run, 1, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 2, WAST_OUT_PASS);
    for (uint32_t line = 3; line <= 11; line++)
        CHECK_OUTCOME(&s, &run, line, WAST_OUT_NOT_RUN);  // never passed
    CHECK_OUTCOME(&s, &run, 12, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 13, WAST_OUT_FAIL);
    CHECK_CONTAINS(result_at(&s, &run, 13)->message,
                   "expected \"unknown local\", got \"type mismatch: i32.add");
    CHECK_OUTCOME(&s, &run, 14, WAST_OUT_FAIL);
    CHECK_CONTAINS(result_at(&s, &run, 14)->message, "module accepted");
    CHECK_OUTCOME(&s, &run, 15, WAST_OUT_SKIP);
    CHECK_OUTCOME(&s, &run, 16, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 17, WAST_OUT_NOT_RUN);  // validates; linking not run yet
    CHECK_OUTCOME(&s, &run, 18, WAST_OUT_NOT_RUN);
    CHECK_OUTCOME(&s, &run, 19, WAST_OUT_FAIL);     // must at least validate
    CHECK_CONTAINS(result_at(&s, &run, 19)->message, "module rejected: type mismatch");
    CHECK_OUTCOME(&s, &run, 20, WAST_OUT_NOT_RUN);
    CHECK_CONTAINS(result_at(&s, &run, 20)->message, "assert_future");
    CHECK_OUTCOME(&s, &run, 21, WAST_OUT_FAIL);
    CHECK_CONTAINS(result_at(&s, &run, 21)->message, "cannot read the module");
    CHECK_OUTCOME(&s, &run, 22, WAST_OUT_NOT_RUN);
    CHECK_OUTCOME(&s, &run, 24, WAST_OUT_FAIL);
    CHECK_CONTAINS(result_at(&s, &run, 24)->message, "missing string \"filename\"");

    CHECK_EQ(run.counts[WAST_CMD_MODULE][WAST_OUT_PASS], 2);
    CHECK_EQ(run.counts[WAST_CMD_MODULE][WAST_OUT_FAIL], 2);
    CHECK_EQ(run.counts[WAST_CMD_ASSERT_RETURN][WAST_OUT_NOT_RUN], 7);
    CHECK_EQ(run.counts[WAST_CMD_ASSERT_INVALID][WAST_OUT_PASS], 1);
    CHECK_EQ(run.counts[WAST_CMD_ASSERT_INVALID][WAST_OUT_FAIL], 2);
    CHECK_EQ(run.counts[WAST_CMD_ASSERT_MALFORMED][WAST_OUT_SKIP], 1);
    CHECK_EQ(run.counts[WAST_CMD_ASSERT_MALFORMED][WAST_OUT_PASS], 1);
    CHECK_EQ(run.counts[WAST_CMD_OTHER][WAST_OUT_NOT_RUN], 1);
    CHECK_EQ(run.totals[WAST_OUT_PASS], 4);
    CHECK_EQ(run.totals[WAST_OUT_FAIL], 5);
    CHECK_EQ(run.totals[WAST_OUT_SKIP], 1);
    CHECK_EQ(run.totals[WAST_OUT_NOT_RUN], 15);
    CHECK_EQ(run.totals[WAST_OUT_XFAIL], 0);
    uint32_t sum = 0;
    for (int o = 0; o < WAST_OUT_COUNT; o++)
        sum += run.totals[o];
    CHECK_EQ(sum, s.ncmds);
    wast_run_free(&run);
    wast_script_free(&s);
}

/* An engine with execution hooks, as the embedding API will provide. */
static void
test_execution(void)
{
    WastScript s;
    WastRun run;
    Fake fake = {0};
    WastEngine engine = {.ctx = &fake,
                         .validate = fake_validate,
                         .instantiate = fake_instantiate,
                         .register_instance = fake_register,
                         .invoke = fake_invoke,
                         .get = fake_get};
    WastRunOptions opts = {.engine = &engine, .file = "t.wast"};
    parse_script(&s, script_json);
    wast_run(&s, &opts, &run);

    CHECK_OUTCOME(&s, &run, 1, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 2, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 3, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 4, WAST_OUT_FAIL);
    CHECK_CONTAINS(result_at(&s, &run, 4)->message, "result 0: got i32:3, expected i32:4");
    CHECK_OUTCOME(&s, &run, 5, WAST_OUT_PASS);  // 0xffc00000 is a canonical NaN
    CHECK_OUTCOME(&s, &run, 6, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 7, WAST_OUT_FAIL);
    CHECK_CONTAINS(result_at(&s, &run, 7)->message,
                   "trapped with \"integer divide by zero\"; expected \"integer overflow\"");
    CHECK_OUTCOME(&s, &run, 8, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 9, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 10, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 11, WAST_OUT_PASS);
    CHECK_STR(fake.registered, "reg=1");  // $M is the second instance
    CHECK_OUTCOME(&s, &run, 17, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 18, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 19, WAST_OUT_FAIL);
    CHECK_CONTAINS(result_at(&s, &run, 19)->message, "rejected");
    /* After a failed module command there is no current instance; $M still works. */
    CHECK_OUTCOME(&s, &run, 22, WAST_OUT_FAIL);
    CHECK_CONTAINS(result_at(&s, &run, 22)->message, "no module instance");
    CHECK_OUTCOME(&s, &run, 23, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 25, WAST_OUT_FAIL);
    CHECK_CONTAINS(result_at(&s, &run, 25)->message, "unknown module $nope");
    CHECK_EQ(run.totals[WAST_OUT_NOT_RUN], 1);  // only the unknown command type
    wast_run_free(&run);
    wast_script_free(&s);
}

/* The expected-failures list: listed failures are expected, listed passes fail, and
 * entries that match nothing are reported. */
static void
test_expected_failures(void)
{
    const char *list_text = "t.wast:13  wrong message, frontend bug\n"
                            "t.wast:14  accepted, frontend bug\n"
                            "t.wast:12  passes now\n"
                            "t.wast:99  no such command\n"
                            "t.wast:3   not run yet: stays listed\n"
                            "other.wast:5  another file\n";
    WastExpectList list;
    SkDiag d = {0};
    CHECK(wast_expect_parse(&list, "xf.txt", list_text, strlen(list_text), &d));
    WastScript s;
    WastRun run;
    WastEngine engine = {.validate = fake_validate};
    WastRunOptions opts = {.engine = &engine, .expect = &list, .file = "t.wast"};
    parse_script(&s, script_json);
    wast_run(&s, &opts, &run);
    CHECK_OUTCOME(&s, &run, 13, WAST_OUT_XFAIL);
    CHECK_STR(result_at(&s, &run, 13)->reason, "wrong message, frontend bug");
    CHECK_OUTCOME(&s, &run, 14, WAST_OUT_XFAIL);
    CHECK_OUTCOME(&s, &run, 12, WAST_OUT_FAIL);
    CHECK_CONTAINS(result_at(&s, &run, 12)->message, "xf.txt:3 lists it");
    CHECK_OUTCOME(&s, &run, 3, WAST_OUT_NOT_RUN);
    CHECK_EQ(run.nproblems, 1);
    if (run.nproblems == 1) {
        CHECK_EQ(run.problems[0].list_line, 4);
        CHECK_CONTAINS(run.problems[0].message, "t.wast:99");
    }
    /* 5 failures without the list; 2 became expected, 1 pass became a failure, 1 problem. */
    CHECK_EQ(run.totals[WAST_OUT_XFAIL], 2);
    CHECK_EQ(run.totals[WAST_OUT_FAIL], 5);
    CHECK_EQ(run.totals[WAST_OUT_PASS], 3);
    wast_run_free(&run);
    wast_expect_free(&list);

    /* A whole-file entry: every failure is expected; with no failure it must go. */
    list_text = "t.wast:*  not ready\n";
    CHECK(wast_expect_parse(&list, "xf.txt", list_text, strlen(list_text), &d));
    wast_run(&s, &opts, &run);
    CHECK_EQ(run.totals[WAST_OUT_FAIL], 0);
    CHECK_EQ(run.totals[WAST_OUT_XFAIL], 5);
    CHECK_EQ(run.totals[WAST_OUT_PASS], 4);  // passes are fine under a whole-file entry
    CHECK_EQ(run.nproblems, 0);
    wast_run_free(&run);
    opts.file = "other.wast";  // same script under another name: no entry applies
    wast_run(&s, &opts, &run);
    CHECK_EQ(run.totals[WAST_OUT_XFAIL], 0);
    CHECK_EQ(run.totals[WAST_OUT_FAIL], 5);
    wast_run_free(&run);
    wast_expect_free(&list);
    wast_script_free(&s);

    const char *passing = "{\"commands\": [{\"type\": \"module\", \"line\": 1, \"filename\": "
                          "\"ok.wasm\"}]}";
    list_text = "t.wast:*  not ready\n";
    CHECK(wast_expect_parse(&list, "xf.txt", list_text, strlen(list_text), &d));
    parse_script(&s, passing);
    opts.file = "t.wast";
    wast_run(&s, &opts, &run);
    CHECK_EQ(run.totals[WAST_OUT_PASS], 1);
    CHECK_EQ(run.totals[WAST_OUT_FAIL], 1);
    CHECK_EQ(run.nproblems, 1);
    if (run.nproblems == 1)
        CHECK_CONTAINS(run.problems[0].message, "no command fails");
    wast_run_free(&run);
    wast_expect_free(&list);
    wast_script_free(&s);
}

/* Documents that are not scripts fail as a whole; odd commands fail on their own. */
static void
test_script_errors(void)
{
    WastScript s;
    SkDiag d = {0};
    CHECK(!wast_script_parse(&s, "{\"commands\": 5}", 15, ".", &d));
    CHECK_CONTAINS(d.message, "no \"commands\" array");
    wast_script_free(&s);
    d = (SkDiag){0};
    CHECK(!wast_script_parse(&s, "[]", 2, ".", &d));
    wast_script_free(&s);
    d = (SkDiag){0};
    CHECK(!wast_script_parse(&s, "{\"commands\": [", 14, ".", &d));
    CHECK_CONTAINS(d.message, "malformed JSON");
    wast_script_free(&s);
    d = (SkDiag){0};
    CHECK(!wast_script_load(&s, "/nonexistent/x.json", &d));
    CHECK_EQ(d.kind, SK_DIAG_IO);
    wast_script_free(&s);

    const char *odd =
        "{\"commands\": [5, {\"line\": 2}, {\"type\": \"module\", \"filename\": \"ok.wasm\"},\n"
        " {\"type\": \"assert_return\", \"line\": 4, \"action\": {\"type\": \"invoke\", "
        "\"field\": \"f\", \"args\": [{\"type\": \"i32\", \"value\": \"x\"}]}, \"expected\": []},\n"
        " {\"type\": \"assert_return\", \"line\": 5, \"action\": {\"type\": \"call\", "
        "\"field\": \"f\"}, \"expected\": []},\n"
        " {\"type\": \"assert_trap\", \"line\": 6, \"action\": {\"type\": \"invoke\", "
        "\"field\": \"f\", \"args\": []}},\n"
        " {\"type\": \"assert_malformed\", \"line\": 7, \"filename\": \"x.wasm\", \"text\": \"t\", "
        "\"module_type\": \"quoted\"},\n"
        " {\"type\": \"register\", \"line\": 8}]}";
    parse_script(&s, odd);
    CHECK_EQ(s.ncmds, 8);
    if (s.ncmds == 8) {
        CHECK_CONTAINS(s.cmds[0].error, "not a JSON object");
        CHECK_CONTAINS(s.cmds[1].error, "without a \"type\"");
        CHECK_CONTAINS(s.cmds[2].error, "without a \"line\"");
        CHECK_CONTAINS(s.cmds[3].error, "argument 0: bad i32 value \"x\"");
        CHECK_CONTAINS(s.cmds[4].error, "unknown action type \"call\"");
        CHECK_CONTAINS(s.cmds[5].error, "missing string \"text\"");
        CHECK_CONTAINS(s.cmds[6].error, "unknown module_type \"quoted\"");
        CHECK_CONTAINS(s.cmds[7].error, "missing string \"as\"");
    }
    WastEngine engine = {.validate = fake_validate};
    WastRunOptions opts = {.engine = &engine};
    WastRun run;
    wast_run(&s, &opts, &run);
    CHECK_EQ(run.totals[WAST_OUT_FAIL], 8);  // every malformed command fails
    CHECK_EQ(run.counts[WAST_CMD_OTHER][WAST_OUT_FAIL], 2);
    CHECK_EQ(run.counts[WAST_CMD_ASSERT_RETURN][WAST_OUT_FAIL], 2);
    wast_run_free(&run);
    wast_script_free(&s);

    /* Field names keep embedded NULs; an empty script runs to nothing. */
    parse_script(&s, "{\"commands\": [{\"type\": \"action\", \"line\": 1, \"action\": "
                     "{\"type\": \"invoke\", \"field\": \"a\\u0000b\", \"args\": []}}]}");
    CHECK_EQ(s.cmds[0].action.field_len, 3);
    wast_script_free(&s);
    parse_script(&s, "{\"commands\": []}");
    wast_run(&s, &opts, &run);
    CHECK_EQ(run.nresults, 0);
    wast_run_free(&run);
    wast_script_free(&s);
}

/* Trap messages: the text must be contained in the message, except that an element index
 * at the end of the text ("uninitialized element 2", as the reference interpreter words it)
 * may be missing from the message; a different index there does not match. */
static void
test_trap_text(void)
{
    static const char *const json =
        "{\"commands\": [\n"
        " {\"type\": \"module\", \"line\": 1, \"filename\": \"ok.wasm\"},\n"
        " {\"type\": \"assert_trap\", \"line\": 2, \"action\": {\"type\": \"invoke\", "
        "\"field\": \"uninit\", \"args\": []}, \"text\": \"uninitialized element 2\"},\n"
        " {\"type\": \"assert_trap\", \"line\": 3, \"action\": {\"type\": \"invoke\", "
        "\"field\": \"uninit7\", \"args\": []}, \"text\": \"uninitialized element 2\"},\n"
        " {\"type\": \"assert_trap\", \"line\": 4, \"action\": {\"type\": \"invoke\", "
        "\"field\": \"uninit7\", \"args\": []}, \"text\": \"uninitialized element 7\"},\n"
        " {\"type\": \"assert_trap\", \"line\": 5, \"action\": {\"type\": \"invoke\", "
        "\"field\": \"uninit\", \"args\": []}, \"text\": \"undefined element 2\"},\n"
        " {\"type\": \"assert_trap\", \"line\": 6, \"action\": {\"type\": \"invoke\", "
        "\"field\": \"trap\", \"args\": []}, \"text\": \"integer divide by zero 1\"}\n"
        "]}\n";
    WastScript s;
    WastRun run;
    Fake fake = {0};
    WastEngine engine = {.ctx = &fake,
                         .validate = fake_validate,
                         .instantiate = fake_instantiate,
                         .invoke = fake_invoke};
    WastRunOptions opts = {.engine = &engine, .file = "t.wast"};
    parse_script(&s, json);
    wast_run(&s, &opts, &run);
    CHECK_OUTCOME(&s, &run, 2, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 3, WAST_OUT_FAIL);  // the message names another element
    CHECK_OUTCOME(&s, &run, 4, WAST_OUT_PASS);
    CHECK_OUTCOME(&s, &run, 5, WAST_OUT_FAIL);
    CHECK_OUTCOME(&s, &run, 6, WAST_OUT_PASS);
    wast_run_free(&run);
    wast_script_free(&s);
}

int
main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%s/skua-test-runner-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    setup_modules();
    test_validation_only();
    test_execution();
    test_expected_failures();
    test_script_errors();
    test_trap_text();
    const char *files[] = {"ok.wasm", "tm.wasm", "end.wasm", "unlink.wasm", "trap.wasm"};
    for (size_t i = 0; i < SK_ARRAY_LEN(files); i++)
        remove_file(files[i]);
    rmdir(tmpdir);
    return check_exit();
}
