/*
 * Files through WASI, in the preopened directory the runner gives as "/work": create, write,
 * read back, seek and tell, pread/pwrite, append mode, truncate, stat/fstat, timestamps
 * (utimensat -> path_filestat_set_times, futimens -> fd_filestat_set_times), rename,
 * link, symlink/readlink, unlink, fsync, and errno for the failures (ENOENT, EEXIST, EISDIR).
 * Prints one line per check; a wrong result prints what it got.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void
check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

int
main(void)
{
    /* stdio: write, read back, seek/tell. */
    FILE *f = fopen("/work/a.txt", "w+");
    check(f != NULL, "fopen w+");
    if (!f)
        return 1;
    for (int i = 0; i < 1000; i++)
        fprintf(f, "line %04d\n", i);
    check(ftell(f) == 10000, "ftell after 1000 lines");
    check(fseek(f, 10 * 500, SEEK_SET) == 0, "fseek");
    char buf[64];
    check(fgets(buf, sizeof buf, f) && !strcmp(buf, "line 0500\n"), "read line 500");
    check(fseek(f, -10, SEEK_END) == 0 && fgets(buf, sizeof buf, f) &&
              !strcmp(buf, "line 0999\n"), "seek from the end");
    fclose(f);

    /* POSIX fds: pread/pwrite leave the offset alone; O_APPEND writes at the end. */
    int fd = open("/work/a.txt", O_RDWR);
    check(fd >= 0, "open O_RDWR");
    check(pwrite(fd, "LINE", 4, 20) == 4, "pwrite");
    check(lseek(fd, 0, SEEK_CUR) == 0, "offset unchanged by pwrite");
    memset(buf, 0, sizeof buf);
    check(pread(fd, buf, 9, 20) == 9 && !strcmp(buf, "LINE 0002"), "pread sees pwrite");
    struct stat st;
    check(fstat(fd, &st) == 0 && st.st_size == 10000 && S_ISREG(st.st_mode), "fstat size 10000");
    check(ftruncate(fd, 25) == 0 && fstat(fd, &st) == 0 && st.st_size == 25, "ftruncate to 25");
    check(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync, fdatasync");
    close(fd);
    fd = open("/work/a.txt", O_WRONLY | O_APPEND);
    check(fd >= 0 && write(fd, "END\n", 4) == 4, "append");
    close(fd);
    check(stat("/work/a.txt", &st) == 0 && st.st_size == 29, "stat after append: 29 bytes");

    /* Timestamps. */
    struct timespec times[2] = {{1000000000, 5}, {1200000000, 7}};
    check(utimensat(AT_FDCWD, "/work/a.txt", times, 0) == 0, "utimensat");
    check(stat("/work/a.txt", &st) == 0 && st.st_atim.tv_sec == 1000000000 &&
              st.st_mtim.tv_sec == 1200000000, "times read back");
    fd = open("/work/a.txt", O_RDONLY);
    struct timespec t2[2] = {{0, UTIME_OMIT}, {1300000000, 0}};
    check(futimens(fd, t2) == 0 && fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1300000000 &&
              st.st_atim.tv_sec == 1000000000, "futimens with UTIME_OMIT");
    close(fd);

    /* Names: rename, hard link, symlink, readlink, unlink. */
    check(rename("/work/a.txt", "/work/b.txt") == 0, "rename");
    check(access("/work/a.txt", F_OK) != 0 && errno == ENOENT, "old name gone (ENOENT)");
    check(link("/work/b.txt", "/work/c.txt") == 0 && stat("/work/c.txt", &st) == 0 &&
              st.st_nlink == 2, "hard link, nlink 2");
    check(symlink("b.txt", "/work/s.txt") == 0, "symlink");
    ssize_t n = readlink("/work/s.txt", buf, sizeof buf);
    check(n == 5 && !memcmp(buf, "b.txt", 5), "readlink");
    check(lstat("/work/s.txt", &st) == 0 && S_ISLNK(st.st_mode), "lstat sees a link");
    check(stat("/work/s.txt", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 29,
          "stat follows it");
    f = fopen("/work/s.txt", "r");
    check(f && fgets(buf, sizeof buf, f) && !strcmp(buf, "line 0000\n"), "read through the link");
    if (f)
        fclose(f);
    check(unlink("/work/s.txt") == 0 && unlink("/work/c.txt") == 0 && unlink("/work/b.txt") == 0,
          "unlink");

    /* Failures and their errno. */
    errno = 0;
    check(open("/work/missing", O_RDONLY) < 0 && errno == ENOENT, "open missing: ENOENT");
    fd = open("/work/new", O_CREAT | O_EXCL | O_WRONLY, 0644);
    check(fd >= 0, "O_CREAT|O_EXCL");
    close(fd);
    errno = 0;
    check(open("/work/new", O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 && errno == EEXIST,
          "O_EXCL again: EEXIST");
    errno = 0;
    check(open("/work", O_WRONLY) < 0 && errno == EISDIR, "write-open a directory: EISDIR");
    unlink("/work/new");

    /* A large file: 1 MiB written in odd-sized chunks, read back and verified. */
    fd = open("/work/big", O_CREAT | O_RDWR | O_TRUNC, 0644);
    static unsigned char chunk[4099];
    size_t total = 0;
    while (total < (1u << 20)) {
        for (size_t i = 0; i < sizeof chunk; i++)
            chunk[i] = (unsigned char)((total + i) * 7);
        size_t want = sizeof chunk;
        if (total + want > (1u << 20))
            want = (1u << 20) - total;
        if (write(fd, chunk, want) != (ssize_t)want)
            break;
        total += want;
    }
    check(total == (1u << 20), "1 MiB written");
    lseek(fd, 0, SEEK_SET);
    int same = 1;
    for (size_t off = 0; off < total && same;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got <= 0) {
            same = 0;
            break;
        }
        for (ssize_t i = 0; i < got; i++)
            if (chunk[i] != (unsigned char)((off + (size_t)i) * 7))
                same = 0;
        off += (size_t)got;
    }
    check(same, "1 MiB read back");
    close(fd);
    unlink("/work/big");
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
