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
#   xlsx      the workbook reader (issue 33): the fixtures' zips with mutated bytes, their parts with
#             mutated XML, and hostile seeds (a zip bomb, entities, deep nesting, a huge shared-strings
#             table, a zip of many entries), each run under a 1 GiB address-space limit (bounded memory:
#             an allocation beyond it is a trap),
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
import argparse, csv, io, json, os, random, re, resource, shutil, subprocess, sys, tempfile, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNTS = {"scenario": 240, "history": 160, "formula": 200, "cli": 120, "sets": 100, "track": 40, "backtest": 24, "serve": 150, "xlsx": 60}
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
# FILE:LINE:COL, or a workbook's cell FILE.xlsx!SHEET!F12.
LOCATED = re.compile(r"^[^ ].*?(:[0-9]+:[0-9]+|\.xlsx![^\n]*![A-Z]+[0-9]+): ")
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
    r"\.json: (not a plan|targets\[\d+\]|branches\[\d+\]|the plan )|"
    # A workbook as a whole: its zip, a part's XML, the caps on hostile files, its sheets.
    r"\.xlsx: (not a readable \.xlsx|part |a workbook over|the zip holds|the workbook (holds no|has no)|sheet '.*' is (empty|missing)|xl/|_rels/|\[Content_Types\]|"
    r"not a plan|the plan has no sheet|the plan is for)")


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

    def run(self, parser, args, files=None, out=None, case=None, memory=None):
        """Runs one case; returns its exit code (None on a hang). `memory`: an address-space limit in bytes."""
        self.n += 1
        case_dir = os.path.join(self.work, "c%d" % self.n)
        os.makedirs(case_dir)
        for name, text in (files or {}).items():
            if isinstance(text, str):
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
            limit = (lambda: resource.setrlimit(resource.RLIMIT_AS, (memory, memory))) if memory else None
            p = subprocess.run([self.binary] + args, capture_output=True, timeout=TIMEOUT, cwd=case_dir, env=env, preexec_fn=limit)
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

    XLSX = ["long-openpyxl.xlsx", "wide-openpyxl.xlsx", "wide-texts-id.xlsx", "wide-lo-csv.xlsx", "wide-lo-ods.xlsx"]
    XML_EDITS = [(r' t="n"', ' t="s"'), (r' t="s"', ' t="e"'), (r' t="inlineStr"', ' t="b"'), (r'<v>\d+</v>', '<v>1e400</v>'),
                 (r'<v>\d+</v>', '<v>-5</v>'), (r'<v>\d+</v>', '<v>86500.5</v>'), (r'<v>\d+</v>', '<v>99999999999</v>'), (r' r="[A-Z]+(\d+)"', ' r="XFE1048577"'),
                 (r' r="[A-Z]+\d+"', ''), (r'<row r="\d+"', '<row r="0"'), (r' s="\d+"', ' s="99999"'), (r'<v>', '<f>A1</f><v>'),
                 (r'<v>[^<]*</v>', '<v/>'), (r'<t>[^<]*</t>', '<t>Jan 2099</t>'), (r'<t>[^<]*</t>', '<t>01/02/2017</t>'), (r'date1904="\w+"', ''),
                 (r'<workbookPr', '<workbookPr date1904="1"'), (r'<mergeCells', '<mergeCells><mergeCell ref="A1:ZZ9"/></mergeCells><x'),
                 (r'Target="[^"]*"', 'Target="../../../etc/passwd"'), (r'name="[^"]*"', 'name=""'), (r'state="\w+"', ''), (r'<sheet ', '<sheet state="hidden" ')]

    def zip_bytes(self, parts, method=zipfile.ZIP_DEFLATED):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", method) as z:
            for name, data in parts:
                z.writestr(name, data)
        return buf.getvalue()

    def hostile(self, parts, kind):
        """A hostile workbook of `kind` (0–4) built on a fixture's parts."""
        sheet = "xl/worksheets/sheet1.xml"
        out = []
        for name, data in parts:
            if kind == 0 and name == sheet:
                data = data + b" " * (300 << 20)  # a zip bomb: 300 MiB of blanks deflate to ~300 KB
            elif kind == 1 and name == sheet:
                laughs = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + b"".join(b'<!ENTITY %c "%s">' % (98 + k, (b"&%c;" % (97 + k)) * 10) for k in range(9)) + b"]>"
                data = laughs + data.replace(b"<sheetData>", b"<sheetData><row><c t=\"inlineStr\"><is><t>&j;</t></is></c></row>", 1)
            elif kind == 2 and name == sheet:
                data = data.replace(b"<sheetData>", b"<x>" * 100000 + b"</x>" * 100000 + b"<sheetData>", 1)
            elif kind == 3 and name == "xl/sharedStrings.xml":
                data = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + b"<si><t>x</t></si>" * 2_100_000 + b"</sst>"
            out.append((name, data))
        if kind == 4:
            out += [("pad/%d" % k, b"") for k in range(10_001)]
        return self.zip_bytes(out)

    def xlsx(self, count):
        scenario = os.path.join(FIXTURE, "scenario.yaml")
        branches = "branches=[{name: KC Barat, potential_share: 0.5}, {name: KC Timur}]"
        books = {}
        for name in self.XLSX + ["plan-edited/targets.xlsx"]:
            with zipfile.ZipFile(os.path.join(ROOT, "Tests", "Fixtures", "xlsx", name)) as z:
                books[name] = [(i.filename, z.read(i.filename)) for i in z.infolist()]
        r = self.rng
        for k in range(count):
            # One case in five: an approved plan workbook (targets.xlsx as openpyxl saved it) for `track`.
            plan = k >= 5 and r.random() < 0.2
            parts = books["plan-edited/targets.xlsx" if plan else r.choice(self.XLSX)]
            mode = 9 if k < 5 else r.randrange(10)
            if mode < 3:  # bytes of the zip
                data = bytearray(self.zip_bytes(parts))
                for _ in range(r.choice([1, 2, 8])):
                    op, i = r.randrange(3), r.randrange(len(data))
                    if op == 0:
                        data[i] = r.randrange(256)
                    elif op == 1:
                        del data[i:i + r.randrange(1, 64)]
                    else:
                        data[i:i] = bytes(r.randrange(256) for _ in range(r.randrange(1, 16)))
                data = bytes(data)
            elif mode < 9:  # the XML of one part
                i = r.randrange(len(parts))
                name, xml = parts[i]
                text = xml.decode("utf-8", "replace")
                if r.random() < 0.5:
                    pattern, repl = r.choice(self.XML_EDITS)
                    hits = list(re.finditer(pattern, text))
                    if hits:
                        m = r.choice(hits)
                        text = text[:m.start()] + repl + text[m.end():]
                else:
                    text = self.mutate_text(text.replace("><", ">\n<")).replace(">\n<", "><")
                data = self.zip_bytes(parts[:i] + [(name, text.encode("utf-8", "surrogatepass"))] + parts[i + 1:],
                                      r.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]))
            else:  # each kind once on LibreOffice's workbook (it has a shared-strings table), then at random
                data = self.hostile(books["wide-lo-ods.xlsx"] if k < 5 else parts, k if k < 5 else r.randrange(5))
            if plan:
                track = ["track", scenario, "--plan", "@p.xlsx", "--set", "actuals_until=2018-06", "--set", "segments.PU.iuran={stated_rp: 150000, collection: 0.95}",
                         "--set", "history=" + os.path.join(FIXTURE, "history-with-branch.csv"), "--set", branches, "--draws", "20"]
                self.run("xlsx", track, {"p.xlsx": data}, out=True, memory=1 << 30)
                continue
            files = {"h.xlsx": data}
            sheet = r.choice(["Tanggal", "Realisasi", "Sheet1"]) if r.random() < 0.1 else None
            history = "history=@h.xlsx" if sheet is None else "history={file: @h.xlsx, sheet: %s}" % sheet
            rc = self.run("xlsx", ["validate", scenario, "--set", history, "--set", branches], files, memory=1 << 30)
            if rc == 0 and r.random() < 0.3:
                self.run("xlsx", ["run", scenario, "--set", history, "--set", branches, "--draws", "20"], files, out=True, memory=1 << 30)

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
    for parser in ["scenario", "history", "formula", "cli", "sets", "track", "backtest", "serve", "xlsx"]:
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
