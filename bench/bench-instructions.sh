#!/bin/bash
# Copyright 2026 The appoint developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Instructions a request costs, counted by callgrind: appointd's cached
# GET /api/v1/slots against the bare libsoup server answering a constant
# of the same size, and one POST /api/v1/bookings. Unlike wrk's rates,
# these counts hardly move from one run to the next on a shared machine,
# so a change that makes a request cheaper shows here first.
#
#   bench/bench-instructions.sh [BUILD_DIR]      (default: build)
#
# Each server runs twice under callgrind, answering N1 and then N2
# requests over one kept-alive connection (curl); the difference over
# N2 - N1 is the cost of a request, start-up and shutdown cancelling out.
# Only user space is counted, and only the main thread, the one that
# serves requests, and for bookings the writer's thread too (the store's
# work and the commit): the outbox thread's emails go at their own pace
# (far slower under callgrind), and the kernel's share (sockets, fsync)
# is not counted at all. The data are bench-http.sh's, made by a short
# run of it: the slots asked of the experts it measures them with (an
# answer as long as the bare server's, checked), the bookings made with
# the experts it adds for its booking run.
#
# Needs valgrind, curl, sqlite3 and wrk (for bench-http.sh). Environment:
# N1 (200), N2 (1200), BOOK_N1 (50), BOOK_N2 (350).

set -eu

BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
APPOINTD=${APPOINTD:-$BUILD/src/appointd}
BARE_SERVER=${BARE_SERVER:-$BUILD/bench/bare-server}
N1=${N1:-200}
N2=${N2:-1200}
BOOK_N1=${BOOK_N1:-50}
BOOK_N2=${BOOK_N2:-350}

say() { printf '%s\n' "$*"; }
die() { printf 'bench-instructions: %s\n' "$*" >&2; exit 1; }

for tool in valgrind callgrind_annotate curl sqlite3; do
	command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed"
done

# the data: a short bench-http.sh run, its folder kept
SEED_LOG=$(mktemp)
DURATION=1s BOOK_DURATION=1s WARMUP=1s KEEP_TMP=1 \
	bash "$HERE/bench-http.sh" "$BUILD" >"$SEED_LOG" 2>&1 ||
	die "bench-http.sh failed: $(tail -n 3 "$SEED_LOG")"
DIR=$(sed -n 's/^bench-http: kept //p' "$SEED_LOG")
SLOTS_BYTES=$(sed -n 's/.*slots answer: [0-9]* slots, \([0-9]*\) bytes.*/\1/p' "$SEED_LOG")
rm -f "$SEED_LOG"
[ -d "$DIR" ] || die "bench-http.sh kept no folder"
[ -n "$SLOTS_BYTES" ] || die "bench-http.sh said no size for the slots answer"
trap 'rm -rf "$DIR"' EXIT
SLOTS_PATH=$(grep -o '/api/v1/slots?[^ ]*' "$DIR/wrk-slots.txt" | head -n 1 | tr -d "'")
[ -n "$SLOTS_PATH" ] || die "no slots query in $DIR/wrk-slots.txt"
# the seeding run's own emails are taken as delivered, or every profile
# would count their delivery, more of them the longer it ran
for db in appoint slots; do
	sqlite3 "$DIR/$db.db" "UPDATE outbox SET status = 'sent' WHERE status = 'pending' AND kind != 'reminder';
		PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
done
# the slots are asked of the experts they were measured with, the
# bookings made with the experts added for them
cp "$DIR/appoint.db" "$DIR/pristine.db"

. "$HERE/bench-common.sh"

# total instructions of a callgrind profile
total() {
	callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}

# under callgrind: COMMAND... with $PORT; waits for URL, sends CURL_CONFIG,
# stops it, prints its instructions
profile() {
	local out=$1 ready=$2 curl_config=$3 pid
	shift 3
	valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out" \
		"$@" >"$out.log" 2>&1 &
	pid=$!
	for _ in $(seq 600); do
		curl -fs -o /dev/null "$ready" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || die "$1 exited at start-up ($out.log)"
		sleep 0.1
	done
	curl -s -K "$curl_config" >"$out.status" || die "curl failed against $ready"
	kill -TERM "$pid"
	wait "$pid" || true
	# the main thread's file (callgrind numbers them from 1)
	total "$out-01"
}

# the instructions of the thread of PROFILE that ran FUNCTION (0 if none did)
thread_total() {
	local file
	for file in "$1"-[0-9]*; do
		if grep -q " $2\$" "$file"; then
			total "$file"
			return
		fi
	done
	echo 0
}

# curl's config for N GETs of URL
gets() {
	for _ in $(seq "$2"); do
		printf 'url = "%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code} %%{size_download}\\n"\n' "$1"
	done
}

# curl's config for the first N bookings of the free sessions left
posts() {
	tail -n 2000 "$DIR/pairs.txt" | head -n "$2" | awk -v url="$1" '{
		if (NR > 1)
			print "next"
		print "url = \"" url "\""
		print "header = \"Content-Type: application/json\""
		printf "data = \"{\\\"service\\\":\\\"personal-styling\\\",\\\"start\\\":\\\"%s\\\",", $1
		printf "\\\"expert\\\":%s,\\\"customer\\\":{\\\"name\\\":\\\"Bench Customer\\\",", $2
		printf "\\\"email\\\":\\\"bench-%d@example.com\\\"},\\\"answers\\\":{\\\"occasion\\\":\\\"Work\\\"}}\"\n", NR
		print "output = \"/dev/null\""
		print "write-out = \"%{http_code}\\n\""
	}'
}

PORT=$(free_port)
sed -i "s/^listen = .*/listen = 127.0.0.1:$PORT/" "$DIR/appoint.conf"
APPOINT=http://127.0.0.1:$PORT

# appointd's slots: the first request fills the cache, the rest are
# answered from it, as in bench-http.sh
run_appointd() {
	cp "$DIR/$3.db" "$DIR/appoint.db"
	rm -f "$DIR/appoint.db-wal" "$DIR/appoint.db-shm"
	profile "$DIR/$1.cg" "$APPOINT/healthz" "$2" "$APPOINTD" --config "$DIR/appoint.conf"
}
gets "$APPOINT$SLOTS_PATH" "$N1" >"$DIR/get1.curl"
gets "$APPOINT$SLOTS_PATH" "$N2" >"$DIR/get2.curl"
A1=$(run_appointd slots1 "$DIR/get1.curl" slots)
A2=$(run_appointd slots2 "$DIR/get2.curl" slots)
grep -qv "^200 $SLOTS_BYTES\$" "$DIR/slots2.cg.status" &&
	die "slots: answers other than 200 of $SLOTS_BYTES bytes ($DIR/slots2.cg.status)"

# the bare server, answering as many bytes
BARE_PORT=$(free_port)
BARE=http://127.0.0.1:$BARE_PORT/
gets "$BARE" "$N1" >"$DIR/bare1.curl"
gets "$BARE" "$N2" >"$DIR/bare2.curl"
B1=$(profile "$DIR/bare1.cg" "$BARE" "$DIR/bare1.curl" "$BARE_SERVER" "$BARE_PORT" "$SLOTS_BYTES")
B2=$(profile "$DIR/bare2.cg" "$BARE" "$DIR/bare2.curl" "$BARE_SERVER" "$BARE_PORT" "$SLOTS_BYTES")

# bookings, each its own commit (one client, one at a time)
posts "$APPOINT/api/v1/bookings" "$BOOK_N1" >"$DIR/book1.curl"
posts "$APPOINT/api/v1/bookings" "$BOOK_N2" >"$DIR/book2.curl"
K1=$(run_appointd book1 "$DIR/book1.curl" pristine)
K2=$(run_appointd book2 "$DIR/book2.curl" pristine)
grep -qv '^201$' "$DIR/book2.cg.status" && die "bookings: answers other than 201 ($DIR/book2.cg.status)"
# what the writer's thread did for them
W1=$(thread_total "$DIR/book1.cg" ap_web_writer_thread)
W2=$(thread_total "$DIR/book2.cg" ap_web_writer_thread)

awk -v a1="$A1" -v a2="$A2" -v b1="$B1" -v b2="$B2" -v k1="$K1" -v k2="$K2" -v w1="$W1" -v w2="$W2" \
	-v n="$((N2 - N1))" -v kn="$((BOOK_N2 - BOOK_N1))" -v bytes="$SLOTS_BYTES" 'BEGIN {
	slots = (a2 - a1) / n; bare = (b2 - b1) / n; book = (k2 - k1) / kn; write = (w2 - w1) / kn
	printf "instructions a request (callgrind, user space, the main thread):\n"
	printf "  bare-server GET / (%d B)              %9.0f\n", bytes, bare
	printf "  appointd GET slots, cached (%d B)     %9.0f\n", bytes, slots
	printf "  appointd POST bookings, one a commit  %9.0f  (its emails, on the outbox thread, not included)\n", book
	printf "    and on the writer'"'"'s thread          %9.0f  (the store'"'"'s work and the commit)\n", write
	printf "  bare / slots = %.3f   (the rate ratio this predicts if the kernel'"'"'s share were equal)\n", bare / slots
}'
