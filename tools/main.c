/*
 * skua: entry point of the command-line tool. Dispatches to one subcommand per file
 * (tools/cmd_<name>.c); see README.md for the commands and their flags.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/frontend.h"
#include "tools/cli.h"

/* One row per subcommand, in the order `skua --help` lists them; NULL-terminated. */
static const CliCommand commands[] = {
    {"validate", cli_cmd_validate, "decode and validate WebAssembly modules"},
    {"wast", cli_cmd_wast, "run a spec-test script (.wast via wast2json, or its .json)"},
    {"run", cli_cmd_run, "run a WASI program (.wasm, or .skua from compile -o)"},
    {"compile", cli_cmd_compile, "compile a module (to .skua with -o; --emit=ir|asm, --stats)"},
    {"objdump", cli_cmd_objdump, "disassemble a module's machine code per function"},
    {NULL, NULL, NULL},
};

void
cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("skua: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

bool
cli_read_file(const char *path, uint8_t **out_data, size_t *out_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_error("%s: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            cli_error("%s: out of memory", path);
            fclose(f);
            return false;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        uint8_t *nbuf = realloc(buf, cap * 2);
        if (!nbuf)
            free(buf);
        buf = nbuf;
        cap *= 2;
    }
    if (ferror(f)) {
        cli_error("%s: %s", path, strerror(errno));
        free(buf);
        fclose(f);
        return false;
    }
    fclose(f);
    *out_data = buf;
    *out_size = len;
    return true;
}

/* Prints a function name with quotes, backslashes and control bytes escaped. */
static void
print_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c == 0x7F)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

void
cli_diag_print(const char *path, const FeModule *m, const SkDiag *d)
{
    fprintf(stderr, "%s:0x%llx: error: %s", path, (unsigned long long)d->offset, d->message);
    if (d->func_index != SK_DIAG_NO_FUNC) {
        const char *name = m ? fe_module_func_name(m, d->func_index) : NULL;
        fprintf(stderr, " (func %u", d->func_index);
        if (name) {
            fputc(' ', stderr);
            print_quoted(stderr, name);
        }
        fputc(')', stderr);
    }
    fputc('\n', stderr);
}

static void
usage(FILE *to)
{
    fputs("usage: skua <command> [options] [args]\n\ncommands:\n", to);
    for (size_t i = 0; commands[i].name; i++)
        fprintf(to, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nRun 'skua <command> --help' for a command's options.\n", to);
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("skua %s\n", SKUA_VERSION);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; commands[i].name; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s'", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
