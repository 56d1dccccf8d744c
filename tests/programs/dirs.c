/*
 * Directories through WASI, in the preopened "/work": mkdir (nested), readdir listings
 * (fd_readdir, with more entries than one buffer holds), stat of a directory, rmdir of a
 * non-empty directory (ENOTEMPTY) and of an empty one, rename of a directory, and chdir-free
 * relative paths through wasi-libc's preopen lookup.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the sorted entries of `path` (without . and ..). */
static void
list(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        printf("opendir %s: %s\n", path, strerror(errno));
        return;
    }
    char *names[400];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 400)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof(char *), cmp);
    printf("%s: %d entries:", path, n);
    for (int i = 0; i < n; i++) {
        if (i < 8 || i == n - 1)
            printf(" %s", names[i]);
        else if (i == 8)
            printf(" ...");
        free(names[i]);
    }
    putchar('\n');
}

int
main(void)
{
    printf("mkdir /work/d: %d\n", mkdir("/work/d", 0755));
    printf("mkdir /work/d/e: %d\n", mkdir("/work/d/e", 0755));
    printf("mkdir /work/d again: %d %s\n", mkdir("/work/d", 0755), strerror(errno));
    struct stat st;
    printf("stat /work/d: %d, directory %d\n", stat("/work/d", &st), S_ISDIR(st.st_mode));
    for (int i = 0; i < 300; i++) {
        char name[64];
        snprintf(name, sizeof name, "/work/d/file%03d", i);
        int fd = open(name, O_CREAT | O_WRONLY, 0644);
        if (fd < 0 || close(fd) != 0)
            printf("create %s failed: %s\n", name, strerror(errno));
    }
    list("/work/d");
    list("/work/d/e");
    list("/work");
    errno = 0;
    printf("rmdir non-empty: %d %s\n", rmdir("/work/d"), errno == ENOTEMPTY ? "ENOTEMPTY"
                                                                         : strerror(errno));
    printf("rename dir: %d\n", rename("/work/d/e", "/work/e2"));
    list("/work");
    printf("rmdir empty: %d\n", rmdir("/work/e2"));
    for (int i = 0; i < 300; i++) {
        char name[64];
        snprintf(name, sizeof name, "/work/d/file%03d", i);
        unlink(name);
    }
    printf("rmdir emptied: %d\n", rmdir("/work/d"));
    list("/work");
    errno = 0;
    printf("opendir missing: %s\n", opendir("/work/nope") ? "opened" : strerror(errno));
    return 0;
}
