#!/bin/sh
# The systemd unit in data/, as installed but pointing at the build tree:
# systemd itself finds nothing wrong with it, and its sandbox leaves
# little exposed (systemd-analyze security, offline: no running systemd
# is needed, and none is here, so starting it is not tested)
set -eu
unit="$1"

echo "1..2"
if ! command -v systemd-analyze >/dev/null; then
	echo "ok 1 # SKIP systemd-analyze is not installed"
	echo "ok 2 # SKIP systemd-analyze is not installed"
	exit 0
fi
if out=$(systemd-analyze verify --man=no "$unit" 2>&1) && [ -z "$out" ]; then
	echo "ok 1 - systemd-analyze verify: no complaints"
else
	echo "$out" | sed 's/^/# /'
	echo "not ok 1 - systemd-analyze verify"
fi
# exposure is 0.0 (nothing) to 10.0 (everything); --threshold is in tenths
if out=$(systemd-analyze security --offline=yes --threshold=20 --no-pager "$unit" 2>&1); then
	echo "$out" | tail -1 | sed 's/^/# /'
	echo "ok 2 - systemd-analyze security: exposure at most 2.0"
else
	echo "$out" | grep -E '✗|Overall' | sed 's/^/# /'
	echo "not ok 2 - systemd-analyze security: exposure above 2.0"
fi
