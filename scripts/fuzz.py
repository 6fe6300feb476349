#!/usr/bin/env python3
# rkat's mutation fuzzer (issue 13). Deterministic: a fixed seed and a fixed number of mutants per
# parser (not wall time), so CI sees the same cases every run. It drives the built binary over
#   scenario  the scenario reader (`validate`, then `run` on what validate accepts),
#   history   the history reader (`validate` and `run` on a scenario pointing at a mutated CSV),
#   formula   the formula parser (`fit --formula`),
#   cli       the command line (argument lists from rkat's vocabulary),
#   sets      the newer scenario surfaces through --set on the mid-year fixture (iuran bases, JAKON
#             projects, companies, reactivation, branches, potential, allow_below_history),
#   track     `rkat track` on an approved plan (targets.json) with mutated figures and keys,
#   backtest  `rkat backtest --actuals` on a mutated actuals CSV,
#   serve     raw HTTP requests to one `rkat serve` (request lines, Host headers, tokens, bodies):
#             the server answers each with a status line and stays up,
# first replaying the kept crashers (scripts/fuzz-crashers.json), and fails on any
#   trap     exit other than 0, 1, 2 (a signal, 132/134/139, a backtrace),
#   hang     no exit within the time limit,
#   lines    a failure that is not exactly one error line (warnings aside),
#   unlocated an error about a key, value, row or formula token without FILE:LINE:COL,
#   output   a failed run that wrote its output directory,
#   nonfinite a successful run with NaN or infinity in an output file.
# Usage: scripts/fuzz.py [--binary PATH] [--seed N] [--scale F] [--json]
# GPL-3.0-or-later.
import argparse, csv, io, json, os, random, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNTS = {"scenario": 240, "history": 160, "formula": 200, "cli": 120, "sets": 100, "track": 40, "backtest": 24, "serve": 150}
FIXTURE = os.path.join(ROOT, "Tests", "Fixtures", "midyear-2018")
SETS = [
    "segments.PU.iuran={stated_rp: %(n)s}", "segments.PU.iuran={package_rp: %(n)s, collection: %(s)s}",
    "segments.PU.iuran={wages: [{wage_rp: %(n)s, share: %(s)s}, {wage_rp: 5000000, share: 0.5}]}",
    "segments.JAKON.iuran={projects: [{value_rp: %(n)s, share: 1}], workers_per_project: %(s)s}",
    "segments.PU.iuran={stated_rp: 150000, collection: {distribution: uniform, min: %(s)s, max: 1}}",
    "levers.reactivation={segment: PU, share_per_year: %(s)s, pool: %(n)s}",
    "branches=[{name: KC A, potential_share: %(s)s}, {name: KC B, active: %(n)s, active_as_of: 2018-06}]",
    "potential.total=%(n)s", "potential.allow_below_history=%(b)s", "potential.growth_per_year=%(s)s",
    "actuals_until=2018-%(m)s", "horizon=2019-%(m)s", "targets.confidence=%(s)s", "uncertainty.draws=%(n)s",
    "segments.BU={unit: companies, workers_segment: PU, acquisitions_per_month: %(n)s, lapse_rate_per_year: %(s)s}",
]
TIMEOUT = 20
INTERESTING = ["0", "-0", "-1", "1", "0.5", "1e9", "1e10", "1e15", "1e23", "1e300", "-1e300", "1e308", "1e-300", "5e-324",
               "nan", ".nan", ".inf", "-.inf", "inf", "1.8e19", "9223372036854775807", "100", "120", "2.5", "99%", "1e6", "", "~",
               "[]", "{}", "[1, 2]", "\"x\"", "2017-13", "2017-00", "9999-12", "0001-01"]
WEIRD = ["\r", "\u2028", "\u0085", "\t", "\x00", "\x1b[31m", "&a", "*a", "!!str", "<<: *a", "'", "\"", "#", "- ", ": ", "%", "{", "[", "]", "}", ",", "\\"]
LOCATED = re.compile(r"^[^ ].*?:[0-9]+:[0-9]+: ")
NONFINITE = re.compile(r"(^|[,:\[\s])[-+]?(inf|infinity|nan)($|[,\]\s])", re.I | re.M)  # unquoted: a number
# Errors that belong to no key, value, row or token: a file as a whole, an option's own value, a fit.
FILE_LEVEL = re.compile(
    r"no such file|is a directory|cannot read|not UTF-8|has no rows|the file is empty|see rkat --help|did not converge|"
    r"not finite at the starting|too few observations|--threads|--draws|compare needs|is not a number \(--|Error:|"
    r"unknown model|--start|--ceiling|--potential|--degree|--weights|the estimates are not finite|no column|not estimable|"
    r"no predictor|the data contain|weights must|Cholesky|GSL|the fit|singular|rank|collinear|not identified|exact|"
    r"unknown benchmark|give --model|--rows|--fits|--kanwil|--branches|"
    # The history as a whole does not reach actuals_until (it names the cell and both months).
    r"the history's last figure|"
    # An approved plan is JSON (no line positions kept): its errors name the plan and the target.
    r"\.json: (not a plan|targets\[\d+\]|branches\[\d+\]|the plan )")


def nonfinite(path):
    """A NaN or infinity as a number: a JSON NaN/Infinity token, or a CSV field that is one."""
    text = open(path, encoding="utf-8", errors="replace").read()
    if path.endswith(".json"):
        found = []
        try:
            json.loads(text, parse_constant=lambda c: found.append(c))
        except ValueError:
            return True  # not JSON at all
        return bool(found)
    for row in csv.reader(io.StringIO(text)):
        for field in row:
            if re.fullmatch(r"[-+]?(inf|infinity|nan)", field.strip(), re.I):
                return True
    return False


class Fuzzer:
    def __init__(self, binary, seed, scale):
        self.binary, self.rng, self.scale = binary, random.Random(seed), scale
        self.work = tempfile.mkdtemp(prefix="rkat-fuzz-")
        self.counts = {}
        self.failures = []
        self.n = 0
        for name in os.listdir(os.path.join(ROOT, "data")):
            if name.endswith(".csv"):
                shutil.copy(os.path.join(ROOT, "data", name), self.work)
        self.scenarios = {}
        for name in sorted(os.listdir(os.path.join(ROOT, "scenarios"))):
            if name.endswith(".yaml") and "sweep" not in name:
                text = open(os.path.join(ROOT, "scenarios", name), encoding="utf-8").read().replace("../data/", "")
                self.scenarios[name] = text
                open(os.path.join(self.work, name), "w", encoding="utf-8").write(text)
        self.histories = {n: open(os.path.join(ROOT, "data", n), encoding="utf-8").read()
                          for n in sorted(os.listdir(os.path.join(ROOT, "data"))) if n.endswith(".csv")}

    # -- running and judging --------------------------------------------------------------------

    def tally(self, parser, outcome):
        c = self.counts.setdefault(parser, {})
        c[outcome] = c.get(outcome, 0) + 1

    def run(self, parser, args, files=None, out=None, case=None):
        """Runs one case; returns its exit code (None on a hang)."""
        self.n += 1
        case_dir = os.path.join(self.work, "c%d" % self.n)
        os.makedirs(case_dir)
        for name, text in (files or {}).items():
            text = text.replace("^", self.work + "/").replace("@", case_dir + "/")
            with open(os.path.join(case_dir, name), "wb") as f:
                f.write(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
        args = [a.replace("@", case_dir + "/").replace("^", self.work + "/") for a in args]
        if out:
            args += ["--out", os.path.join(case_dir, "out")]
        # The file-level patterns below are English: commands that speak both languages run in English
        # (LanguageScanTests checks the Indonesian).
        if args and args[0] in ("run", "validate", "compare", "track", "backtest"):
            args = args[:1] + ["--lang", "en"] + args[1:]  # before any "--"
        env = dict(os.environ, SOURCE_DATE_EPOCH="0")
        try:
            p = subprocess.run([self.binary] + args, capture_output=True, timeout=TIMEOUT, cwd=case_dir, env=env)
        except subprocess.TimeoutExpired:
            self.fail(parser, "hang", args, files, "")
            return None
        except ValueError:  # a NUL in an argument cannot be passed
            self.tally(parser, "skipped")
            return None
        err = p.stderr.decode("utf-8", "replace")
        if os.environ.get("FUZZ_DEBUG"):
            print(p.returncode, args, err[:200])
        rc = p.returncode
        if rc not in (0, 1, 2):
            self.fail(parser, "trap", args, files, err)
            return rc
        self.tally(parser, "exit%d" % rc)
        if rc != 0:
            lines = [l for l in err.split("\n") if l and not l.startswith(("warning: ", "peringatan: "))]
            if len(lines) != 1:
                self.fail(parser, "lines", args, files, err)
            elif not LOCATED.match(lines[0]) and not FILE_LEVEL.search(lines[0]):
                self.fail(parser, "unlocated", args, files, err)
            if out and os.path.exists(os.path.join(case_dir, "out")):
                self.fail(parser, "output", args, files, err)
        elif out:
            d = os.path.join(case_dir, "out")
            for name in os.listdir(d) if os.path.isdir(d) else []:
                if name.endswith((".csv", ".json")) and nonfinite(os.path.join(d, name)):
                    self.fail(parser, "nonfinite", args, files, name)
        shutil.rmtree(case_dir, ignore_errors=True)
        return rc

    def fail(self, parser, kind, args, files, err):
        self.tally(parser, kind)
        self.failures.append({"parser": parser, "kind": kind, "args": args, "files": files or {}, "stderr": err[:400]})

    # -- mutations ------------------------------------------------------------------------------

    def mutate_text(self, text, numbers=True):
        r = self.rng
        lines = text.split("\n")
        for _ in range(r.choice([1, 1, 1, 2, 3])):
            op = r.randrange(9)
            i = r.randrange(len(lines))
            if op <= 2 and numbers:  # replace a number with an interesting value
                nums = list(re.finditer(r"(?<![\w.-])-?\d[\d_.]*(e-?\d+)?%?", lines[i]))
                if nums:
                    m = r.choice(nums)
                    lines[i] = lines[i][:m.start()] + r.choice(INTERESTING) + lines[i][m.end():]
                    continue
            if op == 3:
                del lines[i]
            elif op == 4:
                lines.insert(i, lines[r.randrange(len(lines))])
            elif op == 5:
                pos = r.randrange(len(lines[i]) + 1)
                lines[i] = lines[i][:pos] + r.choice(WEIRD) + lines[i][pos:]
            elif op == 6:
                pos = r.randrange(len(lines[i]) + 1)
                lines[i] = lines[i][:pos] + lines[i][pos + r.randrange(1, 6):]
            elif op == 7:
                j = r.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            else:
                pos = r.randrange(len(lines[i]) + 1)
                lines[i] = lines[i][:pos] + chr(r.choice([r.randrange(32, 127), r.randrange(0x80, 0x3000)])) + lines[i][pos:]
            if not lines:
                lines = [""]
        return "\n".join(lines)

    # -- parsers --------------------------------------------------------------------------------

    def scenario(self, count):
        names = sorted(self.scenarios)
        for _ in range(count):
            name = self.rng.choice(names)
            text = self.mutate_text(self.scenarios[name])
            if self.rng.random() < 0.1:  # extends a parent in the work directory
                text = "extends: ^" + self.rng.choice(names) + "\n" + text
            files = {"s.yaml": text.replace("history: ", "history: ^", 1).replace("extends: sumbagut", "extends: ^sumbagut")}
            rc = self.run("scenario", ["validate", "@s.yaml"], files)
            if rc == 0:
                self.run("scenario", ["run", "@s.yaml", "--draws", str(self.rng.choice([0, 20]))], files, out=True)

    def history(self, count):
        pairs = [("sumbagut-2018.yaml", "sumbagut-2018-history.csv"), ("jatim-2017.yaml", "jatim-2017-history.csv"),
                 ("sumbagut-2025.yaml", "sumbagut-2025-history.csv")]
        for _ in range(count):
            scenario, csv = self.rng.choice(pairs)
            files = {"h.csv": self.mutate_text(self.histories[csv])}
            rc = self.run("history", ["validate", "^" + scenario, "--set", "history=@h.csv"], files)
            if rc == 0:
                self.run("history", ["run", "^" + scenario, "--set", "history=@h.csv", "--draws", "20"], files, out=True)

    def formula(self, count):
        data = "x,y,z\n1,2.1,1\n2,3.9,0\n3,6.2,1\n4,7.8,0\n5,10.1,1\n6,12.2,0\n"
        seeds = ["a*x+b", "a*exp(b*x)", "a/(1+exp(-b*(x-c)))", "a*x^2+b*x+c", "a*log(x)+b", "a*sqrt(x)*z+b", "-(a)*x+b*(x-1)/(2)"]
        tokens = ["a", "b", "c", "x", "y", "z", "(", ")", "+", "-", "*", "/", "^", "exp(", "log(", "sqrt(", "1e308", "0", "1e-320",
                  ".", ",", " ", "pi", "e", "abs(", "x^x^x^x", "((((((((((", "))))", "\u2028", "\r", "%"]
        for _ in range(count):
            f = self.rng.choice(seeds)
            for _ in range(self.rng.choice([1, 1, 2, 3])):
                pos = self.rng.randrange(len(f) + 1)
                if self.rng.random() < 0.5:
                    f = f[:pos] + self.rng.choice(tokens) + f[pos:]
                else:
                    f = f[:pos] + f[pos + self.rng.randrange(1, 4):]
            if self.rng.random() < 0.05:
                f = "(" * 5000 + "x" + ")" * 5000
            used = [p for p in "abc" if re.search(r"(?<![a-z])%s(?![a-z(])" % p, f)] or ["a"]
            start = ",".join("%s=%s" % (p, self.rng.choice(["1", "1", "0.5", "0", "1e300", "-1"])) for p in used)
            args = ["fit", "@d.csv", "--x", "x", "--y", "y", "--formula", f, "--start", start]
            if self.rng.random() < 0.3:
                args.append("--json")
            self.run("formula", args, {"d.csv": data})

    def cli(self, count):
        words = {
            "validate": ["^sumbagut-2018.yaml", "--set", "levers.outreach.intensity=1.2", "--lang", "en", "xx"],
            "run": ["^sumbagut-2018.yaml", "^jatim-2017.yaml", "--draws", "0", "-1", "20", "--seed", "18446744073709551616", "--threads", "0", "3",
                    "--set", "a.b[99999999999999999999]=1", "--lang", "fr", "--out"],
            "regress": ["@d.csv", "--y", "y", "--x", "x", "x,x", "x,z", "--degree", "0", "30", "-2", "--no-intercept", "--weights", "z", "--json"],
            "fit": ["@d.csv", "--x", "x", "--y", "y", "--model", "auto", "logistic", "bass", "nope", "--ceiling", "1e300", "--potential", "z", "--json"],
            "compare": ["^sumbagut-2018.yaml", "^jatim-2017.yaml", "--draws", "0", "--out", "@cmp"],
            "bench": ["gaussian", "fit", "history", "nope", "--rows", "10", "0", "-5"],
        }
        data = "x,y,z\n1,2.1,1\n2,3.9,0\n3,6.2,1\n4,7.8,0\n5,10.1,1\n6,12.2,0\n"
        for _ in range(count):
            cmd = self.rng.choice(sorted(words))
            args = [cmd] + [self.rng.choice(words[cmd] + ["", "--", "-", "=", "\u2028", "%s" % self.rng.choice(INTERESTING)])
                            for _ in range(self.rng.randrange(0, 7))]
            if cmd == "bench" and "history" not in args and "gaussian" not in args and "fit" not in args:
                pass
            if cmd == "bench" and ("gaussian" in args or "fit" in args):
                args = ["bench", "--help"]  # the long benchmarks are not for the fuzzer
            if cmd == "bench" and "history" in args:
                args = ["bench", "history", "--rows", self.rng.choice(["10", "0", "-5", "1000", "x"])]
            self.run("cli", args, {"d.csv": data}, out=cmd == "run" and "--out" not in args and self.rng.random() < 0.5)

    def value(self):
        r = self.rng
        return {"n": r.choice(INTERESTING + ["150000", "16800", "2e9", "40", "1e15", "1e16", "726119"]),
                "s": r.choice(["0", "0.5", "1", "1.5", "-0.1", "5e-324", "1e-300", "nan", "0.999999999"]),
                "b": r.choice(["true", "false", "1", "yes", "~"]), "m": r.choice(["01", "06", "12", "13", "00"])}

    def sets(self, count):
        scenario = os.path.join(FIXTURE, "scenario.yaml")
        for _ in range(count):
            args = ["run", scenario, "--draws", self.rng.choice(["0", "20"])]
            for _ in range(self.rng.choice([1, 1, 2, 3])):
                args += ["--set", self.rng.choice(SETS) % self.value()]
            self.run("sets", args, out=True)

    def track(self, count):
        scenario = os.path.join(FIXTURE, "scenario.yaml")
        iuran = "segments.PU.iuran={stated_rp: 150000, collection: 0.95}"
        plan_dir = os.path.join(self.work, "plan")
        p = subprocess.run([self.binary, "run", scenario, "--set", "actuals_until=2017-12", "--set", iuran, "--draws", "0", "--out", plan_dir],
                           capture_output=True, env=dict(os.environ, SOURCE_DATE_EPOCH="0"))
        if p.returncode != 0:
            self.fail("track", "setup", [], {}, p.stderr.decode("utf-8", "replace"))
            return
        plan = open(os.path.join(plan_dir, "targets.json"), encoding="utf-8").read()
        for _ in range(count):
            files = {"p.json": self.mutate_text(plan)}
            self.run("track", ["track", scenario, "--plan", "@p.json", "--set", "actuals_until=2018-06", "--set", iuran, "--draws", "20"], files, out=True)

    def backtest(self, count):
        actuals = open(os.path.join(ROOT, "data", "sumbagut-2025-actuals.csv"), encoding="utf-8").read()
        for _ in range(count):
            files = {"a.csv": self.mutate_text(actuals)}
            self.run("backtest", ["backtest", "^sumbagut-2025.yaml", "--actuals", "@a.csv", "--draws", "20"], files, out=True)

    def serve(self, count):
        """Raw requests to one server: each must get a status line, and the server must stay up."""
        import socket, time
        proc = subprocess.Popen([self.binary, "serve", os.path.join(self.work, "sumbagut-2018.yaml"), "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=self.work, text=True)
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]+)", line)
        if not m:
            proc.kill()
            self.fail("serve", "trap", ["serve"], {}, line)
            return
        port, token = int(m.group(1)), m.group(2)
        host = "127.0.0.1:%d" % port
        targets = ["/", "/?token=" + token, "/api/run", "/api/run?token=" + token, "http://evil.example/", "http://%s/" % host,
                   "*", "//", "/../../etc/passwd", "/api/download/targets.xlsx", "/api/save", "/%00", "/" + "a" * 9000]
        methods = ["GET", "POST", "PUT", "OPTIONS", "HEAD", "DELETE", "GE T", ""]
        bodies = ["", "{}", '{"overrides": {"levers.outreach.intensity": "1,3"}}', '{"overrides": [1]}', "x" * 70000, "{" * 5000,
                  '{"overrides": {"levers.outreach.intensity": 1.2}, "draws": 1e308}']
        for k in range(count):
            r = self.rng
            headers = []
            for _ in range(r.choice([0, 1, 1, 2])):
                headers.append("Host: " + r.choice([host, "evil.example", "localhost:%d" % port, "", "[::1]:%d" % port]))
            if r.random() < 0.7:
                headers.append("X-RKAT-Token: " + r.choice([token, token[:-1], "", token.upper()]))
            if r.random() < 0.3:
                headers.append("Origin: " + r.choice(["http://" + host, "http://evil.example", "null"]))
            body = r.choice(bodies)
            if r.random() < 0.8:
                headers.append("Content-Length: %d" % r.choice([len(body.encode()), len(body.encode()) + 5, 0]))
            request = "%s %s HTTP/1.1\r\n%s\r\nConnection: close\r\n\r\n%s" % (r.choice(methods), r.choice(targets), "\r\n".join(headers), body)
            self.n += 1
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
                s.sendall(request.encode("utf-8", "surrogatepass"))
                s.settimeout(TIMEOUT)
                reply = s.recv(64)
                s.close()
            except (socket.timeout, TimeoutError):
                self.fail("serve", "hang", [request[:200]], {}, "")
                continue
            except OSError:
                reply = b""  # the server closed a malformed request at once: allowed
            if proc.poll() is not None:
                self.fail("serve", "trap", [request[:200]], {}, "the server exited with %s" % proc.returncode)
                return
            self.tally("serve", "status%s" % (reply[9:12].decode("ascii", "replace") if reply.startswith(b"HTTP/1.1 ") else "-closed"))
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            self.fail("serve", "hang", ["SIGTERM"], {}, "the server did not stop")

    def crashers(self, path):
        if not os.path.exists(path):
            return
        for case in json.load(open(path, encoding="utf-8")):
            self.run("crashers", case["args"], case.get("files"), out=case.get("out", False))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=None)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies the number of mutants")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--only", default=None, help="comma-separated parsers to run (default: all)")
    ap.add_argument("--keep", default=None, help="write the failing cases to this JSON file")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary) if a.binary else os.path.join(subprocess.check_output(["swift", "build", "--show-bin-path"], cwd=ROOT, text=True).strip(), "rkat")
    f = Fuzzer(binary, a.seed, a.scale)
    f.crashers(os.path.join(ROOT, "scripts", "fuzz-crashers.json"))
    for parser in ["scenario", "history", "formula", "cli", "sets", "track", "backtest", "serve"]:
        if a.only and parser not in a.only.split(","):
            continue
        getattr(f, parser)(int(COUNTS[parser] * a.scale))
    shutil.rmtree(f.work, ignore_errors=True)
    bad = {"trap", "hang", "lines", "unlocated", "output", "nonfinite"}
    if a.json:
        print(json.dumps({"counts": f.counts, "failures": f.failures}, indent=1, ensure_ascii=True))
    else:
        for parser, c in f.counts.items():
            print("%-9s %s" % (parser, ", ".join("%s %d" % (k, v) for k, v in sorted(c.items()))))
        for x in f.failures[:40]:
            print("FAIL %s %s: %s | %s" % (x["parser"], x["kind"], str(x["args"])[:300], x["stderr"].strip().split("\n")[0][:200]))
    if a.keep:
        json.dump(f.failures, open(a.keep, "w"), indent=1, ensure_ascii=True)
    sys.exit(1 if any(k in bad for c in f.counts.values() for k in c) else 0)


if __name__ == "__main__":
    main()
