-- wrk client of bench/submit_photo.py: each thread (wrk -tN -cN: one connection per thread) either GETs a path
-- (the /api/ping baseline), or opens tickets in turn: GET the form, take its CSRF token and session cookie, POST
-- the form. The body is built once per thread from pieces bench/submit_photo.py wrote (urlencoded or multipart
-- with the photo); only the token and the customer's address (one per ticket: the per-address acknowledgement
-- limit stays out) go in per request.
--   wrk -t8 -c8 -d20s -s bench/submit_photo.lua http://127.0.0.1:PORT -- PATH [PIECES_DIR CONTENT_TYPE]
-- done() prints one line: WRK {"ok": n, "failed": n, "unanswered": n, "seconds": s, "latency_ms": [...]}, a
-- latency per ticket (GET + POST) or per ping; only a POST answered by a redirect to the receipt counts as a
-- ticket. "unanswered": POSTs sent whose answer wrk did not read (cut off at the end, or a broken connection):
-- the server may still have made tickets of them.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *ts);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")
local function now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

local function header(headers, name)    -- header names as the server spelled them
  for key, value in pairs(headers) do
    if key:lower() == name then return value end
  end
end

-- per thread (each has its own Lua state): globals, so that done() can read them with thread:get
ok, failed, latency_ms, posted, answered = 0, 0, {}, 0, 0
local path, ctype, before_token, before_address, after_address
local sent, token, cookie, started, posting = 0, nil, nil, 0, false

function init(args)
  path = args[1]
  if args[2] then
    before_token = slurp(args[2] .. "/before_token")
    before_address = slurp(args[2] .. "/before_address")
    after_address = slurp(args[2] .. "/after_address")
    ctype = args[3]
  end
end

function request()
  if not posting then
    started = now()
    return wrk.format("GET", path)
  end
  sent, posted = sent + 1, posted + 1
  local address = id .. "-" .. sent
  local length = #before_token + #token + #before_address + #address + #after_address
  -- the request in one concatenation (wrk.format would copy the 2 MB body twice more)
  return string.format("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nCookie: %s\r\nContent-Length: %d\r\n\r\n",
                       path, wrk.headers["Host"], ctype, cookie, length)
         .. before_token .. token .. before_address .. address .. after_address
end

local function tally(good)
  if good then
    ok = ok + 1
    latency_ms[#latency_ms + 1] = (now() - started) * 1000
  else
    failed = failed + 1
  end
end

function response(status, headers, body)
  if not before_token then                -- a plain GET
    tally(status == 200)
  elseif not posting then                 -- the form: its token and session cookie
    token = status == 200 and body:match('name="csrf_token"[^>]*value="([^"]+)"')
    local set = header(headers, "set-cookie")
    cookie = set and set:match("^[^;]+")
    if token and cookie then posting = true else tally(false) end
  else                                    -- the POST: a redirect to the receipt, or a failure
    answered = answered + 1
    local location = header(headers, "location") or ""
    tally((status == 302 or status == 303) and location:find("/ticket/%u%u%-%d+/received") ~= nil)
    posting = false
  end
end

function done(summary, latency, requests)
  local good, bad, unanswered, all = 0, 0, 0, {}
  for _, thread in ipairs(threads) do
    good = good + thread:get("ok")
    bad = bad + thread:get("failed")
    unanswered = unanswered + thread:get("posted") - thread:get("answered")
    for _, ms in ipairs(thread:get("latency_ms")) do all[#all + 1] = string.format("%.3f", ms) end
  end
  local errors = summary.errors            -- sockets that failed and requests that timed out
  bad = bad + errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format('WRK {"ok": %d, "failed": %d, "unanswered": %d, "seconds": %.6f, "latency_ms": [%s]}\n',
                         good, bad, unanswered, summary.duration / 1e6, table.concat(all, ", ")))
end
