// rkat: the renames that make replacing an output folder atomic. GPL-3.0-or-later.
// Swift cannot call the variadic syscall(2), and glibc declares renameat2 only under _GNU_SOURCE,
// so these live in a tiny C target of their own. Both names are relative to one open folder (`dir`),
// the output's parent as resolved once, so no later step can reach another place.
#ifndef RKAT_CFILESYSTEM_H
#define RKAT_CFILESYSTEM_H

/// Swaps two existing entries of the folder `dir` in one step (Linux renameat2 RENAME_EXCHANGE,
/// macOS renameatx_np RENAME_SWAP). Returns 0, or -1 with errno set (EINVAL/ENOSYS/ENOTSUP where
/// the file system cannot).
int rkat_renameat_exchange(int dir, const char *a, const char *b);

/// Renames `from` to `to` inside the folder `dir` only if `to` does not exist (RENAME_NOREPLACE /
/// RENAME_EXCL). Returns 0, or -1 with errno set (EEXIST when `to` exists).
int rkat_renameat_noreplace(int dir, const char *from, const char *to);

#endif
