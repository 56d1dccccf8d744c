/*
 * The no-mutable-globals test's own proof that it can fail (tests/globals/check_globals.py
 * --self-test): one symbol of each kind the check must tell apart. Mutable, so reported:
 * sg_counter (.bss), sg_hidden (.data), sg_tls (.tbss), sg_calls (a function-local static).
 * Read-only, so not reported: sg_table (.rodata) and sg_names (.data.rel.ro in PIC builds,
 * .rodata otherwise).
 */
#include <stddef.h>

int sg_counter;
static int sg_hidden = 3;
_Thread_local int sg_tls;
static const int sg_table[4] = {1, 2, 3, 4};
static const char *const sg_names[] = {"one", "two"};

int sg_touch(size_t i);

/* Uses every symbol, so none is optimised away. */
int
sg_touch(size_t i)
{
    static int sg_calls;
    sg_calls++;
    sg_counter += sg_hidden++;
    sg_tls += sg_calls;
    return sg_table[i % 4] + (int)sg_names[i % 2][0] + sg_counter + sg_tls;
}
