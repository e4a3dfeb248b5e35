# Copyright 2026 The appoint developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What the benchmark scripts share; sourced, after they define die().

# a port nothing answers on; the server that takes it is checked later
free_port() {
	local port
	for _ in $(seq 50); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	die "no free port found"
}
