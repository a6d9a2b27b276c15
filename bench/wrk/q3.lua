-- Q3: Q1's page far into the list (BENCH_AFTER: a cursor 90% of the way through the customers),
-- to show whether keyset paging stays as cheap deep into a big list as on its first page.
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")

local QUERY = "query($after: String) { customers(first: 50, after: $after) { nodes { companyName "
  .. "subscriptions { nodes { id quantity status friendlyName offer { name } } } } } }"

bench.requests(function()
  assert(bench.after ~= "", "BENCH_AFTER is not set")
  if bench.target == "ceiling" then
    return { bench.ceiling("/q1", '{"after":' .. bench.quote(bench.after) .. '}') }
  end
  return { bench.graphql(QUERY, '{"after":' .. bench.quote(bench.after) .. '}') }
end)
