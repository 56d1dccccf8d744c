/*
 * `skua validate` end to end: exit status 0 for valid modules, 1 for malformed or invalid
 * ones, 2 for usage and I/O errors; the error line format (file, offset, message, function
 * index and name); --stats output. Arguments: the skua binary, the examples folder, and a
 * scratch folder for the modules this test writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "wasm_builder.h"

static const char *skua, *examples, *scratch;
static char out[8192], err[8192];

static void
slurp(const char *path, char *buf, size_t cap)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Runs `skua validate ARGS`, captures stdout and stderr, returns the exit status. */
static int
run(const char *args)
{
    char cmd[4096], out_path[1024], err_path[1024];
    snprintf(out_path, sizeof(out_path), "%s/cli.out", scratch);
    snprintf(err_path, sizeof(err_path), "%s/cli.err", scratch);
    snprintf(cmd, sizeof(cmd), "'%s' validate %s >'%s' 2>'%s'", skua, args, out_path, err_path);
    int status = system(cmd);
    slurp(out_path, out, sizeof(out));
    slurp(err_path, err, sizeof(err));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
write_file(const char *name, const Buf *m, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", scratch, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK_EQ(fwrite(m->data, 1, m->len, f), m->len);
        fclose(f);
    }
}

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: test_cli SKUA EXAMPLES_DIR SCRATCH_DIR\n");
        return 2;
    }
    skua = argv[1];
    examples = argv[2];
    scratch = argv[3];
    char hello[1024], args[4096];
    snprintf(hello, sizeof(hello), "%s/hello.wasm", examples);

    /* A valid module. */
    snprintf(args, sizeof(args), "'%s'", hello);
    CHECK_EQ(run(args), 0);
    CHECK_CONTAINS(out, "valid");
    CHECK_STR(err, "");

    /* An invalid one: a type mismatch in function 1 (an imported function is 0), named
     * "second" by the name section. */
    Buf body = {0}, m = {0}, s = {0};
    buf_seq(&body, 0, 0x42, 0, 0x45, 0x1A, 0x0B, -1);  // i64.const 0; i32.eqz
    mod_header(&m);
    buf_seq(&s, 1, 0x60, 0, 0, -1);
    mod_section(&m, 1, &s);
    buf_seq(&s, 1, 1, 'm', 1, 'f', 0, 0, -1);
    mod_section(&m, 2, &s);
    buf_seq(&s, 1, 0, -1);
    mod_section(&m, 3, &s);
    buf_byte(&s, 1);
    buf_u32(&s, (uint32_t)body.len);
    buf_bytes(&s, body.data, body.len);
    size_t eqz_offset = m.len + 2 + s.len - body.len + 3;  // section id, size, then contents
    mod_section(&m, 10, &s);
    buf_name(&s, "name");
    buf_seq(&s, 1, 9, 1, 1, 6, 's', 'e', 'c', 'o', 'n', 'd', -1);
    mod_section(&m, 0, &s);
    char invalid[1024];
    write_file("invalid.wasm", &m, invalid, sizeof(invalid));
    snprintf(args, sizeof(args), "'%s'", invalid);
    CHECK_EQ(run(args), 1);
    char expected[2048];
    snprintf(expected, sizeof(expected),
             "%s:0x%zx: error: type mismatch: i32.eqz expected i32, found i64 "
             "(func 1 \"second\")\n",
             invalid, eqz_offset);
    CHECK_STR(err, expected);

    /* A malformed one. */
    Buf junk = {0};
    buf_seq(&junk, 0x00, 0x61, 0x73, 0x6D, 0x02, 0, 0, 0, -1);
    char malformed[1024];
    write_file("malformed.wasm", &junk, malformed, sizeof(malformed));
    snprintf(args, sizeof(args), "'%s'", malformed);
    CHECK_EQ(run(args), 1);
    snprintf(expected, sizeof(expected), "%s:0x4: error: unknown binary version 2\n", malformed);
    CHECK_STR(err, expected);

    /* Usage and I/O errors. */
    snprintf(args, sizeof(args), "'%s/does-not-exist.wasm'", scratch);
    CHECK_EQ(run(args), 2);
    CHECK_CONTAINS(err, "does-not-exist.wasm");
    CHECK_EQ(run(""), 2);
    snprintf(args, sizeof(args), "--bogus '%s'", hello);
    CHECK_EQ(run(args), 2);
    CHECK_CONTAINS(err, "--bogus");

    /* Several files: the worst outcome decides. */
    snprintf(args, sizeof(args), "'%s' '%s'", hello, invalid);
    CHECK_EQ(run(args), 1);
    snprintf(args, sizeof(args), "'%s' '%s/missing.wasm' '%s'", hello, scratch, invalid);
    CHECK_EQ(run(args), 2);

    /* --stats: sizes, times and throughput. */
    snprintf(args, sizeof(args), "--stats '%s'", hello);
    CHECK_EQ(run(args), 0);
    CHECK_CONTAINS(out, "module size");
    CHECK_CONTAINS(out, "decode");
    CHECK_CONTAINS(out, "validate");
    CHECK_CONTAINS(out, "MB/s");
    CHECK_CONTAINS(out, "medians of");
    CHECK_CONTAINS(out, "thread CPU time");

    buf_free(&body);
    buf_free(&m);
    buf_free(&junk);
    return check_exit();
}
