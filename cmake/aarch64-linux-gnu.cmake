# Cross build for aarch64 Linux with Debian's gcc-aarch64-linux-gnu; tests run under
# qemu-user (CMAKE_CROSSCOMPILING_EMULATOR), so `ctest` works unchanged:
#   cmake -S . -B build-aarch64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(SKUA_CROSS_PREFIX aarch64-linux-gnu-)
set(CMAKE_C_COMPILER ${SKUA_CROSS_PREFIX}gcc)
set(CMAKE_ASM_COMPILER ${SKUA_CROSS_PREFIX}gcc)
set(SKUA_AARCH64_SYSROOT /usr/aarch64-linux-gnu CACHE PATH "aarch64 libraries for qemu -L")
set(CMAKE_FIND_ROOT_PATH ${SKUA_AARCH64_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Never pick up the host's pkg-config modules (e.g. an x86_64 Capstone).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L ${SKUA_AARCH64_SYSROOT})
