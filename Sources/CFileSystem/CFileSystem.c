// rkat: atomic renames for output folders, relative to the output's parent folder. GPL-3.0-or-later.
#define _GNU_SOURCE
#include "CFileSystem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int rename2(int dir, const char *from, const char *to, unsigned int flags) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, dir, from, dir, to, flags);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int rkat_renameat_exchange(int dir, const char *a, const char *b) { return rename2(dir, a, b, RENAME_EXCHANGE); }
int rkat_renameat_noreplace(int dir, const char *from, const char *to) { return rename2(dir, from, to, RENAME_NOREPLACE); }

#elif defined(__APPLE__)
int rkat_renameat_exchange(int dir, const char *a, const char *b) { return renameatx_np(dir, a, dir, b, RENAME_SWAP); }
int rkat_renameat_noreplace(int dir, const char *from, const char *to) { return renameatx_np(dir, from, dir, to, RENAME_EXCL); }

#else
int rkat_renameat_exchange(int dir, const char *a, const char *b) { (void)dir; (void)a; (void)b; errno = ENOSYS; return -1; }
int rkat_renameat_noreplace(int dir, const char *from, const char *to) { (void)dir; (void)from; (void)to; errno = ENOSYS; return -1; }
#endif
