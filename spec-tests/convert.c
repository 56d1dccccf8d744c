/*
 * Converting a .wast script with wabt's wast2json: the script goes to a fresh temporary
 * folder (mkdtemp) as script.json plus one file per module, which the caller removes with
 * wast_tempdir_remove. wast2json runs through posix_spawnp with an argument vector, never
 * through a shell, so no path is ever interpreted.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spec-tests/wast.h"

extern char **environ;

void
wast_tempdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *ent;
        char path[WAST_PATH_SIZE];
        while ((ent = readdir(d)) != NULL) {
            if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
                continue;
            int n = snprintf(path, sizeof(path), "%s/%s", dir, ent->d_name);
            if (n > 0 && (size_t)n < sizeof(path))
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Runs argv (argv[0] looked up in PATH) and waits; fills diag on any failure. */
static bool
run_tool(char *const argv[], const char *input, SkDiag *diag)
{
    pid_t pid;
    int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (err == ENOENT)
        return sk_diag_set(diag, SK_DIAG_IO, 0,
                           "%s not found: install wabt (e.g. apt-get install wabt) or give "
                           "its path with --wast2json",
                           argv[0]);
    if (err)
        return sk_diag_set(diag, SK_DIAG_IO, 0, "cannot run %s: %s", argv[0], strerror(err));
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return sk_diag_set(diag, SK_DIAG_IO, 0, "waiting for %s: %s", argv[0],
                               strerror(errno));
    }
    if (WIFSIGNALED(status))
        return sk_diag_set(diag, SK_DIAG_IO, 0, "%s was killed by signal %d while converting %s",
                           argv[0], WTERMSIG(status), input);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (code == 127)  // where posix_spawnp reports a failed exec as the child's status
            return sk_diag_set(diag, SK_DIAG_IO, 0,
                               "cannot run %s (exit 127): is wabt installed?", argv[0]);
        return sk_diag_set(diag, SK_DIAG_IO, 0, "%s failed on %s (exit %d)", argv[0], input,
                           code);
    }
    return true;
}

bool
wast_convert(const char *wast2json, const char *wast_path, char out_dir[WAST_PATH_SIZE],
             char out_json[WAST_PATH_SIZE], SkDiag *diag)
{
    struct stat st;
    if (stat(wast_path, &st) != 0)
        return sk_diag_set(diag, SK_DIAG_IO, 0, "%s: %s", wast_path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return sk_diag_set(diag, SK_DIAG_IO, 0, "%s: is a directory", wast_path);

    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    int n = snprintf(out_dir, WAST_PATH_SIZE, "%s/skua-wast-XXXXXX", tmp);
    if (n < 0 || n >= WAST_PATH_SIZE)
        return sk_diag_set(diag, SK_DIAG_IO, 0, "TMPDIR path too long");
    if (!mkdtemp(out_dir))
        return sk_diag_set(diag, SK_DIAG_IO, 0, "cannot create a temporary folder in %s: %s",
                           tmp, strerror(errno));
    n = snprintf(out_json, WAST_PATH_SIZE, "%s/script.json", out_dir);

    /* A path starting with '-' would read as an option: make it "./-..." instead. */
    char input[WAST_PATH_SIZE];
    int m = snprintf(input, sizeof(input), "%s%s", wast_path[0] == '-' ? "./" : "", wast_path);
    if (n < 0 || n >= WAST_PATH_SIZE || m < 0 || (size_t)m >= sizeof(input)) {
        wast_tempdir_remove(out_dir);
        return sk_diag_set(diag, SK_DIAG_IO, 0, "%s: path too long", wast_path);
    }
    char *argv[] = {(char *)wast2json, input, (char *)"-o", out_json, NULL};
    if (!run_tool(argv, wast_path, diag)) {
        wast_tempdir_remove(out_dir);
        return false;
    }
    return true;
}
