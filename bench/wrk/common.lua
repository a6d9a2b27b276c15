-- Shared by the per-operation scripts: settings from the environment, prebuilt requests sent in
-- rotation, and a count of answers that were not clean successes (printed as one BENCH line).
--
--   BENCH_TARGET  graphql (our server, POST /graphql), ceiling (bench/ceiling.py) or postgraphile
--                 (bench/postgraphile/server.mjs, POST /graphql)
--   BENCH_TOKEN   API key for graphql
--   BENCH_DOCUMENT  postgraphile: the file holding the operation's GraphQL document
--   BENCH_IDS     file of "<pk> <global id>" lines, for the scripts that rotate over ids
--   BENCH_AFTER   a customers cursor, for Q3
local M = {}

M.target = os.getenv("BENCH_TARGET") or "graphql"
M.after = os.getenv("BENCH_AFTER") or ""

-- JSON string literal; our documents hold no control characters, but quote what could break.
function M.quote(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', '\\n') .. '"'
end

function M.graphql(query, variables)
  local body = '{"query":' .. M.quote(query)
  if variables then
    body = body .. ',"variables":' .. variables
  end
  local headers = { ["Content-Type"] = "application/json" }
  if M.target == "graphql" then
    headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
  end
  return wrk.format("POST", "/graphql", headers, body .. '}')
end

-- PostGraphile's documents live in bench/postgraphile/*.graphql, which the runner reads too.
function M.document()
  local path = os.getenv("BENCH_DOCUMENT") or error("BENCH_DOCUMENT is not set")
  local file = assert(io.open(path, "r"))
  local text = file:read("*a")
  file:close()
  return text
end

function M.ceiling(path, body)
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
end

function M.read_ids()
  local path = os.getenv("BENCH_IDS") or error("BENCH_IDS is not set")
  local ids = {}
  for line in io.lines(path) do
    local pk, gid = line:match("^(%d+) (%S+)$")
    if pk then
      ids[#ids + 1] = { pk = pk, gid = gid }
    end
  end
  assert(#ids > 0, "no ids in " .. path)
  return ids
end

-- The script hands over a function that returns the list of request strings; wrk's init calls it
-- once per thread (wrk.headers.Host is known by then) so that request() only indexes a table.
local builder
function M.requests(build)
  builder = build
end

local prepared = {}
local sent = 0

function init(args)
  prepared = builder()
end

function request()
  sent = sent + 1
  return prepared[(sent - 1) % #prepared + 1]
end

-- Per-thread counters, read by done() through thread:get.
answers, failed, non200, errors, user_errors, codes = 0, 0, 0, 0, 0, ""
local by_code = {}

function response(status, headers, body)
  answers = answers + 1
  local has_errors = body:find('"errors"', 1, true) ~= nil
  -- PostGraphile answers a lookup or an update by key that found no row with a null, not an
  -- error; its documents ask only for non-null fields, so any null is a failure.
  if M.target == "postgraphile" and body:find(":null", 1, true) then
    has_errors = true
  end
  if status ~= 200 then
    non200 = non200 + 1
  end
  if has_errors then
    errors = errors + 1
  end
  if status ~= 200 or has_errors then
    failed = failed + 1
  end
  local code = body:match('"userErrors":%[{"code":"([%w_]+)"')
  if code then
    user_errors = user_errors + 1
    by_code[code] = (by_code[code] or 0) + 1
    local parts = {}
    for name, count in pairs(by_code) do
      parts[#parts + 1] = name .. ":" .. count
    end
    codes = table.concat(parts, ",")
  end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local total = { answers = 0, failed = 0, non200 = 0, errors = 0, user_errors = 0 }
  local all_codes = {}
  for _, thread in ipairs(threads) do
    for name in pairs(total) do
      total[name] = total[name] + (thread:get(name) or 0)
    end
    local thread_codes = thread:get("codes") or ""
    if thread_codes ~= "" then
      all_codes[#all_codes + 1] = thread_codes
    end
  end
  io.write(string.format(
    "BENCH answers=%d failed=%d non200=%d errors=%d user_errors=%d codes=%s\n",
    total.answers, total.failed, total.non200, total.errors, total.user_errors,
    table.concat(all_codes, ",")))
end

return M
