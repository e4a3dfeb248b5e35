#!/bin/bash
# Copyright 2026 The appoint developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# appointd over HTTP, against a bare libsoup server on the same machine in
# the same run, so that the figures are ratios and not absolute numbers
# from a machine nobody else has (STYLE.md, "Performance").
#
#   bench/bench-http.sh [BUILD_DIR]      (default: build)
#
# 1. seeds a fresh database: personal-styling, 20 experts on London time,
#    Mon-Fri 09:00-17:30 and Sat 10:00-16:00, about 30 % of the sessions of
#    the measured week booked;
# 2. wrk on the bare server's GET / and on appointd's
#    GET /api/v1/slots for that week (Mon..Sun), one after the other,
#    the sized ceiling and the slots ROUNDS times in turn; prints rps,
#    p50 and p99 of the median round, each round's ratio slots/bare and
#    the goals, and the CPU time each server spent a request (a ratio
#    that moves less with the machine's other tenants); then both again
#    at a set load (bench/paced.lua: half the sized ceiling's rate), for
#    the latency of a request that does not queue behind the others;
# 3. /healthz at that set load while a booking lands every half second,
#    each followed by the week's slots (computed again off the main loop);
# 4. wrk with bench/book.lua: POST /api/v1/bookings to distinct free slots
#    for a few seconds, from BOOK_CONNECTIONS and then from
#    BOOK_CONNECTIONS_WIDE clients (group commit shares a commit among
#    the bookings that arrive together); prints bookings created per
#    second and the CPU each took, against a raw SQLite loop (the mean
#    of two runs of RAW_COMMITS commits: before the bookings, and after
#    appointd has stopped);
# 5. stops appointd (SIGTERM) and checks that no expert has two active
#    bookings at the same or overlapping times.
#
# Needs wrk, curl and sqlite3 (Debian packages of those names); installs
# nothing. Exits 0 when it ran, whether or not the goals were met; non-zero
# when it could not run or found a double booking.
#
# Environment: BARE_SERVER, APPOINTD, APPOINTCTL override the binaries;
# DURATION (5s), ROUNDS (3), BOOK_DURATION (5s), RAW_COMMITS (20000), CONNECTIONS (32), THREADS (2),
# BOOK_CONNECTIONS (8), BOOK_CONNECTIONS_WIDE (32), MIX_BOOKINGS (20), MIX_DURATION (10s), WARMUP (2s),
# N_BOOK_EXPERTS (300: experts added for the booking runs);
# ACCESS_LOG (true: appointd logs every request, as it does by default);
# KEEP_TMP=1 keeps the temporary folder.

set -eu

# the goals this benchmark checks
GOAL_RATIO=0.7   # slots rps / bare rps, at least
GOAL_P99_MS=5    # p99 of the slots request, under

# SCALE=1: the database a national retailer has instead, made by
# `appointctl generate` (SCALE_EXPERTS, 1000; SCALE_BOOKINGS, 1000000);
# the slots asked for are one service with all its experts, and start-up
# time and resident memory are measured too
SCALE=${SCALE:-0}
SCALE_EXPERTS=${SCALE_EXPERTS:-1000}
SCALE_BOOKINGS=${SCALE_BOOKINGS:-1000000}
GOAL_STARTUP_S=0.5
GOAL_RSS_MB=100
if [ "$SCALE" = 1 ]; then
	GOAL_P99_MS=10
fi

SERVICE=personal-styling
N_EXPERTS=20
# more experts for the booking run, added after the slots are measured,
# so that wrk does not run out of free sessions to book (at full scale
# too: the generated experts' free sessions ran out in 4 s from 32 clients)
N_BOOK_EXPERTS=${N_BOOK_EXPERTS:-300}
BOOKED_PERCENT=30

BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
APPOINTD=${APPOINTD:-$BUILD/src/appointd}
APPOINTCTL=${APPOINTCTL:-$BUILD/src/appointctl}
BARE_SERVER=${BARE_SERVER:-$BUILD/bench/bare-server}
BENCH_BOOKING=${BENCH_BOOKING:-$BUILD/bench/bench-booking}
BOOK_LUA=$HERE/book.lua
PACED_LUA=$HERE/paced.lua
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
BOOK_DURATION=${BOOK_DURATION:-5s}
RAW_COMMITS=${RAW_COMMITS:-20000}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
BOOK_CONNECTIONS=${BOOK_CONNECTIONS:-8}
BOOK_CONNECTIONS_WIDE=${BOOK_CONNECTIONS_WIDE:-32}
MIX_BOOKINGS=${MIX_BOOKINGS:-20}
MIX_DURATION=${MIX_DURATION:-10s}
WARMUP=${WARMUP:-2s}
ACCESS_LOG=${ACCESS_LOG:-true}

say() { printf '%s\n' "$*"; }
die() { printf 'bench-http: %s\n' "$*" >&2; exit 1; }

say "bench-http: $0 $*"

# what is needed, checked before anything starts
for tool in wrk curl sqlite3 awk; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "'$tool' is not installed (Debian: apt-get install $tool)"
done
for exe in "$APPOINTD" "$APPOINTCTL" "$BARE_SERVER" "$BENCH_BOOKING"; do
	[ -x "$exe" ] || die "$exe: not found or not executable (build it with meson compile -C $BUILD)"
done
[ -r "$BOOK_LUA" ] || die "$BOOK_LUA: not found"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-http.XXXXXX")
APPOINTD_PID=
BARE_PID=
SIZED_PID=

# SIGTERM, then wait for a clean exit; our own children only, by pid
stop() {
	local pid=$1 name=$2 rc=0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	wait "$pid" 2>/dev/null || rc=$?
	[ "$rc" = 0 ] || say "bench-http: $name exited with $rc after SIGTERM" >&2
}

cleanup() {
	stop "$APPOINTD_PID" appointd
	stop "$BARE_PID" bare-server
	stop "$SIZED_PID" bare-server-sized
	if [ "${KEEP_TMP:-0}" = 1 ]; then
		say "bench-http: kept $TMP"
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

. "$HERE/bench-common.sh"

# until URL answers 200, as long as PID lives (5 s at most)
wait_ready() {
	local url=$1 pid=$2 name=$3
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || die "$name exited at start-up (log: $TMP/$name.log): $(tail -n 3 "$TMP/$name.log")"
		if curl -fsS -o /dev/null "$url" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	die "$name did not answer $url within 5 s"
}

# the date of the next Monday at least two days ahead (past the notice)
D1=
for i in 2 3 4 5 6 7 8; do
	if [ "$(date -d "+$i days" +%u)" = 1 ]; then
		D1=$(date -d "+$i days" +%F)
		break
	fi
done
D7=$(date -d "$D1 +6 days" +%F)
# bookings go to the weeks after the measured one (the 62 days one request
# may ask for; what lies past the horizon is simply not offered)
B1=$(date -d "$D1 +7 days" +%F)
B2=$(date -d "$B1 +61 days" +%F)

APPOINTD_PORT=$(free_port)
BARE_PORT=$(free_port)
while [ "$BARE_PORT" = "$APPOINTD_PORT" ]; do
	BARE_PORT=$(free_port)
done
CONF=$TMP/appoint.conf
mkdir -p "$TMP/mail"
cat >"$CONF" <<EOF
[server]
listen = 127.0.0.1:$APPOINTD_PORT
access-log = $ACCESS_LOG

[database]
path = $TMP/appoint.db

[mail]
transport = maildir:$TMP/mail

[limits]
bookings-per-minute = 0
EOF
APPOINT=http://127.0.0.1:$APPOINTD_PORT
BARE=http://127.0.0.1:$BARE_PORT

# --- seed ---------------------------------------------------------------

add_experts() {
	for n in $(seq "$1" "$2"); do
		id=$("$APPOINTCTL" --config "$CONF" expert add \
			--name "Bench Expert $n" \
			--email "expert-$n@example.com" \
			--services "$SERVICE" \
			--timezone Europe/London) || die "appointctl expert add failed"
		"$APPOINTCTL" --config "$CONF" hours set --expert "$id" \
			mon=09:00-17:30 tue=09:00-17:30 wed=09:00-17:30 thu=09:00-17:30 \
			fri=09:00-17:30 sat=10:00-16:00 >/dev/null ||
			die "appointctl hours set failed"
	done
}
if [ "$SCALE" = 1 ]; then
	"$APPOINTCTL" --config "$CONF" generate --experts "$SCALE_EXPERTS" \
		--bookings "$SCALE_BOOKINGS" >"$TMP/generate.txt" || die "appointctl generate failed"
	say "bench-http: $(cat "$TMP/generate.txt")"
	N_EXPERTS=$(sqlite3 "$TMP/appoint.db" \
		"SELECT count(*) FROM expert_services WHERE service_id = '$SERVICE'")
else
	add_experts 1 "$N_EXPERTS"
fi

STARTED=$(date +%s.%N)
"$APPOINTD" --config "$CONF" >"$TMP/appointd.log" 2>&1 &
APPOINTD_PID=$!
until curl -fs -o /dev/null "$APPOINT/healthz" 2>/dev/null; do
	kill -0 "$APPOINTD_PID" 2>/dev/null || die "appointd exited at start-up: $(tail -n 3 "$TMP/appointd.log")"
	sleep 0.002
done
STARTUP_S=$(awk -v a="$STARTED" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
"$BARE_SERVER" "$BARE_PORT" >"$TMP/bare-server.log" 2>&1 &
BARE_PID=$!
wait_ready "$APPOINT/healthz" "$APPOINTD_PID" appointd
wait_ready "$BARE/" "$BARE_PID" bare-server

# the minutes one booking blocks: nothing of one expert may start closer
SERVICE_JSON=$(curl -fsS "$APPOINT/api/v1/services" | tr '{' '\n' | grep "\"id\":\"$SERVICE\"") ||
	die "GET /api/v1/services has no $SERVICE"
field() { printf '%s' "$SERVICE_JSON" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
GAP=$(($(field buffer_before_minutes) + $(field duration_minutes) + $(field buffer_after_minutes)))
[ "$GAP" -gt 0 ] || die "cannot read the duration of $SERVICE"

# "START EXPERT" for every free slot of every expert from $1 to $2, then
# only those at least $GAP minutes after the last one kept for the same
# expert and day, so that no two of them conflict
free_sessions() {
	curl -fsS "$APPOINT/api/v1/slots?service=$SERVICE&from=$1&to=$2" >"$TMP/slots.json" ||
		die "GET /api/v1/slots from $1 to $2 failed"
	grep -o '"start":"[^"]*","end":"[^"]*","experts":\[[0-9,]*\]' "$TMP/slots.json" |
		sed 's/"start":"\([^"]*\)".*"experts":\[\([0-9,]*\)\]/\1 \2/' |
		awk '{ n = split($2, e, ","); for (i = 1; i <= n; i++) print $1, e[i] }' |
		sort -k2,2n -k1,1 |
		awk -v gap="$GAP" '{
			day = substr($1, 1, 10)
			minute = substr($1, 12, 2) * 60 + substr($1, 15, 2)
			if ($2 != expert || day != last_day || minute >= last + gap) {
				print
				expert = $2; last_day = day; last = minute
			}
		}'
}

# about BOOKED_PERCENT % of the sessions of the measured week, through the
# API, in one curl process
free_sessions "$D1" "$D7" >"$TMP/week.txt"
GEN_MAX_ID=0
if [ "$SCALE" = 1 ]; then
	# the generated bookings are the load: none added through the API
	GEN_MAX_ID=$(sqlite3 -readonly "$TMP/appoint.db" "SELECT coalesce(max(id), 0) FROM bookings")
	: >"$TMP/seed.txt"
	SEED_START=$(date +%s.%N)
	SEED_END=$SEED_START
	SEEDED=$(sqlite3 -readonly "$TMP/appoint.db" "SELECT count(*) FROM bookings WHERE status != 'cancelled'")
else
	awk -v p="$BOOKED_PERCENT" 'BEGIN { srand(1) } rand() * 100 < p' "$TMP/week.txt" >"$TMP/seed.txt"
	awk -v url="$APPOINT/api/v1/bookings" -v service="$SERVICE" '{
		if (NR > 1)
			print "next"
		print "url = \"" url "\""
		print "header = \"Content-Type: application/json\""
		printf "data = \"{\\\"service\\\":\\\"%s\\\",\\\"start\\\":\\\"%s\\\",\\\"expert\\\":%s,", service, $1, $2
		printf "\\\"customer\\\":{\\\"name\\\":\\\"Seed Customer\\\",\\\"email\\\":\\\"seed-%d@example.com\\\"},", NR
		print "\\\"answers\\\":{\\\"occasion\\\":\\\"Work\\\"}}\""
		print "output = \"/dev/null\""
		print "write-out = \"%{http_code}\\n\""
	}' "$TMP/seed.txt" >"$TMP/seed.curl"
	SEED_START=$(date +%s.%N)
	curl -sS -K "$TMP/seed.curl" >"$TMP/seed.status" || die "seeding bookings failed"
	SEED_END=$(date +%s.%N)
	SEEDED=$(grep -c '^201$' "$TMP/seed.status" || true)
	SEED_WANTED=$(wc -l <"$TMP/seed.txt")
	[ "$SEEDED" = "$SEED_WANTED" ] ||
		die "seeding: $SEEDED of $SEED_WANTED bookings created (statuses: $(sort "$TMP/seed.status" | uniq -c | tr '\n' ' '))"
fi

# the seeded bookings' emails are delivered before anything is measured:
# the outbox thread composing them would otherwise share the cores with
# the slots rounds below, which the bare server never has to
DRAIN_START=$(date +%s.%N)
for _ in $(seq 1200); do
	PENDING=$(curl -fsS "$APPOINT/metrics" | awk '$1 == "appoint_outbox_pending" { print $2 }')
	[ -n "$PENDING" ] || die "/metrics says nothing of the outbox (appoint_outbox_pending)"
	[ "$PENDING" = 0 ] && break
	sleep 0.1
done
[ "$PENDING" = 0 ] || die "the seeded bookings' emails were not delivered in 2 minutes ($PENDING pending)"
DRAIN_SECONDS=$(awk -v a="$DRAIN_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

SLOTS_PATH="/api/v1/slots?service=$SERVICE&from=$D1&to=$D7"
SLOTS_BYTES=$(curl -fsS "$APPOINT$SLOTS_PATH" | wc -c)
SLOTS_COUNT=$(curl -fsS "$APPOINT$SLOTS_PATH" | grep -o '"start"' | wc -l)
BARE_BYTES=$(curl -fsS "$BARE/" | wc -c)
say "bench-http: $N_EXPERTS experts, $(wc -l <"$TMP/week.txt") sessions in $D1..$D7 of which $SEEDED booked" \
	"($(awk -v a="$SEED_START" -v b="$SEED_END" 'BEGIN { printf "%.1f", b - a }') s, their emails delivered $DRAIN_SECONDS s later);" \
	"slots answer: $SLOTS_COUNT slots, $SLOTS_BYTES bytes; bare answer: $BARE_BYTES bytes"

# --- GET: bare server, then appointd's slots ----------------------------

# wrk's human output to "RPS P50_MS P99_MS NON2XX ERRORS"
parse_wrk() {
	awk '
	function ms(v) {
		if (v ~ /us$/) return v / 1000
		if (v ~ /ms$/) return v + 0
		if (v ~ /m$/) return v * 60000
		if (v ~ /s$/) return v * 1000
		return v + 0
	}
	/Requests\/sec:/ { rps = $2 }
	$1 == "50%" { p50 = ms($2) }
	$1 == "99%" { p99 = ms($2) }
	/Non-2xx or 3xx responses:/ { non2xx = $NF }
	/Socket errors:/ { errors = $4 + $6 + $8 + $10 }
	END { printf "%s %.3f %.3f %d %d\n", rps, p50, p99, non2xx, errors }' "$1"
}

# the CPU time process PID has used, user and system, in clock ticks
process_ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# wrk against URL after a warm-up; with PID, also the CPU time that
# process spent on the measured run, in $TMP/ticks-NAME.txt
run_get() {
	local name=$1 url=$2 pid=${3:-} t0=
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
	say "bench-http: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency '$url'"
	[ -z "$pid" ] || t0=$(process_ticks "$pid")
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$TMP/wrk-$name.txt"
	[ -z "$pid" ] || echo $(($(process_ticks "$pid") - t0)) >"$TMP/ticks-$name.txt"
}

# microseconds of the server's CPU time a request in run NAME
cpu_per_request() {
	awk -v hz="$(getconf CLK_TCK)" -v ticks="$(cat "$TMP/ticks-$1.txt")" \
		'/ requests in / { printf "%.1f\n", ticks * 1e6 / hz / $1 }' "$TMP/wrk-$1.txt"
}

# the ceiling twice: a tiny constant, and a constant as large as the slots
# answer, whose writing appointd cannot avoid either
SIZED_PORT=$(free_port)
while [ "$SIZED_PORT" = "$APPOINTD_PORT" ] || [ "$SIZED_PORT" = "$BARE_PORT" ]; do
	SIZED_PORT=$(free_port)
done
SIZED=http://127.0.0.1:$SIZED_PORT
"$BARE_SERVER" "$SIZED_PORT" "$SLOTS_BYTES" >"$TMP/bare-server-sized.log" 2>&1 &
SIZED_PID=$!
wait_ready "$SIZED/" "$SIZED_PID" bare-server-sized

# the sized ceiling and the slots in turn, ROUNDS times: the machine's
# speed drifts between runs (other tenants), and a ratio of two runs
# made side by side, taken at the median round, is steadier than one of
# two runs far apart
run_get bare "$BARE/"
: >"$TMP/rounds.txt"
: >"$TMP/cpu-rounds.txt"
for round in $(seq "$ROUNDS"); do
	run_get "sized-$round" "$SIZED/" "$SIZED_PID"
	run_get "slots-$round" "$APPOINT$SLOTS_PATH" "$APPOINTD_PID"
	read -r rps _ _ non2xx _ < <(parse_wrk "$TMP/wrk-sized-$round.txt")
	read -r slots_rps _ _ slots_non2xx _ < <(parse_wrk "$TMP/wrk-slots-$round.txt")
	[ -n "$rps" ] && [ -n "$slots_rps" ] || die "cannot read wrk's output ($TMP/wrk-*-$round.txt)"
	[ "$non2xx" = 0 ] && [ "$slots_non2xx" = 0 ] ||
		die "non-2xx answers in round $round: sized $non2xx, slots $slots_non2xx"
	awk -v r="$round" -v s="$slots_rps" -v b="$rps" 'BEGIN { printf "%.3f %d\n", s / b, r }' >>"$TMP/rounds.txt"
	# the same two in the CPU time each server spent a request: what
	# the rates would say if neither shared its cores with wrk
	printf '%s %s\n' "$(cpu_per_request "sized-$round")" "$(cpu_per_request "slots-$round")" |
		awk '{ printf "%s %.1f %.1f\n", ($2 > 0 ? sprintf("%.3f", $1 / $2) : "n/a"), $1, $2 }' \
			>>"$TMP/cpu-rounds.txt"
done
CPU_MEDIAN=$(sort -n "$TMP/cpu-rounds.txt" | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }')
CPU_ROUND_RATIOS=$(awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }' "$TMP/cpu-rounds.txt")
MEDIAN_ROUND=$(sort -n "$TMP/rounds.txt" | awk '{ r[NR] = $2 } END { print r[int((NR + 1) / 2)] }')
ROUND_RATIOS=$(sort -k2,2n "$TMP/rounds.txt" | awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }')
cp "$TMP/wrk-sized-$MEDIAN_ROUND.txt" "$TMP/wrk-sized.txt"
cp "$TMP/wrk-slots-$MEDIAN_ROUND.txt" "$TMP/wrk-slots.txt"
read -r BARE_RPS BARE_P50 BARE_P99 BARE_NON2XX BARE_ERR < <(parse_wrk "$TMP/wrk-bare.txt")
read -r SIZED_RPS SIZED_P50 SIZED_P99 SIZED_NON2XX SIZED_ERR < <(parse_wrk "$TMP/wrk-sized.txt")
read -r SLOTS_RPS SLOTS_P50 SLOTS_P99 SLOTS_NON2XX SLOTS_ERR < <(parse_wrk "$TMP/wrk-slots.txt")
if [ -z "$BARE_RPS" ] || [ -z "$SIZED_RPS" ] || [ -z "$SLOTS_RPS" ]; then
	die "cannot read wrk's output ($TMP/wrk-*.txt)"
fi
if [ "$BARE_NON2XX" != 0 ] || [ "$SIZED_NON2XX" != 0 ] || [ "$SLOTS_NON2XX" != 0 ]; then
	die "non-2xx answers: bare $BARE_NON2XX, sized $SIZED_NON2XX, slots $SLOTS_NON2XX"
fi

# the same two at a set load, half the sized ceiling's rate in the median
# round: at full speed wrk measures mostly how long a request queues
# behind the other connections' on two shared cores, so the p99 is also
# taken where nothing need queue; whatever the server, what is left of
# it there is the machine's (a virtual CPU that idles between requests
# can take milliseconds to be woken)
PACE_MS=$(awk -v c="$CONNECTIONS" -v r="$SIZED_RPS" 'BEGIN {
	p = int(1000 * c / (r / 2) + 0.5); print (p < 1 ? 1 : p) }')
run_paced() {
	local name=$1 url=$2
	say "bench-http: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s $PACED_LUA '$url' -- $PACE_MS"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$PACED_LUA" "$url" \
		-- "$PACE_MS" >"$TMP/wrk-$name.txt"
}
run_paced sized-paced "$SIZED/"
run_paced slots-paced "$APPOINT$SLOTS_PATH"
read -r SIZED_PACED_RPS SIZED_PACED_P50 SIZED_PACED_P99 SIZED_PACED_NON2XX _ < <(parse_wrk "$TMP/wrk-sized-paced.txt")
read -r SLOTS_PACED_RPS SLOTS_PACED_P50 SLOTS_PACED_P99 SLOTS_PACED_NON2XX _ < <(parse_wrk "$TMP/wrk-slots-paced.txt")
[ -n "$SIZED_PACED_RPS" ] && [ -n "$SLOTS_PACED_RPS" ] || die "cannot read wrk's output ($TMP/wrk-*-paced.txt)"
[ "$SIZED_PACED_NON2XX" = 0 ] && [ "$SLOTS_PACED_NON2XX" = 0 ] ||
	die "non-2xx answers at a set load: sized $SIZED_PACED_NON2XX, slots $SLOTS_PACED_NON2XX"

# --- POST: bookings to distinct free slots ------------------------------

# CPU time in clock ticks, "NAME TICKS" a line: each of appointd's threads
# by name (user + system, threads of one name summed), then the whole
# machine's busy time (everything in /proc/stat but idle and iowait)
cpu_snapshot() {
	local task
	for task in /proc/"$APPOINTD_PID"/task/*; do
		printf '%s %s\n' "$(cat "$task/comm")" "$(sed 's/.*) //' "$task/stat" | awk '{ print $12 + $13 }')"
	done | awk '{ t[$1] += $2 } END { for (n in t) print n, t[n] }' >"$1"
	awk '$1 == "cpu" { print "machine", $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat >>"$1"
}

# the database the slots were measured on, for bench-instructions.sh
if [ "${KEEP_TMP:-0}" = 1 ]; then
	sqlite3 "$TMP/appoint.db" ".backup '$TMP/slots.db'" || die "cannot copy the database"
fi
# appointd sees experts added by another process at its next request
add_experts $((N_EXPERTS + 1)) $((N_EXPERTS + N_BOOK_EXPERTS))

free_sessions "$B1" "$B2" | awk 'BEGIN { srand(2) } { print rand(), $0 }' | sort -k1,1 |
	cut -d' ' -f2- >"$TMP/pairs.txt"

# --- GET while bookings land ---------------------------------------------

# every booking makes every kept slots answer old, so the next question
# is computed again; that is done on a thread of its own, and the main
# loop goes on answering meanwhile. /healthz at the set load above while
# a booking lands every half second, each followed by the week's slots
head -n "$MIX_BOOKINGS" "$TMP/pairs.txt" >"$TMP/mix-pairs.txt"
tail -n +$((MIX_BOOKINGS + 1)) "$TMP/pairs.txt" >"$TMP/book-pairs.txt"
mix_bookings() {
	local n=0 start expert
	while read -r start expert; do
		curl -s -o /dev/null -w '%{http_code} ' -X POST -H 'Content-Type: application/json' \
			-d "{\"service\":\"$SERVICE\",\"start\":\"$start\",\"expert\":$expert,\"customer\":{\"name\":\"Mix Customer\",\"email\":\"mix-$n@example.com\"},\"answers\":{\"occasion\":\"Work\"}}" \
			"$APPOINT/api/v1/bookings"
		curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$APPOINT$SLOTS_PATH"
		n=$((n + 1))
		sleep 0.5
	done <"$TMP/mix-pairs.txt" >"$TMP/mix.txt"
}
mix_bookings &
MIX_PID=$!
say "bench-http: wrk -t$THREADS -c$CONNECTIONS -d$MIX_DURATION --latency -s $PACED_LUA '$APPOINT/healthz' -- $PACE_MS   (while $MIX_BOOKINGS bookings land)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$MIX_DURATION" --latency -s "$PACED_LUA" "$APPOINT/healthz" \
	-- "$PACE_MS" >"$TMP/wrk-mix.txt"
wait "$MIX_PID" || die "the bookings while /healthz was measured failed"
read -r MIX_RPS MIX_P50 MIX_P99 MIX_NON2XX _ < <(parse_wrk "$TMP/wrk-mix.txt")
[ -n "$MIX_RPS" ] || die "cannot read wrk's output ($TMP/wrk-mix.txt)"
MIX_CREATED=$(awk '$1 == 201' "$TMP/mix.txt" | wc -l)
MIX_SLOTS=$(awk '$2 == 200 { print $3 * 1000 }' "$TMP/mix.txt" | sort -n |
	awk '{ t[NR] = $1 } END { if (NR) printf "median %.1f ms, slowest %.1f ms", t[int((NR + 1) / 2)], t[NR] }')

# bookings from two numbers of clients, each booking its own half of the
# free sessions: with more at once, group commit shares a commit among
# more of them. NAME CONNECTIONS PAIRS: wrk's summary in
# $TMP/wrk-book-NAME.txt, the CPU times around it in $TMP/cpu-NAME-*.txt
book_run() {
	local name=$1 connections=$2 pairs=$3
	say "bench-http: wrk -t$THREADS -c$connections -d$BOOK_DURATION --latency -s $BOOK_LUA '$APPOINT' -- $(basename "$pairs") $THREADS   ($(wc -l <"$pairs") free sessions in $B1..$B2)"
	cpu_snapshot "$TMP/cpu-$name-before.txt"
	wrk -t"$THREADS" -c"$connections" -d"$BOOK_DURATION" --latency -s "$BOOK_LUA" "$APPOINT" \
		-- "$pairs" "$THREADS" >"$TMP/wrk-book-$name.txt"
	cpu_snapshot "$TMP/cpu-$name-after.txt"
	grep -q '^book: ' "$TMP/wrk-book-$name.txt" || die "book.lua printed no summary ($TMP/wrk-book-$name.txt)"
}
awk 'NR % 2 == 1' "$TMP/book-pairs.txt" >"$TMP/book-pairs-narrow.txt"
awk 'NR % 2 == 0' "$TMP/book-pairs.txt" >"$TMP/book-pairs-wide.txt"
# the ceiling for booking: a raw SQLite loop of the same durability (WAL,
# synchronous=FULL, one commit a booking) on the same disk, in this run,
# RAW_COMMITS long (a few seconds, as the runs it is held against; 10 s
# at the most on a slow disk), once
# before the bookings and once after appointd has stopped, the mean of
# the two: the disk's rate drifts, and one short sample (it was 1,000
# commits, a sixth of a second, taken while appointd's checkpoint of the
# bookings still wrote to the disk) read anywhere from 4,700 to 8,500
# commits/s in runs an hour apart
raw_rate() {
	local rate
	rate=$(TMPDIR=$TMP "$BENCH_BOOKING" --raw-only "$RAW_COMMITS" |
		sed -n 's/^raw sqlite: \([0-9]*\) commits\/s$/\1/p')
	[ -n "$rate" ] || die "bench-booking printed no raw rate"
	echo "$rate"
}
RAW_BEFORE=$(raw_rate)
book_run narrow "$BOOK_CONNECTIONS" "$TMP/book-pairs-narrow.txt"
book_run wide "$BOOK_CONNECTIONS_WIDE" "$TMP/book-pairs-wide.txt"
# FIELD of run NAME's summary
book() { grep '^book: ' "$TMP/wrk-book-$1.txt" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# appointd finishes what is in flight before it exits: count after that
# resident memory once it has answered everything above
RSS_MB=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$APPOINTD_PID/status")
STOP_START=$(date +%s.%N)
stop "$APPOINTD_PID" appointd
APPOINTD_PID=
STOP_SECONDS=$(awk -v a="$STOP_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
# the ceiling again, once appointd has stopped: not while its checkpoint
# of the bookings' log still writes to the same disk
RAW_AFTER=$(raw_rate)
RAW_RATE=$(awk -v a="$RAW_BEFORE" -v b="$RAW_AFTER" 'BEGIN { printf "%.0f", (a + b) / 2 }')
DB=$TMP/appoint.db
ACTIVE=$(sqlite3 -readonly "$DB" "SELECT count(*) FROM bookings WHERE status != 'cancelled'")
SAME_START=$(sqlite3 -readonly "$DB" "
	SELECT count(*) FROM (
		SELECT expert_id, start_at FROM bookings WHERE status != 'cancelled'
		GROUP BY expert_id, start_at HAVING count(*) > 1)")
OVERLAPS=$(sqlite3 -readonly "$DB" "
	SELECT count(*) FROM bookings a JOIN bookings b
	ON a.expert_id = b.expert_id AND a.id < b.id
	AND a.start_at < b.end_at AND b.start_at < a.end_at
	WHERE a.status != 'cancelled' AND b.status != 'cancelled' AND b.id > $GEN_MAX_ID")

# --- report -------------------------------------------------------------

RATIO=$(awk -v s="$SLOTS_RPS" -v b="$SIZED_RPS" 'BEGIN { printf "%.3f", s / b }')
RATIO_TINY=$(awk -v s="$SLOTS_RPS" -v b="$BARE_RPS" 'BEGIN { printf "%.3f", s / b }')
verdict() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {
	ok = (op == ">=") ? (v >= g) : (v < g)
	print ok ? "met" : "MISSED" }'; }

say ""
say "appointd: ready $STARTUP_S s after it was started (goal < $GOAL_STARTUP_S s:" \
	"$(verdict "$STARTUP_S" "<" "$GOAL_STARTUP_S")); resident $RSS_MB MB after the runs below" \
	"(goal < $GOAL_RSS_MB MB: $(verdict "$RSS_MB" "<" "$GOAL_RSS_MB"))"
say "GET, $CONNECTIONS connections, $THREADS threads, $DURATION each, one after the other;" \
	"the sized ceiling and the slots $ROUNDS times in turn, the median round shown:"
printf '  %-36s %10s %9s %9s %11s\n' "" "req/s" "p50 ms" "p99 ms" "sock errors"
printf '  %-36s %10.0f %9.3f %9.3f %11d\n' "bare-server GET / ($BARE_BYTES B)" \
	"$BARE_RPS" "$BARE_P50" "$BARE_P99" "$BARE_ERR"
printf '  %-36s %10.0f %9.3f %9.3f %11d\n' "bare-server GET / ($SLOTS_BYTES B)" \
	"$SIZED_RPS" "$SIZED_P50" "$SIZED_P99" "$SIZED_ERR"
printf '  %-36s %10.0f %9.3f %9.3f %11d\n' "appointd GET slots ($SLOTS_BYTES B)" \
	"$SLOTS_RPS" "$SLOTS_P50" "$SLOTS_P99" "$SLOTS_ERR"
say ""
say "  slots/bare req/s, answers of the same size = $RATIO   (goal >= $GOAL_RATIO: $(verdict "$RATIO" ">=" "$GOAL_RATIO"));" \
	"each round: $ROUND_RATIOS"
say "  slots/bare req/s, against a $BARE_BYTES-byte constant = $RATIO_TINY"
read -r CPU_RATIO CPU_BARE_US CPU_SLOTS_US <<<"$CPU_MEDIAN"
say "  the servers' own CPU time a request (user + system), median round: bare $CPU_BARE_US us," \
	"slots $CPU_SLOTS_US us, bare/slots = $CPU_RATIO; each round: $CPU_ROUND_RATIOS"
say "  slots p99 at saturation = $SLOTS_P99 ms   (goal < $GOAL_P99_MS ms: $(verdict "$SLOTS_P99" "<" "$GOAL_P99_MS"));" \
	"the bare server's own p99: $BARE_P99 ms ($BARE_BYTES B), $SIZED_P99 ms ($SLOTS_BYTES B)"
say "the same $CONNECTIONS connections at a set load, each pausing $PACE_MS ms after every answer" \
	"(at most $(awk -v c="$CONNECTIONS" -v p="$PACE_MS" 'BEGIN { printf "%.0f", c * 1000 / p }') req/s," \
	"half the sized ceiling's rate above):"
printf '  %-36s %10s %9s %9s\n' "" "req/s" "p50 ms" "p99 ms"
printf '  %-36s %10.0f %9.3f %9.3f\n' "bare-server GET / ($SLOTS_BYTES B)" \
	"$SIZED_PACED_RPS" "$SIZED_PACED_P50" "$SIZED_PACED_P99"
printf '  %-36s %10.0f %9.3f %9.3f\n' "appointd GET slots ($SLOTS_BYTES B)" \
	"$SLOTS_PACED_RPS" "$SLOTS_PACED_P50" "$SLOTS_PACED_P99"
say "  slots p99 at a set load = $SLOTS_PACED_P99 ms   (goal < $GOAL_P99_MS ms: $(verdict "$SLOTS_PACED_P99" "<" "$GOAL_P99_MS"))"
say ""
say "GET /healthz at the same set load, $MIX_DURATION, while $MIX_BOOKINGS bookings landed" \
	"($MIX_CREATED answered 201), one every half second, each followed by the week's slots:"
say "  /healthz: $MIX_RPS req/s, p50 $MIX_P50 ms, p99 $MIX_P99 ms, non-2xx $MIX_NON2XX;" \
	"the slots after each booking, computed again: ${MIX_SLOTS:-none answered 200}"
say ""
say "POST /api/v1/bookings, $BOOK_DURATION a run, against a raw SQLite loop of the same durability" \
	"on the same disk: $RAW_RATE commits/s (the mean of $RAW_COMMITS commits before the runs," \
	"$RAW_BEFORE/s, and after appointd stopped, $RAW_AFTER/s)"
# one run's lines: its rate, and what one booking cost each thread, from
# the CPU time it used while wrk ran: how far the goal is from what two
# cores can give at all. NAME CONNECTIONS
book_report() {
	local name=$1 connections=$2 ratio cpu_lines busiest busy_name busy_us machine_us
	say "  $connections connections:"
	say "    created (201): $(book "$name" created) in $(book "$name" seconds) s = $(book "$name" created_per_s) bookings/s;" \
		"p50 $(book "$name" p50_ms) ms, p99 $(book "$name" p99_ms) ms"
	say "    409: $(book "$name" conflicts), other statuses: $(book "$name" others)"
	ratio=$(awk -v a="$(book "$name" created_per_s)" -v b="$RAW_RATE" 'BEGIN { printf "%.3f", a / b }')
	cpu_lines=$(awk -v hz="$(getconf CLK_TCK)" -v n="$(book "$name" created)" '
		NR == FNR { before[$1] = $2; next }
		{ us = ($2 - before[$1]) * 1e6 / hz / n; if (us >= 1) printf "%s %.0f\n", $1, us }' \
		"$TMP/cpu-$name-before.txt" "$TMP/cpu-$name-after.txt")
	# the busiest of appointd's threads: the main loop's or the writer's
	busiest=$(printf '%s\n' "$cpu_lines" | awk '$1 != "machine" && $2 > max { max = $2; name = $1 } END { if (max) print name, max }')
	busy_name=${busiest% *}
	busy_us=${busiest#* }
	machine_us=$(printf '%s\n' "$cpu_lines" | awk '$1 == "machine" { print $2 }')
	say "    CPU a booking (user + system, while wrk ran):" \
		"$(printf '%s\n' "$cpu_lines" | awk '$1 != "machine" { printf "%s%s %d us", (n++ ? ", " : ""), $1, $2 }');" \
		"the whole machine, wrk and the kernel's share included: $machine_us us"
	[ -n "$busiest" ] && say "    the busiest thread's ($busy_name) $busy_us us a booking allow at most" \
		"$(awk -v u="$busy_us" 'BEGIN { printf "%.0f", 1e6 / u }') bookings/s on its one core" \
		"($(awk -v u="$busy_us" -v r="$RAW_RATE" 'BEGIN { printf "%.2f", 1e6 / u / r }') of the raw loop);" \
		"0.6 of the raw loop leaves $(awk -v r="$RAW_RATE" 'BEGIN { printf "%.0f", 1e6 / (0.6 * r) }') us a booking"
	[ -n "$machine_us" ] && say "    all $(nproc) cores at the machine's $machine_us us a booking, however the work were" \
		"shared out, allow at most $(awk -v u="$machine_us" -v c="$(nproc)" 'BEGIN { printf "%.0f", c * 1e6 / u }') bookings/s" \
		"($(awk -v u="$machine_us" -v c="$(nproc)" -v r="$RAW_RATE" 'BEGIN { printf "%.2f", c * 1e6 / u / r }') of the raw loop)"
	say "    bookings over HTTP / raw SQLite = $ratio   (goal >= 0.6: $(verdict "$ratio" ">=" 0.6))"
	[ "$(book "$name" exhausted)" = 0 ] ||
		say "    the list of free sessions ran out ($(book "$name" exhausted) repeats, each a 409): the rate is a floor"
	[ "$(book "$name" others)" = 0 ] || say "bench-http: unexpected statuses while booking ($TMP/wrk-book-$name.txt)" >&2
}
book_report narrow "$BOOK_CONNECTIONS"
book_report wide "$BOOK_CONNECTIONS_WIDE"
CREATED=$(($(book narrow created) + $(book wide created)))
say "  active bookings in the database: $ACTIVE ($SEEDED seeded + $MIX_CREATED while /healthz was measured" \
	"+ $CREATED created + $((ACTIVE - SEEDED - MIX_CREATED - CREATED)) answered after wrk stopped)"
say "  double bookings: $SAME_START at the same start, $OVERLAPS overlapping"
say ""
STOP_NOTE=$(grep -o 'stopping with .*' "$TMP/appointd.log" || true)
say "appointd stopped $STOP_SECONDS s after SIGTERM${STOP_NOTE:+ (its log: $STOP_NOTE)}"
if [ "$SAME_START" != 0 ] || [ "$OVERLAPS" != 0 ]; then
	KEEP_TMP=1
	die "DOUBLE BOOKINGS in $DB"
fi
