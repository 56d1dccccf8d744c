/*
 * Exit codes: exit(N) becomes the process exit status (proc_exit), returning from main is
 * exit(0), and output written before exit() is flushed.
 */
#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
    if (argc < 2) {
        puts("returning from main");
        return 0;
    }
    int code = atoi(argv[1]);
    printf("exiting with %d\n", code);
    exit(code);
}
