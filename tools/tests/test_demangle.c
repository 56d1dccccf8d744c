/*
 * cli_demangle (tools/demangle.c): Rust legacy symbols as rustc writes them, each escape,
 * the crate hash dropped only as the last element, suffixes kept; and everything that is not
 * such a symbol (C names, C++ names with parameters, Rust v0, truncated or malformed input)
 * gives NULL, never a crash or a read past the end (this test runs under ASan+UBSan in CI).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tools/cli.h"

static void
expect(const char *sym, const char *want)
{
    char *got = cli_demangle(sym);
    if (want == NULL) {
        CHECK(got == NULL);
        if (got)
            fprintf(stderr, "  %s -> '%s', expected NULL\n", sym, got);
    } else {
        CHECK(got != NULL);
        if (got)
            CHECK_STR(got, want);
        else
            fprintf(stderr, "  %s -> NULL, expected '%s'\n", sym, want);
    }
    free(got);
}

static void
test_rust_names(void)
{
    expect("_ZN4core9panicking5panic17h0123456789abcdefE", "core::panicking::panic");
    expect("_ZN3std2rt10lang_start17h9e8d7c6b5a493827E", "std::rt::lang_start");
    /* Trait impls: <T as Trait>::method, with $LT$ $GT$ $u20$ and ".." inside an element. */
    expect("_ZN70_$LT$alloc..vec..Vec$LT$T$C$A$GT$$u20$as$u20$core..ops..drop..Drop$GT$4drop"
           "17h0d5a5a5a5a5a5a5aE",
           "<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop");
    /* Closures and shims: {{closure}} is written with $u7b$ $u7d$. */
    expect("_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h1111111111111111E",
           "std::rt::lang_start::{{closure}}");
    /* Every named escape, and a code point past ASCII (U+00E9, U+1F600) as UTF-8. */
    expect("_ZN1a20$SP$$BP$$RF$$LP$$RP$E", "a::@*&()");
    expect("_ZN3foo8caf$ue9$E", "foo::caf\xc3\xa9");
    expect("_ZN3foo9x$u1f600$E", "foo::x\xf0\x9f\x98\x80");
    /* A leading "_$" drops the underscore; a single '.' stays. */
    expect("_ZN3foo10_$LT$a$GT$E", "foo::<a>");
    expect("_ZN3foo3a.bE", "foo::a.b");
    /* The hash is dropped only as the last of several elements and only when it is one. */
    expect("_ZN17h0123456789abcdefE", "h0123456789abcdef");
    expect("_ZN3foo17h0123456789abcdef3barE", "foo::h0123456789abcdef::bar");
    expect("_ZN3foo17h0123456789abcdegE", "foo::h0123456789abcdeg");
    expect("_ZN3foo3barE", "foo::bar");
    /* Other prefixes and a suffix after 'E'. */
    expect("__ZN3foo3barE", "foo::bar");
    expect("ZN3foo3barE", "foo::bar");
    expect("_ZN3foo3bar17h0123456789abcdefE.llvm.12345", "foo::bar.llvm.12345");
}

static void
test_not_demangled(void)
{
    expect("main", NULL);
    expect("", NULL);
    expect("_Z3fooi", NULL);          // C++ free function
    expect("_ZN3foo3barEi", NULL);    // C++ member with a parameter
    expect("_RNvCs1234_7mycrate3foo", NULL);  // Rust v0: printed as it is
    expect("_ZN", NULL);
    expect("_ZNE", NULL);             // no element
    expect("_ZN3foo", NULL);          // no 'E'
    expect("_ZN3fo", NULL);           // element past the end
    expect("_ZN03fooE", NULL);        // leading zero
    expect("_ZN99999999999999999999fooE", NULL);  // length overflow
    expect("_ZN4a$LTE", NULL);        // unterminated escape
    expect("_ZN4$XX$E", NULL);        // unknown escape
    expect("_ZN7$ud800$E", NULL);     // surrogate
    expect("_ZN9$u110000$E", NULL);   // past U+10FFFF
    expect("_ZN3$u$E", NULL);         // no digits
}

int
main(void)
{
    test_rust_names();
    test_not_demangled();
    return check_exit();
}
