;; Imports something nobody provides: `skua run` must fail to link (exit 1).
(module
  (import "env" "missing_function" (func))
  (func (export "_start")))
