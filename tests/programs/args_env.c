/*
 * Arguments and environment through WASI (args_get/args_sizes_get, environ_get/
 * environ_sizes_get): argv[0] is the module's base name, arguments keep their bytes
 * (spaces, empty strings, UTF-8), the environment is exactly what --env gave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int
cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
    printf("argc %d\n", argc);
    printf("argv[0] = [%s]\n", argv[0]);
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = [%s] (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    int n = 0;
    while (environ[n])
        n++;
    char **sorted = malloc((size_t)(n + 1) * sizeof(char *));
    memcpy(sorted, environ, (size_t)n * sizeof(char *));
    qsort(sorted, (size_t)n, sizeof(char *), cmp);
    printf("%d environment variables\n", n);
    for (int i = 0; i < n; i++)
        printf("env: %s\n", sorted[i]);
    const char *g = getenv("GREETING");
    printf("getenv(GREETING) = %s\n", g ? g : "(unset)");
    printf("getenv(HOME) = %s\n", getenv("HOME") ? getenv("HOME") : "(unset, not the host's)");
    free(sorted);
    return 0;
}
