;; A branch without values to a block label: the translator's add_edge (frontend/translate.c)
;; computed `t->edge_vals.data + t->edge_vals.len` while the vector was still empty
;; (data == NULL), which clang's UndefinedBehaviorSanitizer reports as "applying zero offset
;; to null pointer" (gcc's does not check it). Under the clang fuzz build (SKUA_FUZZ=ON) every
;; module with such a branch was refused, so difffuzz failed on every seed.
(module (func (export "f") (result i32) (block (br 0)) (i32.const 1)))
(assert_return (invoke "f") (i32.const 1))
