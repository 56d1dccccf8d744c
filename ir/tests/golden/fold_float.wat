;; Float folding keeps NaN payloads where Wasm keeps them (neg, abs, copysign are bit
;; operations; arithmetic on a NaN gives it quiet); min/max order -0 < +0; x * 1.0 is
;; not folded (a signalling NaN must come out quiet).
(module
  (func $f (param f32) (result f32)
    f32.const nan:0x200001
    f32.neg
    f32.const 1.5
    f32.const 2.25
    f32.add
    f32.add
    f32.const -0
    f32.const 0
    f32.min
    f32.add
    local.get 0
    f32.const 1
    f32.mul
    f32.add)
  (func $g (result f64)
    f64.const nan:0x4000000000001
    f64.const 1
    f64.add
    f64.const 2.5
    f64.nearest
    f64.copysign))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (f32) -> (f32)
;; block0(v0:f32):
;;   v1:f32 = fconst -nan:0x600001
;;   v2:f32 = fconst 1
;;   v3:f32 = fmul v0, v2
;;   v4:f32 = fadd v3, v1
;;   return v4
;;
;; function f1 "g": () -> (f64)
;; block0:
;;   v0:f64 = fconst nan:0xc000000000001
;;   return v0
;;
