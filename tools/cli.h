/*
 * The skua command-line tool: one file per subcommand (tools/cmd_<name>.c), dispatched by
 * tools/main.c. Only tools/ prints or exits. Exit codes: 0 success, 1 the input was bad
 * (invalid module, trap, failed test), 2 usage or I/O error.
 */
#ifndef SKUA_TOOLS_CLI_H
#define SKUA_TOOLS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_EXIT_OK 0
#define CLI_EXIT_BAD_INPUT 1
#define CLI_EXIT_USAGE 2

typedef struct CliCommand {
    const char *name;
    int (*run)(int argc, char **argv);  // argv[0] is the subcommand name
    const char *summary;
} CliCommand;

/* Subcommands (one file each). */
int cli_cmd_validate(int argc, char **argv);  // tools/cmd_validate.c
int cli_cmd_wast(int argc, char **argv);      // tools/cmd_wast.c
int cli_cmd_compile(int argc, char **argv);   // tools/cmd_compile.c
int cli_cmd_run(int argc, char **argv);       // tools/cmd_run.c
int cli_cmd_objdump(int argc, char **argv);   // tools/cmd_objdump.c

struct RtCompiledModule;
/* Disassembles the functions of `cm` (only `func`, a name, export name or index, when not
 * NULL; then without trampolines and slots) to `out`, headed by "PATH: target ...". Returns
 * a CLI exit code: 2 for an unknown function or a skua built without Capstone
 * (tools/cmd_objdump.c). */
int cli_disasm_module(const struct RtCompiledModule *cm, const char *path, const char *func,
                      FILE *out);

/* The readable form of a mangled Rust symbol (the legacy `_ZN...E` form, crate hash
 * dropped), malloc'd; NULL when `sym` is not one (tools/demangle.c). */
char *cli_demangle(const char *sym);

/* Reads a whole file into a malloc'd buffer. On failure prints "skua: PATH: reason" and
 * returns false. */
bool cli_read_file(const char *path, uint8_t **out_data, size_t *out_size);

struct FeModule;
struct SkDiag;
/* Prints a bad-input diagnostic to stderr, STYLE.md's way:
 * `PATH:0xOFFSET: error: MESSAGE (func N "name")`, the name (from `m`'s name section, when
 * `m` is not NULL) quoted with quotes, backslashes and control bytes escaped. */
void cli_diag_print(const char *path, const struct FeModule *m, const struct SkDiag *d);

/* Prints "skua: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
