-- Copyright 2026 The appoint developers
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- wrk script for bench-http.sh: latency at a set load instead of at
-- saturation.
--
--   wrk -tT -cC -dD --latency -s bench/paced.lua URL -- PAUSE_MS
--
-- Each connection waits PAUSE_MS after every answer before it sends the
-- next request, so C connections offer at most C * 1000 / PAUSE_MS
-- requests a second, whatever the server's speed. Below saturation a
-- request's latency is the server's own time to answer it, not the time
-- it queued behind the other connections' requests, which is what wrk
-- measures when every connection sends as fast as it is answered.

local pause_ms = 0

function init(args)
	pause_ms = tonumber(args[1])
	if pause_ms == nil or pause_ms < 1 then
		error("paced.lua: usage: -- PAUSE_MS (a whole number of milliseconds, at least 1)")
	end
end

function delay()
	return pause_ms
end
