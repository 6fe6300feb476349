#!/usr/bin/env python3
# Edits during runs (issue 27): while `rkat run --out o` replaces a folder, a "planner" edits it at
# random instants (most of them in the run's last stretch, where the folder is checked and swapped):
# appends a marked line to o/targets.csv and drops a new file into o/, by path as an editor does.
# Afterwards every edit must be somewhere: in o/, in the previous generation .o.rkat-previous/, or
# in a kept folder or file (o.kept-*) that rkat named on the terminal. Prints
#   edit_race: N edits in R runs, L lost
# and exits 1 when any edit was lost. Deterministic in its seeds; the instants depend on the machine.
# Usage: scripts/edit_race.py [--binary PATH] [--runs R] [--edits-per-run E] [--seed S]
# GPL-3.0-or-later.
import argparse, glob, os, random, shutil, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def found(work, marker):
    """Whether `marker` is in any copy rkat could have kept of the output's files."""
    places = [os.path.join(work, "o"), os.path.join(work, ".o.rkat-previous")] + glob.glob(os.path.join(work, "o.kept-*"))
    for place in places:
        files = [place] if os.path.isfile(place) else glob.glob(os.path.join(place, "*"))
        for f in files:
            try:
                if marker in open(f, encoding="utf-8", errors="replace").read():
                    return True
            except OSError:
                pass
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=None)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--edits-per-run", type=int, default=5)
    ap.add_argument("--seed", type=int, default=27)
    a = ap.parse_args()
    binary = os.path.abspath(a.binary) if a.binary else os.path.join(
        subprocess.check_output(["swift", "build", "--show-bin-path"], cwd=ROOT, text=True).strip(), "rkat")
    scenario = os.path.join(ROOT, "Tests", "Fixtures", "midyear-2018", "scenario.yaml")
    args = [binary, "run", scenario, "--draws", "0", "--out", "o"]
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="rkat-edit-race-")
    template = os.path.join(tempfile.mkdtemp(prefix="rkat-edit-template-"), "o")
    subprocess.run(args[:-1] + [template], check=True, capture_output=True, env=env)
    # How long a run takes here, to aim the edits at its last stretch.
    t0 = time.monotonic()
    shutil.copytree(template, os.path.join(work, "o"))
    subprocess.run(args, check=True, capture_output=True, env=env, cwd=work)
    span = time.monotonic() - t0
    edits = lost = 0
    examples = []
    for run in range(a.runs):
        for name in os.listdir(work):
            shutil.rmtree(os.path.join(work, name), ignore_errors=True)
            if os.path.exists(os.path.join(work, name)):
                os.unlink(os.path.join(work, name))
        shutil.copytree(template, os.path.join(work, "o"))
        # A previous generation to retire, as after any second run.
        shutil.copytree(template, os.path.join(work, ".o.rkat-previous"))
        markers = []

        def edit(k, delay):
            time.sleep(delay)
            marker = "edit-%d-%d-%f" % (run, k, time.monotonic())
            markers.append(marker)
            if k % 2 == 0:
                try:
                    with open(os.path.join(work, "o", "targets.csv"), "a", encoding="utf-8") as f:
                        f.write(marker + "\n")
                except OSError:
                    markers.remove(marker)  # nothing at the path at that instant: no edit made
            else:
                try:
                    with open(os.path.join(work, "o", "note-%d.txt" % k), "x", encoding="utf-8") as f:
                        f.write(marker + "\n")
                except OSError:
                    markers.remove(marker)

        delays = [span * (rng.uniform(0.6, 1.15) if rng.random() < 0.8 else rng.uniform(0, 1.2)) for _ in range(a.edits_per_run)]
        threads = [threading.Thread(target=edit, args=(k, d)) for k, d in enumerate(delays)]
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=work)
        for t in threads:
            t.start()
        _, err = p.communicate()
        for t in threads:
            t.join()
        for m in markers:
            edits += 1
            if not found(work, m):
                lost += 1
                if len(examples) < 5:
                    examples.append((m, p.returncode, err.decode("utf-8", "replace").strip()[:300]))
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(os.path.dirname(template), ignore_errors=True)
    print("edit_race: %d edits in %d runs, %d lost (a run took %.0f ms here)" % (edits, a.runs, lost, span * 1000))
    for m, rc, err in examples:
        print("LOST %s (exit %s): %s" % (m, rc, err))
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
