#!/usr/bin/env python3
"""The file work of scripts/mutate.sh: parse the mutant list, select, sync the scratch tree, apply and
restore one mutant. Not meant to be run by hand."""
import os
import random
import shutil
import sys

SKIP = {".git", ".build", ".swiftpm", "outputs"}


def parse(path):
    mutants, current = [], {}
    for raw in open(path, encoding="utf-8").read().split("\n") + [""]:
        line = raw.rstrip("\n")
        if line.startswith("#"):
            continue
        if line.strip() == "":
            if current:
                mutants.append(current)
                current = {}
            continue
        key, sep, value = line.partition(":")
        if not sep or key not in ("id", "file", "from", "to", "tests", "why"):
            sys.exit(f"mutate: {path}: cannot read line: {line}")
        current[key] = value[1:] if value.startswith(" ") else value
    for m in mutants:
        missing = [k for k in ("id", "file", "from", "to", "tests") if k not in m]
        if missing:
            sys.exit(f"mutate: {path}: mutant {m.get('id', '?')} lacks {', '.join(missing)}")
    ids = [m["id"] for m in mutants]
    if len(ids) != len(set(ids)):
        sys.exit(f"mutate: {path}: duplicate ids")
    return mutants


def files(top):
    for d, dirs, names in os.walk(top):
        dirs[:] = [x for x in dirs if x not in SKIP]
        for n in names:
            yield os.path.relpath(os.path.join(d, n), top)


def same(a, b):
    if not os.path.exists(b) or os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def seed_build(src, dst):
    """A new scratch tree gets the package checkouts of the working tree's .build (no network), not its
    build products (their module caches name the working tree's path)."""
    a, b = os.path.join(src, ".build"), os.path.join(dst, ".build")
    if os.path.exists(b) or not os.path.isdir(a):
        return
    os.makedirs(b)
    for name in ("checkouts", "repositories", "artifacts", "workspace-state.json"):
        if os.path.isdir(os.path.join(a, name)):
            shutil.copytree(os.path.join(a, name), os.path.join(b, name), symlinks=True)
        elif os.path.exists(os.path.join(a, name)):
            shutil.copy2(os.path.join(a, name), os.path.join(b, name))


def sync(src, dst):
    seed_build(src, dst)
    wanted = set(files(src))
    for rel in wanted:
        a, b = os.path.join(src, rel), os.path.join(dst, rel)
        if not same(a, b):
            os.makedirs(os.path.dirname(b), exist_ok=True)
            shutil.copyfile(a, b)
            shutil.copymode(a, b)
    for rel in list(files(dst)):
        if rel not in wanted:
            os.remove(os.path.join(dst, rel))


def main():
    cmd = sys.argv[1]
    if cmd == "sync":
        sync(sys.argv[2], sys.argv[3])
    elif cmd == "select":
        path, mode, n, seed, only = sys.argv[2:7]
        mutants = parse(path)
        if mode == "sample":
            chosen = random.Random(int(seed)).sample(mutants, min(int(n), len(mutants)))
        elif mode == "only":
            names = only.split(",")
            unknown = [x for x in names if x not in {m["id"] for m in mutants}]
            if unknown:
                sys.exit(f"mutate: no mutant {', '.join(unknown)}")
            chosen = [m for m in mutants if m["id"] in names]
        else:
            chosen = mutants
        for m in chosen:
            print(f"{m['id']}\t{m['file']}\t{m['tests']}")
    elif cmd == "check":
        # Every mutant of the list, sampled or not: its snippet occurs exactly once.
        path, tree = sys.argv[2:4]
        for m in parse(path):
            target = os.path.join(tree, m["file"])
            count = open(target, encoding="utf-8").read().count(m["from"]) if os.path.exists(target) else -1
            if count != 1:
                print(f"{m['id']}\t{'no such file' if count < 0 else 'snippet not found' if count == 0 else f'snippet found {count} times'}")
    elif cmd == "apply":
        path, mid, tree = sys.argv[2:5]
        m = next(x for x in parse(path) if x["id"] == mid)
        target = os.path.join(tree, m["file"])
        if not os.path.exists(target):
            print("no such file")
            return
        text = open(target, encoding="utf-8").read()
        count = text.count(m["from"])
        if count != 1:
            print("snippet not found" if count == 0 else f"snippet found {count} times")
            return
        # Keep the file as synced, so restoring never reads the working tree (which may change while
        # a long run goes on).
        shutil.copyfile(target, target + ".mutate-original")
        open(target, "w", encoding="utf-8").write(text.replace(m["from"], m["to"]))
        print("applied")
    elif cmd == "restore":
        src, tree, rel = sys.argv[2:5]
        # The copy kept by `apply`, with a new modification time so the build sees the file changed
        # again (the working tree's file only when no copy was kept).
        target = os.path.join(tree, rel)
        kept = target + ".mutate-original"
        shutil.copyfile(kept if os.path.exists(kept) else os.path.join(src, rel), target)
        if os.path.exists(kept):
            os.remove(kept)
        os.utime(target)
    else:
        sys.exit(f"mutate_helper: unknown command {cmd}")


if __name__ == "__main__":
    main()
