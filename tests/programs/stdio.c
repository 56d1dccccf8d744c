/*
 * stdio through WASI: formatted output on stdout, diagnostics on stderr, line input from
 * stdin (fd_read), and no host file reachable without a preopen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(void)
{
    printf("hello, %s! %d %5.2f %x %c\n", "stdio", 42, 3.14159, 0xbeef, 'z');
    fprintf(stderr, "to stderr: %s\n", "ok");

    /* Sum the numbers on stdin, one per line; echo each line upper-cased. */
    char line[256];
    long sum = 0;
    int lines = 0;
    while (fgets(line, sizeof line, stdin)) {
        for (char *c = line; *c; c++)
            if (*c >= 'a' && *c <= 'z')
                *c = (char)(*c - 'a' + 'A');
        fputs(line, stdout);
        sum += strtol(line, NULL, 10);
        lines++;
    }
    printf("%d lines, sum %ld\n", lines, sum);

    FILE *null = fopen("/dev/null", "w");  // no preopen: refused, not a host file
    printf("fopen outside the sandbox: %s\n", null ? "opened" : "refused");
    fflush(stdout);
    fputs("last line on stderr\n", stderr);
    return 0;
}
