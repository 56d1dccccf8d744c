/*
 * WASI preview1 (the "wasi_snapshot_preview1" import module) for skua's runtime: a WasiCtx
 * holds what a program sees (arguments, environment, stdio, preopened directories, the fd
 * table, the exit code) and one C function per WASI import implements it on the host.
 *
 * Each import function takes the guest's linear memory as (mem, mem_size) plus the wasm
 * arguments (i32 -> uint32_t, i64 -> uint64_t/int64_t) and returns the WASI errno. Every
 * guest pointer and length is checked against mem_size before use: an out-of-range buffer
 * gives WASI_ERRNO_FAULT (as wasmtime does), never a host fault. Unaligned guest pointers
 * are accepted. Paths are resolved inside the directory descriptor they are relative to,
 * component by component (see path.c): no guest path, symlink or ".." reaches outside.
 *
 * This layer depends on libc and the OS only; runtime glue (wasi_glue.c) registers the
 * functions with an instance through the embedding API. A WasiCtx is used by one thread
 * at a time. Nothing here prints, exits or touches process-wide state (signals included:
 * the embedder should ignore SIGPIPE, as wasmtime does, so a write to a closed pipe gives
 * WASI_ERRNO_PIPE instead of killing the process).
 */
#ifndef SKUA_WASI_H
#define SKUA_WASI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/wasi/wasi_abi.h"

typedef struct WasiCtx WasiCtx;

/* ---- context (ctx.c) ---- */

/*
 * Creates a context with no arguments, no environment, no preopens, and fds 0-2 bound to
 * the host's 0-2 (borrowed: closing them in the guest never closes the host's). Returns
 * NULL when out of memory.
 */
WasiCtx *wasi_ctx_new(void);

/* Closes every descriptor the context owns and frees it. NULL is allowed. */
void wasi_ctx_free(WasiCtx *ctx);

/*
 * Sets the program arguments (argv[0] is the program name), copying the strings. Returns
 * false when out of memory or when the total size overflows a u32 (the old ones stay).
 */
bool wasi_ctx_set_args(WasiCtx *ctx, size_t argc, const char *const *argv);

/* Sets the environment from "KEY=VALUE" strings, copying them. Same failures as set_args. */
bool wasi_ctx_set_env(WasiCtx *ctx, size_t envc, const char *const *envp);

/*
 * Binds guest fds 0, 1, 2 to the host descriptors in_fd, out_fd, err_fd. They stay owned by
 * the caller (never closed by the context) and must outlive it. A negative value leaves
 * that guest fd closed.
 */
void wasi_ctx_set_stdio(WasiCtx *ctx, int in_fd, int out_fd, int err_fd);

/*
 * Preopens the host directory host_path under the guest name guest_name (what
 * fd_prestat_dir_name reports; wasi-libc matches absolute guest paths against it) at the
 * next free fd (3, 4, ... in call order). Returns 0, or the host errno (ENOTDIR if it is not
 * a directory, ENOMEM, ...) for the caller to report.
 */
int wasi_ctx_preopen_dir(WasiCtx *ctx, const char *host_path, const char *guest_name);

/* True after the guest called proc_exit; *out_code (if not NULL) gets its exit code. */
bool wasi_ctx_has_exited(const WasiCtx *ctx, uint32_t *out_code);

/* The ABI name of a WASI errno ("NOENT"), or "?" for a value outside the ABI. */
const char *wasi_errno_name(uint16_t err);

/* The WASI errno for a host errno value (ENOENT -> WASI_ERRNO_NOENT); unknown -> IO. */
uint16_t wasi_errno_from_host(int host_errno);

/* ---- the imports: args, environment, clocks, random, process, poll, sockets (proc.c) ---- */

uint16_t wasi_args_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t argv,
                       uint32_t argv_buf);
uint16_t wasi_args_sizes_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t out_argc,
                             uint32_t out_argv_buf_size);
uint16_t wasi_environ_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t env_vec,
                          uint32_t env_buf);
uint16_t wasi_environ_sizes_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size,
                                uint32_t out_count, uint32_t out_buf_size);
uint16_t wasi_clock_res_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t clock_id,
                            uint32_t out_res);
uint16_t wasi_clock_time_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t clock_id,
                             uint64_t precision, uint32_t out_time);
uint16_t wasi_random_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t buf,
                         uint32_t buf_len);
uint16_t wasi_sched_yield(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size);
/*
 * Records the exit code and returns. The caller (the runtime glue) must then stop the guest
 * without running any more of its code, as a trap that carries the code would.
 */
void wasi_proc_exit(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t code);
/* Always WASI_ERRNO_NOSYS: a guest cannot signal the runtime process. */
uint16_t wasi_proc_raise(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t sig);
uint16_t wasi_poll_oneoff(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t in,
                          uint32_t out, uint32_t nsubscriptions, uint32_t out_nevents);
uint16_t wasi_sock_accept(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                          uint32_t flags, uint32_t out_fd);
uint16_t wasi_sock_recv(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                        uint32_t ri_data, uint32_t ri_data_len, uint32_t ri_flags,
                        uint32_t out_ro_datalen, uint32_t out_ro_flags);
uint16_t wasi_sock_send(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                        uint32_t si_data, uint32_t si_data_len, uint32_t si_flags,
                        uint32_t out_so_datalen);
uint16_t wasi_sock_shutdown(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                            uint32_t how);

/* ---- the imports: descriptors (fd.c) ---- */

uint16_t wasi_fd_advise(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                        uint64_t offset, uint64_t len, uint32_t advice);
uint16_t wasi_fd_allocate(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                          uint64_t offset, uint64_t len);
uint16_t wasi_fd_close(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd);
uint16_t wasi_fd_datasync(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd);
uint16_t wasi_fd_fdstat_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                            uint32_t out_fdstat);
uint16_t wasi_fd_fdstat_set_flags(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                                  uint32_t flags);
uint16_t wasi_fd_fdstat_set_rights(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                                   uint64_t rights_base, uint64_t rights_inheriting);
uint16_t wasi_fd_filestat_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                              uint32_t out_filestat);
uint16_t wasi_fd_filestat_set_size(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                                   uint64_t size);
uint16_t wasi_fd_filestat_set_times(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                                    uint64_t atim, uint64_t mtim, uint32_t fst_flags);
uint16_t wasi_fd_pread(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                       uint32_t iovs, uint32_t iovs_len, uint64_t offset, uint32_t out_nread);
uint16_t wasi_fd_prestat_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                             uint32_t out_prestat);
uint16_t wasi_fd_prestat_dir_name(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                                  uint32_t path, uint32_t path_len);
uint16_t wasi_fd_pwrite(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                        uint32_t iovs, uint32_t iovs_len, uint64_t offset,
                        uint32_t out_nwritten);
uint16_t wasi_fd_read(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd, uint32_t iovs,
                      uint32_t iovs_len, uint32_t out_nread);
uint16_t wasi_fd_readdir(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                         uint32_t buf, uint32_t buf_len, uint64_t cookie, uint32_t out_bufused);
uint16_t wasi_fd_renumber(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                          uint32_t to);
uint16_t wasi_fd_seek(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                      int64_t offset, uint32_t whence, uint32_t out_newoffset);
uint16_t wasi_fd_sync(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd);
uint16_t wasi_fd_tell(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                      uint32_t out_offset);
uint16_t wasi_fd_write(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                       uint32_t iovs, uint32_t iovs_len, uint32_t out_nwritten);

/* ---- the imports: paths, always resolved beneath the directory fd (fs.c) ---- */

uint16_t wasi_path_create_directory(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                                    uint32_t path, uint32_t path_len);
uint16_t wasi_path_filestat_get(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                                uint32_t flags, uint32_t path, uint32_t path_len,
                                uint32_t out_filestat);
uint16_t wasi_path_filestat_set_times(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size,
                                      uint32_t fd, uint32_t flags, uint32_t path,
                                      uint32_t path_len, uint64_t atim, uint64_t mtim,
                                      uint32_t fst_flags);
uint16_t wasi_path_link(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t old_fd,
                        uint32_t old_flags, uint32_t old_path, uint32_t old_path_len,
                        uint32_t new_fd, uint32_t new_path, uint32_t new_path_len);
uint16_t wasi_path_open(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                        uint32_t dirflags, uint32_t path, uint32_t path_len, uint32_t oflags,
                        uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags,
                        uint32_t out_fd);
uint16_t wasi_path_readlink(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                            uint32_t path, uint32_t path_len, uint32_t buf, uint32_t buf_len,
                            uint32_t out_bufused);
uint16_t wasi_path_remove_directory(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                                    uint32_t path, uint32_t path_len);
uint16_t wasi_path_rename(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                          uint32_t old_path, uint32_t old_path_len, uint32_t new_fd,
                          uint32_t new_path, uint32_t new_path_len);
uint16_t wasi_path_symlink(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t old_path,
                           uint32_t old_path_len, uint32_t fd, uint32_t new_path,
                           uint32_t new_path_len);
uint16_t wasi_path_unlink_file(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size, uint32_t fd,
                               uint32_t path, uint32_t path_len);

/* ---- the import table (imports.c) ---- */

/*
 * A uniform entry point for an import: args[i] holds wasm parameter i (an i32 zero-extended,
 * an i64 as is). Returns the errno (proc_exit's entry returns 0; check wasi_ctx_has_exited).
 */
typedef uint16_t (*WasiThunk)(WasiCtx *ctx, uint8_t *mem, uint64_t mem_size,
                              const uint64_t *args);

typedef struct WasiImport {
    const char *name;    // field name in the "wasi_snapshot_preview1" module
    const char *params;  // one letter per wasm parameter: 'i' = i32, 'I' = i64
    const char *results; // "i" (the errno), or "" for proc_exit
    WasiThunk call;
} WasiImport;

#define WASI_MODULE_NAME "wasi_snapshot_preview1"

/* Every preview1 import, sorted by name. */
extern const WasiImport wasi_imports[];
extern const size_t wasi_nimports;

/* The entry named `name` (len bytes, not NUL-terminated), or NULL. */
const WasiImport *wasi_import_find(const char *name, size_t len);

#endif
