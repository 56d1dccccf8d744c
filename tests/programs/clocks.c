/*
 * Clocks, sleeping and randomness through WASI: the monotonic clock never goes back,
 * nanosleep (poll_oneoff) sleeps at least as long as asked, the realtime clock agrees with
 * the host's (the runner passes the host's time in HOST_TIME), resolutions are sane, and
 * getentropy (random_get) fills its buffer. Only pass/fail lines are printed, so the output
 * is the same on every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void
check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

static long long
ns(struct timespec t)
{
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int
main(void)
{
    struct timespec a, b, res;
    check(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "monotonic clock");
    long long prev = ns(a);
    int backwards = 0;
    for (int i = 0; i < 10000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (ns(b) < prev)
            backwards++;
        prev = ns(b);
    }
    check(backwards == 0, "monotonic clock never goes back");
    check(clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns(res) > 0 && ns(res) <= 1000000,
          "monotonic resolution in (0, 1 ms]");
    check(clock_getres(CLOCK_REALTIME, &res) == 0 && ns(res) > 0, "realtime resolution");

    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec req = {0, 50 * 1000000};  // 50 ms
    check(nanosleep(&req, NULL) == 0, "nanosleep");
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long slept = ns(b) - ns(a);
    check(slept >= 50000000LL, "slept at least 50 ms");
    check(slept < 5000000000LL, "and less than 5 s");

    struct timespec now;
    check(clock_gettime(CLOCK_REALTIME, &now) == 0, "realtime clock");
    const char *host = getenv("HOST_TIME");
    long long host_s = host ? atoll(host) : 0;
    check(host_s > 0 && llabs((long long)now.tv_sec - host_s) < 600,
          "realtime within 10 minutes of the host's");
    check(time(NULL) >= host_s - 600, "time()");

    unsigned char r1[64], r2[64];
    memset(r1, 0, sizeof r1);
    memset(r2, 0, sizeof r2);
    check(getentropy(r1, sizeof r1) == 0 && getentropy(r2, sizeof r2) == 0, "getentropy");
    int zeros = 0;
    for (size_t i = 0; i < sizeof r1; i++)
        zeros += r1[i] == 0;
    check(zeros < 16 && memcmp(r1, r2, sizeof r1) != 0, "random bytes differ between calls");
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
