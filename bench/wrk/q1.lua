-- Q1: the first 50 customers with every subscription and its offer's name.
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")

local QUERY = "{ customers(first: 50) { nodes { companyName subscriptions { nodes "
  .. "{ id quantity status friendlyName offer { name } } } } } }"

bench.requests(function()
  if bench.target == "ceiling" then
    return { bench.ceiling("/q1", "{}") }
  end
  if bench.target == "postgraphile" then
    return { bench.graphql(bench.document()) }
  end
  return { bench.graphql(QUERY) }
end)
