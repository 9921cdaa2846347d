-- wrk script for scripts/load-test.sh: a mix of what a published site is asked for.
-- Of every 20 requests: 15 public (the home page, a measure, a city, the data page — served
-- from the page cache — and a measure through the API, which is not cached), 4 logged-in reads
-- (the office's work page, a lead's plan list, the auditor's audit log, a city's standing
-- through the API) and 1 write that does not grow the database (a plan check, or a login then
-- a logout). Any answer other than 200 is counted and its first few printed at the end.
--
--   wrk ... -s scripts/load-mix.lua URL -- OFFICE AUDIT GXT CHANGSHA PLAN.toml PASSWORD
-- (the four are session tokens from POST /api/login; cookies for pages, bearer for the API)

local cities = { "430100", "430200", "430300", "430400", "430500", "430600", "430700",
  "430800", "430900", "431000", "431100", "431200", "431300", "433100" }
local names = { "demo-office", "demo-fgw", "demo-gxt", "demo-tjj", "demo-audit", "demo-changsha" }
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  office, audit, gxt, changsha = args[1], args[2], args[3], args[4]
  local f = assert(io.open(args[5], "rb"))
  plan = f:read("*a")
  f:close()
  password = args[6]
  step = 0
  writes = 0
  logouts = {}
  counts = { public = 0, user = 0, write = 0, login = 0, logout = 0 }
  bad = 0
  bad_sample = ""
end

local function cookie(token) return { Cookie = "jili_session=" .. token } end
local function bearer(token) return { Authorization = "Bearer " .. token } end

function request()
  step = step + 1
  local n = step + id * 7
  local slot = n % 20
  if slot < 15 then
    counts.public = counts.public + 1
    local k = n % 5
    local i = math.floor(n / 20)
    if k == 0 then return wrk.format("GET", "/")
    elseif k == 1 then return wrk.format("GET", "/measures/" .. (i % 20 + 1))
    elseif k == 2 then return wrk.format("GET", "/units/" .. cities[i % #cities + 1])
    elseif k == 3 then return wrk.format("GET", "/data")
    else return wrk.format("GET", "/api/measures/" .. (i % 20 + 1)) end
  elseif slot < 19 then
    counts.user = counts.user + 1
    if slot == 15 then return wrk.format("GET", "/work", cookie(office))
    elseif slot == 16 then return wrk.format("GET", "/work/plans", cookie(gxt))
    elseif slot == 17 then return wrk.format("GET", "/work/audit", cookie(audit))
    else return wrk.format("GET", "/api/standing/430100", bearer(changsha)) end
  end
  counts.write = counts.write + 1
  writes = writes + 1
  if #logouts > 0 then
    counts.logout = counts.logout + 1
    return wrk.format("POST", "/api/logout", bearer(table.remove(logouts)), "")
  elseif writes % 5 == 0 then
    counts.login = counts.login + 1
    -- The name changes each time: logins of one name at the same moment are limited.
    local name = names[(writes / 5) % #names + 1]
    local body = '{"name":"' .. name .. '","password":"' .. password .. '"}'
    return wrk.format("POST", "/api/login", { ["Content-Type"] = "application/json" }, body)
  end
  return wrk.format("POST", "/api/plans/3/lint", { Authorization = "Bearer " .. gxt,
    ["Content-Type"] = "text/plain" }, plan)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if bad <= 3 then bad_sample = bad_sample .. status .. " " .. string.sub(body, 1, 160) .. "\n" end
    return
  end
  -- A login's answer: log that session out with a later write.
  local token = string.match(body, '"token":"(%x+)","user"')
  if token then table.insert(logouts, token) end
end

function done(summary, latency, requests)
  local total = { public = 0, user = 0, write = 0, login = 0, logout = 0 }
  local bad_total, samples = 0, ""
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c) do total[k] = total[k] + v end
    bad_total = bad_total + t:get("bad")
    samples = samples .. t:get("bad_sample")
  end
  io.write(string.format("mix: public %d, logged-in reads %d, writes %d (logins %d, logouts %d); not 200: %d\n",
    total.public, total.user, total.write, total.login, total.logout, bad_total))
  if samples ~= "" then io.write("first answers other than 200:\n" .. samples) end
end
