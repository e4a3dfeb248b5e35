#!/bin/sh
# clang-tidy (checks in the top-level .clang-tidy) and cppcheck over every
# file of src/ that the build compiles, with that build's own flags
# (compile_commands.json); any finding fails, and is printed.
#
# usage: test-static-analysis.sh SOURCE_ROOT BUILD_ROOT
# AP_LINT_JOBS sets how many files are checked at once (default: nproc).
# cppcheck reads the project's own headers only, which keeps it to
# seconds; AP_LINT_THOROUGH=1 lets it read GLib's and the other system
# headers too (minutes, and a little more it can see)
set -eu
srcdir=$(cd "$1" && pwd)
builddir=$(cd "$2" && pwd)
jobs=${AP_LINT_JOBS:-$(nproc 2>/dev/null || echo 2)}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..2"

# the src/ entries of the compilation database: their file names for
# clang-tidy, and a database of only them for cppcheck
python3 - "$srcdir" "$builddir/compile_commands.json" "$tmp" <<'EOF'
import json, os, sys
srcdir, db, out = sys.argv[1:]
prefix = os.path.join(srcdir, "src") + os.sep
keep = []
for entry in json.load(open(db)):
    path = os.path.realpath(os.path.join(entry["directory"], entry["file"]))
    if path.startswith(prefix) and path.endswith(".c"):
        keep.append(dict(entry, file=path))
json.dump(keep, open(os.path.join(out, "compile_commands.json"), "w"))
def own(entry):
    args = entry.get("command", "").split()
    kept = [a for a in args if not (a.startswith("-I/usr") or a.startswith("-isystem"))]
    return dict(entry, command=" ".join(kept))
json.dump([own(e) for e in keep], open(os.path.join(out, "own_headers.json"), "w"))
with open(os.path.join(out, "files"), "w") as f:
    f.writelines(sorted({e["file"] + "\n" for e in keep}))
EOF
count=$(wc -l <"$tmp/files")

if xargs -P "$jobs" -n 4 clang-tidy -p "$builddir" --quiet <"$tmp/files" \
	>"$tmp/tidy.out" 2>"$tmp/tidy.err"; then
	echo "ok 1 - clang-tidy: $count files, no findings"
else
	sed 's/^/# /' "$tmp/tidy.out"
	grep -v 'warnings\? generated\.$' "$tmp/tidy.err" | sed 's/^/# /' || true
	echo "not ok 1 - clang-tidy: findings above"
fi

# --library=gtk knows GLib's types, macros and allocators; a false
# positive is suppressed on its line: /* cppcheck-suppress id ; reason */.
# The build dir keeps cppcheck's results per file (keyed by a checksum of
# the preprocessed file) so a second run only checks what changed
mkdir -p "$builddir/cppcheck-cache"
project=$tmp/own_headers.json
if [ "${AP_LINT_THOROUGH:-0}" = 1 ]; then
	project=$tmp/compile_commands.json
fi
if cppcheck --project="$project" -j "$jobs" --quiet \
	--cppcheck-build-dir="$builddir/cppcheck-cache" \
	--std=c11 --library=gtk --enable=warning,performance,portability \
	--inline-suppr --error-exitcode=1 >"$tmp/cppcheck.out" 2>&1; then
	echo "ok 2 - cppcheck: $count files, no findings"
else
	sed 's/^/# /' "$tmp/cppcheck.out"
	echo "not ok 2 - cppcheck: findings above"
fi
