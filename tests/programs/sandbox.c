/*
 * The sandbox: the runner preopens only SANDBOX as "/sandbox" and puts a secret file beside
 * it (outside/secret.txt), plus symlinks inside the sandbox that point out of it, relatively
 * and absolutely (argv[1] is the host path of the folder holding both). Every way out must be
 * refused: "..", absolute guest paths, absolute host paths, symlinks to files and to
 * directories, writes and renames through them. Prints "refused" or "ESCAPED" per attempt;
 * the runner also checks that nothing outside the sandbox changed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int escapes;

/* Tries to open and read `path` (shown as `label`); anything read is an escape unless
 * `inside`. */
static void
try_read_as(const char *path, const char *label, int inside)
{
    int fd = open(path, O_RDONLY);
    char buf[64] = {0};
    if (fd < 0) {
        printf("read %-40s %s\n", label, inside ? "FAILED (should work)" : "refused");
        if (inside)
            escapes++;
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (inside) {
        printf("read %-40s ok: %s", label, n > 0 ? buf : "(empty)\n");
    } else {
        printf("read %-40s ESCAPED: %s", label, n > 0 ? buf : "(empty)\n");
        escapes++;
    }
}

static void
try_read(const char *path, int inside)
{
    try_read_as(path, path, inside);
}

static void
expect_refused(const char *what, int result)
{
    printf("%-45s %s\n", what, result < 0 ? "refused" : "ESCAPED");
    if (result >= 0)
        escapes++;
}

int
main(int argc, char **argv)
{
    const char *host = argc > 1 ? argv[1] : "/tmp";
    char path[1024];

    try_read("/sandbox/inside.txt", 1);
    try_read("/sandbox/../outside/secret.txt", 0);
    try_read("/sandbox/sub/../../outside/secret.txt", 0);
    try_read("/sandbox/./sub/../..//outside/secret.txt", 0);
    try_read("/outside/secret.txt", 0);
    snprintf(path, sizeof path, "%s/outside/secret.txt", host);
    try_read_as(path, "HOST/outside/secret.txt", 0);
    try_read("/sandbox/link_out", 0);
    try_read("/sandbox/abs_link", 0);
    try_read("/sandbox/dir_link/secret.txt", 0);
    try_read("/sandbox/sub/link_up/outside/secret.txt", 0);

    struct stat st;
    expect_refused("stat through link_out", stat("/sandbox/link_out", &st));
    printf("%-45s %s\n", "lstat of link_out itself (inside)",
           lstat("/sandbox/link_out", &st) == 0 && S_ISLNK(st.st_mode) ? "ok" : "FAILED");
    DIR *d = opendir("/sandbox/dir_link");
    expect_refused("opendir through dir_link", d ? 0 : -1);
    if (d)
        closedir(d);
    d = opendir("/sandbox/..");
    expect_refused("opendir /sandbox/..", d ? 0 : -1);
    if (d)
        closedir(d);

    /* Writes and renames out of the sandbox. */
    expect_refused("write through link_out", open("/sandbox/link_out", O_WRONLY | O_TRUNC));
    expect_refused("create ../outside/new.txt",
                   open("/sandbox/../outside/new.txt", O_CREAT | O_WRONLY, 0644));
    expect_refused("create through dir_link", open("/sandbox/dir_link/new.txt",
                                                   O_CREAT | O_WRONLY, 0644));
    expect_refused("mkdir ../escape", mkdir("/sandbox/../escape", 0755));
    expect_refused("rename inside.txt out", rename("/sandbox/inside.txt",
                                                   "/sandbox/../outside/moved.txt"));
    expect_refused("rename secret in", rename("/sandbox/../outside/secret.txt",
                                              "/sandbox/stolen.txt"));
    expect_refused("unlink through dir_link", unlink("/sandbox/dir_link/secret.txt"));
    expect_refused("hard link to ../outside/secret.txt",
                   link("/sandbox/../outside/secret.txt", "/sandbox/hard"));
    expect_refused("hard link following link_out",
                   linkat(AT_FDCWD, "/sandbox/link_out", AT_FDCWD, "/sandbox/hard",
                          AT_SYMLINK_FOLLOW));

    /* A symlink the guest makes itself, pointing out: following it is refused. */
    symlink("../outside/secret.txt", "/sandbox/made_link");
    snprintf(path, sizeof path, "%s/outside/secret.txt", host);
    symlink(path, "/sandbox/made_abs_link");
    try_read("/sandbox/made_link", 0);
    try_read("/sandbox/made_abs_link", 0);

    printf("%d escapes\n", escapes);
    return escapes ? 1 : 0;
}
