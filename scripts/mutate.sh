#!/usr/bin/env bash
# Mutation testing: applies plausible one-line bugs (scripts/mutants.txt) one at a time to a scratch
# copy of the tree, builds, runs the tests that should catch each, and reports killed/total and the
# survivors. The working tree is never touched.
#
# Usage: scripts/mutate.sh [--all | --sample N --seed S | --only ID[,ID…]] [--ci] [--full] [--list FILE]
#   --all          every mutant of the list (the default)
#   --sample N     a fixed sample of N mutants chosen by --seed S (the same list, N and S: the same sample)
#   --only IDS     the named mutants
#   --ci           exit 1 when any mutant of the list is STALE (its snippet no longer matches exactly
#                  once; checked for the whole list, not only the sample), or a selected mutant
#                  survives or does not compile (invalid)
#   --full         run the whole `swift test` for every mutant instead of its `tests` filter
#   --list FILE    another mutant list
#   --in-place     mutate this checkout itself (each file restored after its mutant) and build it
#                  incrementally: for a disposable clone only (CI's, where it saves the scratch tree's
#                  full build, about 5 minutes)
# The scratch copy lives in $MUTATE_SCRATCH (default: a directory under ${TMPDIR:-/tmp} named after
# this checkout) and is reused between runs, so only the first build is a full one.
#
# List format (scripts/mutants.txt): blocks separated by blank lines, `#` comments, fields
#   id:    a short name
#   file:  the source file, relative to the repository root
#   from:  the exact original snippet (must occur exactly once in the file; else the mutant is STALE)
#   to:    its replacement
#   tests: `swift test --filter` patterns (joined with |) and/or checks: @xlsx (examples' targets.xlsx
#          through scripts/check_xlsx.py), @report (scripts/check_report.py), @all (the whole suite)
#   why:   what the bug would do
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"

mode=all sample=0 seed=1 only="" ci=0 full=0 inplace=0 list="$root/scripts/mutants.txt"
while [ $# -gt 0 ]; do
    case "$1" in
    --all) mode=all ;;
    --sample) mode=sample; sample="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    --only) mode=only; only="$2"; shift ;;
    --ci) ci=1 ;;
    --full) full=1 ;;
    --list) list="$2"; shift ;;
    --in-place) inplace=1 ;;
    -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "mutate: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

scratch="${MUTATE_SCRATCH:-${TMPDIR:-/tmp}/rkat-mutate-$(printf '%s' "$root" | cksum | cut -d' ' -f1)}"
tree="$scratch/tree"
helper="$root/scripts/mutate_helper.py"
if [ "$inplace" -eq 1 ]; then
    # A disposable clone: its own files are mutated and restored (apply keeps each original).
    tree="$root"
    mkdir -p "$scratch"
else
    mkdir -p "$tree"
    # 1. The scratch tree mirrors the working tree (files whose content differs are copied; sources gone
    #    from the working tree are removed), keeping its own .build.
    python3 "$helper" sync "$root" "$tree"
fi

# 2. The mutants to run, one "id<TAB>file<TAB>tests" line each, in list order (or sample order).
selection="$scratch/selection.tsv"
python3 "$helper" select "$list" "$mode" "$sample" "$seed" "$only" > "$selection"
total=$(wc -l < "$selection")
[ "$total" -gt 0 ] || { echo "mutate: no mutants selected" >&2; exit 2; }

# In CI every snippet of the list must still match, sampled or not.
if [ "$ci" -eq 1 ]; then
    current="$(python3 "$helper" check "$list" "$tree")"
    if [ -n "$current" ]; then
        echo "mutate: STALE mutants in $(basename "$list") (update their snippets):" >&2
        printf '%s\n' "$current" | sed 's/^/  /' >&2
        exit 1
    fi
fi

cd "$tree"
log="$scratch/log"
mkdir -p "$log"
start=$(date +%s)

build() { swift build --build-tests > "$1" 2>&1; }

# Runs the checks of one `tests` field; returns non-zero when something fails, 124 when a check ran
# out of time (a hang: counted apart, never as a kill, so a mutant that hangs the tests is a bug to fix).
timed() { timeout "$@"; local rc=$?; [ $rc -eq 124 ] && return 124; [ $rc -eq 0 ] || return 1; }
run_checks() {
    local tests="$1" out="$2" filters=() checks=() t
    for t in $tests; do
        case "$t" in @*) checks+=("$t") ;; *) filters+=("$t") ;; esac
    done
    if [ "$full" -eq 1 ] || printf '%s\n' "${checks[@]:-}" | grep -qx '@all'; then
        timed 900 swift test --skip-build >> "$out" 2>&1 || return $?
    elif [ ${#filters[@]} -gt 0 ]; then
        local pattern
        pattern="$(IFS='|'; echo "${filters[*]}")"
        timed 600 swift test --skip-build --filter "$pattern" >> "$out" 2>&1 || return $?
    fi
    local c bin examples
    for c in "${checks[@]:-}"; do
        case "$c" in
        @xlsx | @report)
            bin="$(swift build --show-bin-path)/rkat"
            examples="$scratch/examples"
            rm -rf "$examples"; mkdir -p "$examples"
            timed 300 "$bin" run scenarios/sumbagut-2018.yaml --out "$examples/sumbagut-2018" >> "$out" 2>&1 || return $?
            timed 300 "$bin" run scenarios/jatim-2017.yaml --out "$examples/jatim-2017" --lang en >> "$out" 2>&1 || return $?
            for e in sumbagut-2018 jatim-2017; do
                if [ "$c" = @xlsx ]; then
                    python3 scripts/check_xlsx.py "$examples/$e" >> "$out" 2>&1 || return 1
                else
                    python3 scripts/check_report.py "$examples/$e/report.html" "$examples/$e/report.png" >> "$out" 2>&1 || return 1
                fi
            done
            ;;
        @all | "") ;;
        *) echo "unknown check $c" >> "$out"; return 1 ;;
        esac
    done
    return 0
}

# 3. Baseline: the unmutated tree builds and passes every check the selection uses, else a failing
#    test would "kill" every mutant.
all_tests="$(cut -f3 "$selection" | tr ' ' '\n' | sort -u | tr '\n' ' ')"
echo "mutate: $total mutant(s); scratch $tree"
if ! build "$log/baseline-build.txt"; then
    echo "mutate: the unmutated tree does not build (see $log/baseline-build.txt)" >&2; exit 2
fi
if ! run_checks "$all_tests" "$log/baseline-tests.txt"; then
    echo "mutate: the unmutated tree fails its checks (see $log/baseline-tests.txt)" >&2; exit 2
fi

killed=0 survived=() stale=() invalid=() hung=()
i=0
while IFS=$'\t' read -r id file tests; do
    i=$((i + 1))
    out="$log/$id.txt"
    : > "$out"
    t0=$(date +%s)
    status=$(python3 "$helper" apply "$list" "$id" "$tree") || true
    if [ "$status" != applied ]; then
        stale+=("$id")
        printf '[%2d/%d] %-34s STALE (%s)\n' "$i" "$total" "$id" "$status"
        continue
    fi
    if ! build "$out"; then
        result=invalid
        invalid+=("$id")
    else
        rc=0
        run_checks "$tests" "$out" || rc=$?
        if [ $rc -eq 0 ]; then
            result=SURVIVED
            survived+=("$id")
        elif [ $rc -eq 124 ]; then
            result=HUNG
            hung+=("$id")
        else
            result=killed
            killed=$((killed + 1))
        fi
    fi
    python3 "$helper" restore "$root" "$tree" "$file"
    printf '[%2d/%d] %-34s %-8s %3ss  (%s)\n' "$i" "$total" "$id" "$result" "$(($(date +%s) - t0))" "$tests"
done < "$selection"
# Leave the scratch tree built as the working tree is.
build "$log/final-build.txt" || true

valid=$((total - ${#stale[@]} - ${#invalid[@]}))
[ ${#hung[@]} -eq 0 ] || echo "mutate: HUNG (the tests ran out of time; a hang is a bug to fix, not a kill): ${hung[*]}"
echo "mutate: killed $killed/$valid valid mutants ($total listed; ${#stale[@]} stale, ${#invalid[@]} invalid) in $(($(date +%s) - start))s"
[ ${#survived[@]} -eq 0 ] || echo "mutate: survivors: ${survived[*]}"
[ ${#stale[@]} -eq 0 ] || echo "mutate: STALE (update scripts/mutants.txt): ${stale[*]}"
[ ${#invalid[@]} -eq 0 ] || echo "mutate: invalid (does not compile): ${invalid[*]}"
if [ "$ci" -eq 1 ] && [ $((${#survived[@]} + ${#stale[@]} + ${#invalid[@]} + ${#hung[@]})) -gt 0 ]; then
    exit 1
fi
exit 0
