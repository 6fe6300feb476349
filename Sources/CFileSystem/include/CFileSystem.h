// rkat: the two renames that make replacing an output folder atomic. GPL-3.0-or-later.
// Swift cannot call the variadic syscall(2), and glibc declares renameat2 only under _GNU_SOURCE,
// so these live in a tiny C target of their own.
#ifndef RKAT_CFILESYSTEM_H
#define RKAT_CFILESYSTEM_H

/// Swaps two existing paths in one step (Linux renameat2 RENAME_EXCHANGE, macOS RENAME_SWAP).
/// Returns 0, or -1 with errno set (EINVAL/ENOSYS/ENOTSUP where the file system cannot).
int rkat_rename_exchange(const char *a, const char *b);

/// Renames `from` to `to` only if `to` does not exist (RENAME_NOREPLACE / RENAME_EXCL).
/// Returns 0, or -1 with errno set (EEXIST when `to` exists).
int rkat_rename_noreplace(const char *from, const char *to);

#endif
