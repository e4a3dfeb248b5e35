-- Copyright 2026 The appoint developers
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- wrk script for bench-http.sh: each request books a different free slot.
--
--   wrk -tT -cC -dD -s bench/book.lua http://HOST:PORT -- PAIRS T
--
-- PAIRS is a file of "START EXPERT" lines (an RFC 3339 instant and an
-- expert id), free and not overlapping one another; thread i of T takes
-- lines i+1, i+1+T, ... so no two requests ask for the same slot. A
-- thread that runs out sends its last pair again, which must be a 409;
-- those are counted as "exhausted" so that the report can say the list
-- was too short. 201, 409 and anything else are counted apart. (wrk
-- calls request() once before the run to check what it returns, so
-- thread 0's first pair is never sent; that costs nothing.)

local threads = {}
local n_threads = 0

function setup(thread)
	thread:set("thread_index", n_threads)
	n_threads = n_threads + 1
	table.insert(threads, thread)
end

local mine = {}
local next_pair = 0
created = 0
conflicts = 0
others = 0
exhausted = 0

function init(args)
	local path = args[1]
	local stride = tonumber(args[2])
	local n = 0

	if path == nil or stride == nil then
		error("book.lua: usage: -- PAIRS_FILE N_THREADS")
	end
	for line in io.lines(path) do
		if n % stride == thread_index then
			local start, expert = line:match("^(%S+)%s+(%d+)$")
			if start ~= nil then
				table.insert(mine, {start = start, expert = expert})
			end
		end
		n = n + 1
	end
	if #mine == 0 then
		error("book.lua: no pairs for thread " .. thread_index .. " in " .. path)
	end
end

local headers = {["Content-Type"] = "application/json"}

function request()
	next_pair = next_pair + 1
	local pair = mine[next_pair]
	if pair == nil then
		exhausted = exhausted + 1
		pair = mine[#mine]
	end
	local body = string.format(
		'{"service":"personal-styling","start":"%s","expert":%s,' ..
		'"customer":{"name":"Bench Customer","email":"bench-%d-%d@example.com"},' ..
		'"answers":{"occasion":"Work"}}',
		pair.start, pair.expert, thread_index, next_pair)
	return wrk.format("POST", "/api/v1/bookings", headers, body)
end

function response(status, headers, body)
	if status == 201 then
		created = created + 1
	elseif status == 409 then
		conflicts = conflicts + 1
	else
		others = others + 1
	end
end

function done(summary, latency, requests)
	local sums = {created = 0, conflicts = 0, others = 0, exhausted = 0}
	for _, thread in ipairs(threads) do
		for name, _ in pairs(sums) do
			sums[name] = sums[name] + thread:get(name)
		end
	end
	local seconds = summary.duration / 1e6
	-- one line that bench-http.sh parses
	io.write(string.format(
		"book: created=%d conflicts=%d others=%d exhausted=%d seconds=%.3f" ..
		" created_per_s=%.1f p50_ms=%.3f p99_ms=%.3f\n",
		sums.created, sums.conflicts, sums.others, sums.exhausted, seconds,
		sums.created / seconds, latency:percentile(50) / 1000,
		latency:percentile(99) / 1000))
end
