/*
 * The table of every wasi_snapshot_preview1 import: its name, its wasm signature, and a
 * thunk that unpacks a uniform argument array into the typed C function. The runtime glue
 * registers host functions from this table alone, so adding an import is one row here.
 * Signatures follow the preview1 witx: pointers, lengths, u8/u16/u32 values and fds are
 * i32; filesize, timestamp, rights, dircookie, filedelta and userdata are i64.
 */
#include <string.h>

#include "runtime/wasi/wasi.h"

/* wasm parameter i as the C type of the import's prototype */
#define A32(i) ((uint32_t)a[i])
#define A64(i) (a[i])

static uint16_t
t_args_get(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_args_get(c, m, s, A32(0), A32(1));
}

static uint16_t
t_args_sizes_get(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_args_sizes_get(c, m, s, A32(0), A32(1));
}

static uint16_t
t_clock_res_get(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_clock_res_get(c, m, s, A32(0), A32(1));
}

static uint16_t
t_clock_time_get(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_clock_time_get(c, m, s, A32(0), A64(1), A32(2));
}

static uint16_t
t_environ_get(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_environ_get(c, m, s, A32(0), A32(1));
}

static uint16_t
t_environ_sizes_get(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_environ_sizes_get(c, m, s, A32(0), A32(1));
}

static uint16_t
t_fd_advise(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_advise(c, m, s, A32(0), A64(1), A64(2), A32(3));
}

static uint16_t
t_fd_allocate(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_allocate(c, m, s, A32(0), A64(1), A64(2));
}

static uint16_t
t_fd_close(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_close(c, m, s, A32(0));
}

static uint16_t
t_fd_datasync(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_datasync(c, m, s, A32(0));
}

static uint16_t
t_fd_fdstat_get(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_fdstat_get(c, m, s, A32(0), A32(1));
}

static uint16_t
t_fd_fdstat_set_flags(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_fdstat_set_flags(c, m, s, A32(0), A32(1));
}

static uint16_t
t_fd_fdstat_set_rights(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_fdstat_set_rights(c, m, s, A32(0), A64(1), A64(2));
}

static uint16_t
t_fd_filestat_get(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_filestat_get(c, m, s, A32(0), A32(1));
}

static uint16_t
t_fd_filestat_set_size(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_filestat_set_size(c, m, s, A32(0), A64(1));
}

static uint16_t
t_fd_filestat_set_times(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_filestat_set_times(c, m, s, A32(0), A64(1), A64(2), A32(3));
}

static uint16_t
t_fd_pread(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_pread(c, m, s, A32(0), A32(1), A32(2), A64(3), A32(4));
}

static uint16_t
t_fd_prestat_dir_name(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_prestat_dir_name(c, m, s, A32(0), A32(1), A32(2));
}

static uint16_t
t_fd_prestat_get(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_prestat_get(c, m, s, A32(0), A32(1));
}

static uint16_t
t_fd_pwrite(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_pwrite(c, m, s, A32(0), A32(1), A32(2), A64(3), A32(4));
}

static uint16_t
t_fd_read(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_read(c, m, s, A32(0), A32(1), A32(2), A32(3));
}

static uint16_t
t_fd_readdir(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_readdir(c, m, s, A32(0), A32(1), A32(2), A64(3), A32(4));
}

static uint16_t
t_fd_renumber(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_renumber(c, m, s, A32(0), A32(1));
}

static uint16_t
t_fd_seek(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_seek(c, m, s, A32(0), (int64_t)A64(1), A32(2), A32(3));
}

static uint16_t
t_fd_sync(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_sync(c, m, s, A32(0));
}

static uint16_t
t_fd_tell(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_tell(c, m, s, A32(0), A32(1));
}

static uint16_t
t_fd_write(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_fd_write(c, m, s, A32(0), A32(1), A32(2), A32(3));
}

static uint16_t
t_path_create_directory(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_path_create_directory(c, m, s, A32(0), A32(1), A32(2));
}

static uint16_t
t_path_filestat_get(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_path_filestat_get(c, m, s, A32(0), A32(1), A32(2), A32(3), A32(4));
}

static uint16_t
t_path_filestat_set_times(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_path_filestat_set_times(c, m, s, A32(0), A32(1), A32(2), A32(3), A64(4), A64(5), A32(6));
}

static uint16_t
t_path_link(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_path_link(c, m, s, A32(0), A32(1), A32(2), A32(3), A32(4), A32(5), A32(6));
}

static uint16_t
t_path_open(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_path_open(c, m, s, A32(0), A32(1), A32(2), A32(3), A32(4), A64(5), A64(6), A32(7), A32(8));
}

static uint16_t
t_path_readlink(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_path_readlink(c, m, s, A32(0), A32(1), A32(2), A32(3), A32(4), A32(5));
}

static uint16_t
t_path_remove_directory(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_path_remove_directory(c, m, s, A32(0), A32(1), A32(2));
}

static uint16_t
t_path_rename(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_path_rename(c, m, s, A32(0), A32(1), A32(2), A32(3), A32(4), A32(5));
}

static uint16_t
t_path_symlink(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_path_symlink(c, m, s, A32(0), A32(1), A32(2), A32(3), A32(4));
}

static uint16_t
t_path_unlink_file(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_path_unlink_file(c, m, s, A32(0), A32(1), A32(2));
}

static uint16_t
t_poll_oneoff(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_poll_oneoff(c, m, s, A32(0), A32(1), A32(2), A32(3));
}

static uint16_t
t_proc_exit(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    wasi_proc_exit(c, m, s, A32(0));
    return WASI_ERRNO_SUCCESS;
}

static uint16_t
t_proc_raise(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_proc_raise(c, m, s, A32(0));
}

static uint16_t
t_random_get(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_random_get(c, m, s, A32(0), A32(1));
}

static uint16_t
t_sched_yield(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    (void)a;
    return wasi_sched_yield(c, m, s);
}

static uint16_t
t_sock_accept(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_sock_accept(c, m, s, A32(0), A32(1), A32(2));
}

static uint16_t
t_sock_recv(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_sock_recv(c, m, s, A32(0), A32(1), A32(2), A32(3), A32(4), A32(5));
}

static uint16_t
t_sock_send(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_sock_send(c, m, s, A32(0), A32(1), A32(2), A32(3), A32(4));
}

static uint16_t
t_sock_shutdown(WasiCtx *c, uint8_t *m, uint64_t s, const uint64_t *a)
{
    return wasi_sock_shutdown(c, m, s, A32(0), A32(1));
}

const WasiImport wasi_imports[] = {
    {"args_get", "ii", "i", t_args_get},
    {"args_sizes_get", "ii", "i", t_args_sizes_get},
    {"clock_res_get", "ii", "i", t_clock_res_get},
    {"clock_time_get", "iIi", "i", t_clock_time_get},
    {"environ_get", "ii", "i", t_environ_get},
    {"environ_sizes_get", "ii", "i", t_environ_sizes_get},
    {"fd_advise", "iIIi", "i", t_fd_advise},
    {"fd_allocate", "iII", "i", t_fd_allocate},
    {"fd_close", "i", "i", t_fd_close},
    {"fd_datasync", "i", "i", t_fd_datasync},
    {"fd_fdstat_get", "ii", "i", t_fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii", "i", t_fd_fdstat_set_flags},
    {"fd_fdstat_set_rights", "iII", "i", t_fd_fdstat_set_rights},
    {"fd_filestat_get", "ii", "i", t_fd_filestat_get},
    {"fd_filestat_set_size", "iI", "i", t_fd_filestat_set_size},
    {"fd_filestat_set_times", "iIIi", "i", t_fd_filestat_set_times},
    {"fd_pread", "iiiIi", "i", t_fd_pread},
    {"fd_prestat_dir_name", "iii", "i", t_fd_prestat_dir_name},
    {"fd_prestat_get", "ii", "i", t_fd_prestat_get},
    {"fd_pwrite", "iiiIi", "i", t_fd_pwrite},
    {"fd_read", "iiii", "i", t_fd_read},
    {"fd_readdir", "iiiIi", "i", t_fd_readdir},
    {"fd_renumber", "ii", "i", t_fd_renumber},
    {"fd_seek", "iIii", "i", t_fd_seek},
    {"fd_sync", "i", "i", t_fd_sync},
    {"fd_tell", "ii", "i", t_fd_tell},
    {"fd_write", "iiii", "i", t_fd_write},
    {"path_create_directory", "iii", "i", t_path_create_directory},
    {"path_filestat_get", "iiiii", "i", t_path_filestat_get},
    {"path_filestat_set_times", "iiiiIIi", "i", t_path_filestat_set_times},
    {"path_link", "iiiiiii", "i", t_path_link},
    {"path_open", "iiiiiIIii", "i", t_path_open},
    {"path_readlink", "iiiiii", "i", t_path_readlink},
    {"path_remove_directory", "iii", "i", t_path_remove_directory},
    {"path_rename", "iiiiii", "i", t_path_rename},
    {"path_symlink", "iiiii", "i", t_path_symlink},
    {"path_unlink_file", "iii", "i", t_path_unlink_file},
    {"poll_oneoff", "iiii", "i", t_poll_oneoff},
    {"proc_exit", "i", "", t_proc_exit},
    {"proc_raise", "i", "i", t_proc_raise},
    {"random_get", "ii", "i", t_random_get},
    {"sched_yield", "", "i", t_sched_yield},
    {"sock_accept", "iii", "i", t_sock_accept},
    {"sock_recv", "iiiiii", "i", t_sock_recv},
    {"sock_send", "iiiii", "i", t_sock_send},
    {"sock_shutdown", "ii", "i", t_sock_shutdown},
};

const size_t wasi_nimports = sizeof(wasi_imports) / sizeof(wasi_imports[0]);

const WasiImport *
wasi_import_find(const char *name, size_t len)
{
    for (size_t i = 0; i < wasi_nimports; i++) {
        const char *n = wasi_imports[i].name;
        if (strlen(n) == len && memcmp(n, name, len) == 0)
            return &wasi_imports[i];
    }
    return NULL;
}
