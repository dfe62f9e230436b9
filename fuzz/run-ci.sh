#!/bin/sh
# Runs every fuzz target on its committed corpus for a bounded time, as CI does.
#
#   fuzz/run-ci.sh SECONDS_PER_TARGET [TARGET...]
#
# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept
# them (no nightly toolchain is installed). New inputs libFuzzer finds go to a scratch folder,
# never into the committed corpus. Exits non-zero on the first crash, leak, timeout or
# out-of-memory, with the failing input left under fuzz/artifacts/TARGET/.
set -eu

seconds=${1:?usage: fuzz/run-ci.sh SECONDS_PER_TARGET [TARGET...]}
shift
cd "$(dirname "$0")"

if ! cargo fuzz --help >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

targets=${*:-"answers_xlsx answers_csv html pdf profile policy rule"}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

export RUSTC_BOOTSTRAP=1
# One build for all targets (release with debug assertions, as cargo fuzz does by default).
cargo fuzz build -O
for target in $targets; do
    mkdir -p "$scratch/$target"
    echo "fuzz: $target for ${seconds}s"
    # -rss_limit_mb: the readers' own limits must keep any input far below 2 GiB.
    # -timeout: one input taking 10 s is a hang.
    cargo fuzz run -O "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
done
