#!/usr/bin/env bash
# Issue 11: the overflow and size cases through the release-built CLI (the optimiser must not
# turn a checked refusal into a trap). Not part of `swift test`; run by hand:
#   swift build -c release && bash Tests/ReleaseCLI/overflow-checks.sh
# Each case must end with a clear error (exit 1 or 64), or for a table with its refused cells
# marked "refused at ..." (exit 0), within 60 s: never a trap (134, 132, 139), a kill, or an
# unqualified success.
set -u
cd "$(dirname "$0")/../.."
B=.build/release/expressivity
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
$B memory construct --depth 2 --hidden 4 --input-dim 1 -o "$T/copy.json" || exit 2
printf '{"format":"rnn-expressivity/1","inputDim":1,"layers":[{"hidden":1,"initialState":[1],"bilinear":[[[1]]],"activation":[0,0,1]}],"readout":[[1]]}' > "$T/square.json"
# one weight of 332,193 bits: few terms, gigabytes of coefficients (the memory estimate, not the term count, refuses)
printf '{"format":"rnn-expressivity/1","inputDim":2,"layers":[{"hidden":2,"initialState":["1e100000",-3],"bilinear":[[["1e100000",-3],[2,-3]],[[1,-2],[-2,2]]]}],"readout":[[-1,-2]]}' > "$T/huge.json"
check() {
    local out rc
    out=$(timeout 60 $B "$@" 2>&1); rc=$?
    # a refusal (exit 1 or 64), or a table that prints its cells and marks the refused ones (exit 0)
    if { [[ $rc == 1 || $rc == 64 ]] && grep -q "Error" <<<"$out"; } || { [[ $rc == 0 ]] && grep -q "refused at" <<<"$out"; }; then
        echo "ok   ($rc) $*"
    else
        echo "FAIL ($rc) $*"; echo "$out" | tail -3; fail=1
    fi
}
# a delay of 2^63 - 1 is decided by the Hankel bound, without overflow: a verdict, exit 1
out=$(timeout 60 $B memory check "$T/copy.json" --delay 9223372036854775807 --max-work 1 2>&1); rc=$?
if [[ $rc == 1 ]] && grep -q "not an exact copy.*2^63 or more states" <<<"$out"; then echo "ok   (1) memory check --delay 2^63-1"
else echo "FAIL ($rc) memory check --delay 2^63-1"; echo "$out" | tail -3; fail=1; fi
check memory --input-dim 20000000000000000
check model random --family 2rnn --outputs 1000000000000
check model random --family cp-2rnn --cp-rank 1000000000000
check model random --family 2rnn --hidden 1000000
check rank --family rac --depth 1000000000
check degree --family 2rnn --max-depth 1 --max-length 20000
check degree --family 2rnn --depth 1 --profile --length 20000
check rank --family rac --hidden 2 --input-dim 2 --max-depth 4 --max-length 6 --max-terms 100000
check rank --family rac --hidden 2 --input-dim 2 --depth 4 --length 6 --method lifted
check verify --claim 3 --max-depth 300
check unroll --model "$T/square.json" --length 40
check rank --model "$T/copy.json" --hidden 3
check unroll --model "$T/huge.json" --length 14
check degree --model "$T/huge.json" --max-length 14
check rank --model "$T/huge.json" --length 14 --method unfolding
exit $fail
