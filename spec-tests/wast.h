/*
 * The spec-test harness behind `skua wast`: reads the JSON that wabt's wast2json makes of a
 * .wast script, runs its commands against an engine, and decides each one (passed, failed,
 * expected failure, skipped, not run yet). It sits beside the CLI, above every layer.
 *
 * Pieces, one file each: a JSON reader (json.c), script values with bit-exact comparison
 * (value.c), the expected-failures list (expect.c), the script model (script.c), the runner
 * (runner.c), the wast2json conversion (convert.c), the engine that runs modules through the
 * embedding API (engine_skua.c) and one that only validates through the frontend
 * (engine_fe.c). Nothing here prints or exits; tools/cmd_wast.c does.
 *
 * The runner talks to the compiler and runtime only through WastEngine (a table of hooks);
 * the execution engine reaches the compiler only through the SkuaConfig.compile hook its
 * caller installs, so this library never depends on the compiler's layers for execution.
 */
#ifndef SKUA_SPEC_TESTS_WAST_H
#define SKUA_SPEC_TESTS_WAST_H

#include <stdio.h>

#include "ir/arena.h"
#include "ir/diag.h"
#include "runtime/skua.h"

/* ---- json.c ------------------------------------------------------------------------------ */

typedef enum WastJsonKind {
    WAST_JSON_NONE = 0,
    WAST_JSON_NULL,
    WAST_JSON_BOOL,
    WAST_JSON_NUMBER,
    WAST_JSON_STRING,
    WAST_JSON_ARRAY,
    WAST_JSON_OBJECT,
    WAST_JSON_COUNT
} WastJsonKind;

typedef struct WastJson WastJson;
typedef struct WastJsonMember WastJsonMember;

/*
 * A parsed JSON value; every part lives in the arena given to wast_json_parse(). Numbers
 * keep their literal text (wast2json writes every wasm value as a string anyway, and line
 * numbers need no floating point).
 */
struct WastJson {
    uint8_t kind;     // WastJsonKind
    bool boolean;     // WAST_JSON_BOOL
    uint32_t len;     // STRING, NUMBER: bytes; ARRAY: elements; OBJECT: members
    uint32_t offset;  // byte offset of the value in the input
    union {
        const char *str;          // STRING: decoded UTF-8 (may hold NULs), NUL-terminated;
                                  // NUMBER: the literal as written
        WastJson *items;          // ARRAY
        WastJsonMember *members;  // OBJECT, in input order
    } u;
};

struct WastJsonMember {
    const char *key;  // decoded, NUL-terminated
    uint32_t key_len;
    WastJson value;
};

/*
 * Parses one JSON text (RFC 8259: a single value, surrounded only by whitespace). Strings
 * are decoded (escapes, surrogate pairs to UTF-8); raw control characters, lone surrogates,
 * trailing commas, bad numbers and nesting deeper than WAST_JSON_MAX_DEPTH are rejected.
 * Returns false with `diag` filled (offset, and "line L, column C" in the message).
 */
#define WAST_JSON_MAX_DEPTH 512
bool wast_json_parse(const char *text, size_t size, SkArena *arena, WastJson *out,
                     SkDiag *diag);

/* The value of member `key` of an object (the first if repeated); NULL if `obj` is not an
 * object or has no such member. */
const WastJson *wast_json_get(const WastJson *obj, const char *key);
/* The string's bytes if `v` is a string, else NULL. */
const char *wast_json_str(const WastJson *v);
/* True if `v` is a number written as a non-negative integer that fits in 32 bits. */
bool wast_json_u32(const WastJson *v, uint32_t *out_v);

/* ---- value.c ----------------------------------------------------------------------------- */

typedef enum WastValType {
    WAST_VAL_NONE = 0,
    WAST_VAL_I32,
    WAST_VAL_I64,
    WAST_VAL_F32,
    WAST_VAL_F64,
    WAST_VAL_V128,
    WAST_VAL_FUNCREF,
    WAST_VAL_EXTERNREF,
    WAST_VAL_COUNT
} WastValType;

/* How a v128 constant was written: its lane shape. */
typedef enum WastLane {
    WAST_LANE_NONE = 0,
    WAST_LANE_I8,
    WAST_LANE_I16,
    WAST_LANE_I32,
    WAST_LANE_I64,
    WAST_LANE_F32,
    WAST_LANE_F64,
    WAST_LANE_COUNT
} WastLane;

/* NaN patterns of expected results (the spec's `nan:canonical` and `nan:arithmetic`). */
typedef enum WastNan {
    WAST_NAN_NONE = 0,    // compare the bits exactly
    WAST_NAN_CANONICAL,   // any sign, quiet bit only: 0x7fc00000 / 0x7ff8000000000000
    WAST_NAN_ARITHMETIC,  // any sign, quiet bit set, any payload
} WastNan;

/* Reference values. */
typedef enum WastRef {
    WAST_REF_NULL = 0,  // ref.null
    WAST_REF_HOST,      // externref: (ref.extern N), N in u.ref
    WAST_REF_FUNC,      // funcref: some function; u.ref is an engine-defined identity
    WAST_REF_ANY,       // expected results only: any non-null reference of the type
} WastRef;

/*
 * A value of a script: an argument, an expected result or (from an engine) an actual result.
 * Scalars and lanes are held as bit patterns; v128 bytes are little-endian, lane 0 first.
 */
typedef struct WastValue {
    uint8_t type;    // WastValType
    uint8_t lane;    // v128: WastLane as written (results of engines: WAST_LANE_I32)
    uint8_t ref;     // funcref/externref: WastRef
    uint8_t nan[4];  // expected only: WastNan of a scalar float (nan[0]) or of each float lane
    union {
        uint32_t i32;
        uint64_t i64;
        uint32_t f32;  // bits
        uint64_t f64;  // bits
        uint8_t v128[16];
        uint64_t ref;
    } u;
} WastValue;

/*
 * Parses a wast2json value object ({"type": "i32", "value": "42"}, v128 with "lane_type" and
 * an array of lanes, references with "null" or a number). Numbers are the decimal bit
 * patterns wast2json writes (a leading '-' is accepted as two's complement). NaN patterns,
 * and references without a value, are accepted only when `expected` is true. Returns false
 * with a message in `err`.
 */
bool wast_value_parse(const WastJson *v, bool expected, WastValue *out, char *err,
                      size_t errsize);
/* True if `actual` matches `expected`: same type, bits equal except where a NaN pattern or
 * WAST_REF_ANY allows more. */
bool wast_value_matches(const WastValue *expected, const WastValue *actual);
/* Writes a readable form, e.g. "i32:42", "f32:0x7fc00000 (nan)", "v128:i32x4 1 2 3 4",
 * "externref:7", "funcref:null", "f64:nan:canonical". Always NUL-terminates. */
void wast_value_format(const WastValue *v, char *buf, size_t size);
/* "i32", "f64", "v128", "funcref", ... */
const char *wast_val_type_name(uint8_t type);
/*
 * Parses a decimal integer no greater than `max`; a leading '-' gives the two's complement
 * of a magnitude up to (max >> 1) + 1 (so "-1" with max UINT32_MAX is 0xffffffff).
 */
bool wast_parse_uint(const char *s, uint64_t max, uint64_t *out_v);

/* ---- expect.c ---------------------------------------------------------------------------- */

/*
 * The expected-failures list (spec-tests/expected-failures.txt): one entry a line,
 * `FILE.wast:LINE  reason` for one command or `FILE.wast:*  reason` for a whole file; `#`
 * starts a comment line. FILE is a base name. A listed command that fails counts as an
 * expected failure; a listed command that passes is a failure (so the list only shrinks).
 */
typedef struct WastExpectEntry {
    const char *file;    // base name, e.g. "simd_lane.wast"
    uint32_t line;       // line in that file; 0 for the whole file ("*")
    const char *reason;  // never empty
    uint32_t list_line;  // line of the entry in the list (for messages)
} WastExpectEntry;

typedef struct WastExpectList {
    SkArena arena;
    const char *path;  // for messages
    WastExpectEntry *entries;
    uint32_t nentries;
} WastExpectList;

/* Parses list text; `path` names it in messages. Returns false with `diag` filled on a
 * malformed line (its message gives path:line). The list must be freed either way. */
bool wast_expect_parse(WastExpectList *l, const char *path, const char *text, size_t size,
                       SkDiag *diag);
/* Reads and parses the file at `path`. */
bool wast_expect_load(WastExpectList *l, const char *path, SkDiag *diag);
void wast_expect_free(WastExpectList *l);
/* The entry for command `line` of `file` (a base name): the line's own entry if any, else
 * the whole-file entry, else NULL. `line` 0 asks for the whole-file entry only. */
const WastExpectEntry *wast_expect_find(const WastExpectList *l, const char *file,
                                        uint32_t line);
/* The part of `path` after its last '/'. */
const char *wast_basename(const char *path);

/* ---- script.c ---------------------------------------------------------------------------- */

/* Command types of wast2json scripts; X(enum name, type string in the JSON). */
#define WAST_CMD_KINDS(X)                                                                    \
    X(MODULE, "module")                                                                      \
    X(REGISTER, "register")                                                                  \
    X(ACTION, "action")                                                                      \
    X(ASSERT_RETURN, "assert_return")                                                        \
    X(ASSERT_TRAP, "assert_trap")                                                            \
    X(ASSERT_EXHAUSTION, "assert_exhaustion")                                                \
    X(ASSERT_INVALID, "assert_invalid")                                                      \
    X(ASSERT_MALFORMED, "assert_malformed")                                                  \
    X(ASSERT_UNLINKABLE, "assert_unlinkable")                                                \
    X(ASSERT_UNINSTANTIABLE, "assert_uninstantiable")                                        \
    X(ASSERT_EXCEPTION, "assert_exception")                                                  \
    X(OTHER, "other") /* a type this harness does not know: never run, never passed */

typedef enum WastCmdKind {
    WAST_CMD_NONE = 0,
#define WAST_CMD_ENUM(name, text) WAST_CMD_##name,
    WAST_CMD_KINDS(WAST_CMD_ENUM)
#undef WAST_CMD_ENUM
    WAST_CMD_COUNT
} WastCmdKind;

typedef enum WastActionKind {
    WAST_ACTION_NONE = 0,
    WAST_ACTION_INVOKE,  // call an exported function
    WAST_ACTION_GET,     // read an exported global
} WastActionKind;

typedef struct WastAction {
    uint8_t kind;        // WastActionKind
    const char *module;  // "$name" of a named module, or NULL for the current one
    const char *field;   // export name (may hold NULs: use field_len)
    uint32_t field_len;
    WastValue *args;
    uint32_t nargs;
} WastAction;

typedef struct WastCommand {
    uint8_t kind;           // WastCmdKind
    bool text_module;       // module_type "text": a .wat file (not for a binary compiler)
    bool has_action;
    uint32_t line;          // line in the .wast file
    const char *type_name;  // the type as written in the script
    const char *name;       // module, register: "$name" or NULL
    const char *as;         // register: the module name it is registered under (may hold
    uint32_t as_len;        // NULs: use as_len)
    const char *filename;   // module file, relative to the script's folder; NULL if none
    const char *text;       // assert_*: the expected message; NULL if none
    WastAction action;      // when has_action
    WastValue *expected;    // assert_return: the expected results
    uint32_t nexpected;
    const char *error;      // non-NULL if the command is malformed in the script (it fails)
} WastCommand;

typedef struct WastScript {
    SkArena arena;
    const char *source_filename;  // "source_filename" of the JSON, or NULL
    const char *dir;              // folder that module file names are relative to
    WastCommand *cmds;
    uint32_t ncmds;
} WastScript;

/*
 * Reads wast2json output. A document that is not JSON, or has no "commands" array, fails
 * as a whole (false, `diag` filled); a malformed command does not: it gets `error` set and
 * the runner counts it as failed. `dir` is copied. The script must be freed either way.
 */
bool wast_script_parse(WastScript *s, const char *text, size_t size, const char *dir,
                       SkDiag *diag);
/* Reads the JSON file at `path` (module files are taken from its folder) and parses it. */
bool wast_script_load(WastScript *s, const char *path, SkDiag *diag);
void wast_script_free(WastScript *s);
/* "module", "assert_return", ... */
const char *wast_cmd_kind_name(uint8_t kind);

/* Reads a whole file into a heap buffer (free() it) with a NUL appended after `out_size`
 * bytes. Returns false with `diag` (kind SK_DIAG_IO) filled. */
bool wast_read_file(const char *path, uint8_t **out_data, size_t *out_size, SkDiag *diag);

/* ---- engines (engine_skua.c: execution; engine_fe.c: validation only) ------------------- */

/* What an engine hook reports. */
typedef enum WastStatus {
    WAST_STATUS_OK = 0,
    WAST_STATUS_REJECTED,    // the module did not decode or validate (message: why)
    WAST_STATUS_UNLINKABLE,  // instantiation failed on imports (message: the spec wording)
    WAST_STATUS_TRAP,        // a trap in a call or during instantiation (message: its kind)
    WAST_STATUS_ERROR,       // anything else: unknown export, wrong arity, out of memory
} WastStatus;

/* An instance, defined by the engine; the engine owns it until it is destroyed. */
typedef struct WastInstance WastInstance;

#define WAST_MSG_SIZE 512
#define WAST_MAX_RESULTS 64

/*
 * The hooks the runner uses. `validate` is required; the others may be NULL, and then the
 * commands that need them count as "not run yet". Module bytes are valid only during the
 * call (an engine that keeps them copies them). Messages go to `msg` (WAST_MSG_SIZE bytes)
 * and must start with the spec's wording ("type mismatch", "unknown import", "out of bounds
 * memory access", "call stack exhausted", ...), because the runner matches the expected text
 * as a substring.
 */
typedef struct WastEngine {
    void *ctx;  // passed first to every hook
    /* Decodes and validates: OK or REJECTED. */
    WastStatus (*validate)(void *ctx, const uint8_t *bytes, size_t size, char *msg);
    /* Compiles and instantiates against the registered modules and the spectest host
     * module: OK (with *out_inst), REJECTED, UNLINKABLE, TRAP (start function or segment
     * initialisation; earlier effects stay) or ERROR. */
    WastStatus (*instantiate)(void *ctx, const uint8_t *bytes, size_t size,
                              WastInstance **out_inst, char *msg);
    /* Makes the exports of `inst` importable under module name `as` (`as_len` bytes; wasm
     * names may hold NULs). */
    WastStatus (*register_instance)(void *ctx, WastInstance *inst, const char *as,
                                    uint32_t as_len, char *msg);
    /* Calls export `field`: OK with results[0..*out_nresults) (at most WAST_MAX_RESULTS;
     * more is ERROR), TRAP or ERROR. */
    WastStatus (*invoke)(void *ctx, WastInstance *inst, const char *field, uint32_t field_len,
                         const WastValue *args, uint32_t nargs, WastValue *results,
                         uint32_t *out_nresults, char *msg);
    /* Reads exported global `field`: OK with *out or ERROR. */
    WastStatus (*get)(void *ctx, WastInstance *inst, const char *field, uint32_t field_len,
                      WastValue *out, char *msg);
} WastEngine;

/* engine_fe.c: an engine that validates through the frontend (fe_module_load) and has no
 * execution hooks. */
void wast_engine_frontend(WastEngine *out);

/*
 * engine_skua.c: the engine that compiles, instantiates and calls through the embedding API.
 * One SkuaEngine, store and linker per WastSkua (use one per script); the linker starts with
 * the `spectest` module, whose print functions write to `print_out` (NULL: nowhere). `cfg`
 * must have its compile hook set. Returns NULL with a message in `msg` (WAST_MSG_SIZE bytes)
 * on failure. `ref.extern N` arguments become the host pointer N + 1 and results map back;
 * funcref results are WAST_REF_FUNC with the function's address as identity.
 */
typedef struct WastSkua WastSkua;
WastSkua *wast_skua_new(const SkuaConfig *cfg, FILE *print_out, char *msg);
/* Fills `out` with hooks on `w` (valid until wast_skua_free). */
void wast_skua_engine(WastSkua *w, WastEngine *out);
/* Frees every instance, module and host object made through `w`. */
void wast_skua_free(WastSkua *w);

/* ---- runner.c ---------------------------------------------------------------------------- */

typedef enum WastOutcome {
    WAST_OUT_NONE = 0,
    WAST_OUT_PASS,
    WAST_OUT_FAIL,
    WAST_OUT_XFAIL,    // failed, and listed in the expected-failures list
    WAST_OUT_SKIP,     // does not apply to skua (text-format assert_malformed)
    WAST_OUT_NOT_RUN,  // needs what the engine cannot do yet (execution)
    WAST_OUT_COUNT
} WastOutcome;

/* The outcome of one command. */
typedef struct WastResult {
    uint8_t outcome;      // WastOutcome
    const char *message;  // FAIL, XFAIL: what went wrong; SKIP, NOT_RUN: why; PASS: NULL
    const char *reason;   // XFAIL, and FAIL of a listed command: the list's reason
} WastResult;

/* A problem with the expected-failures list itself (an entry that matches no command, or a
 * whole-file entry of a file where nothing fails). Each counts as a failure. */
typedef struct WastListProblem {
    uint32_t list_line;
    const char *message;
} WastListProblem;

typedef struct WastRun {
    SkArena arena;         // messages
    WastResult *results;   // one per command of the script, same index
    uint32_t nresults;
    WastListProblem *problems;
    uint32_t nproblems;
    uint32_t counts[WAST_CMD_COUNT][WAST_OUT_COUNT];  // per command kind and outcome
    uint32_t totals[WAST_OUT_COUNT];                  // list problems count as FAIL
} WastRun;

typedef struct WastRunOptions {
    const WastEngine *engine;
    const WastExpectList *expect;  // NULL for none
    const char *file;              // base name of the .wast file, for `expect`
} WastRunOptions;

/*
 * Runs every command of `s` in order and decides it; fills `run` (freed with
 * wast_run_free). Never fails as a whole: an unreadable module file, a malformed command or
 * an engine error is the failure of that command.
 */
void wast_run(const WastScript *s, const WastRunOptions *opts, WastRun *run);
void wast_run_free(WastRun *run);
/* "passed", "failed", "expected failure", "skipped", "not run yet". */
const char *wast_outcome_name(uint8_t outcome);

/* ---- convert.c --------------------------------------------------------------------------- */

/*
 * Converts a .wast script with wast2json (the program `wast2json`, looked up in PATH when it
 * has no '/') into a fresh temporary folder (mkdtemp; $TMPDIR or /tmp), without a shell.
 * On success `out_dir` holds the folder (remove it with wast_tempdir_remove) and `out_json`
 * the JSON file in it. On failure nothing is left behind and `diag` (kind SK_DIAG_IO) says
 * why: wast2json missing, wast2json failing (its own messages went to stderr), or I/O.
 */
#define WAST_PATH_SIZE 4096
bool wast_convert(const char *wast2json, const char *wast_path, char out_dir[WAST_PATH_SIZE],
                  char out_json[WAST_PATH_SIZE], SkDiag *diag);
/* Removes a folder made by wast_convert and the files in it (no subfolders). */
void wast_tempdir_remove(const char *dir);

#endif
