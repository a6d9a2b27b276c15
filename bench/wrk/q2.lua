-- Q2: one subscription by global id (PostGraphile: by primary key), rotating over BENCH_IDS.
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")

local QUERY = "query($id: ID!) { node(id: $id) { ... on CustomerSubscription "
  .. "{ quantity status offer { name } } } }"

bench.requests(function()
  local document = bench.target == "postgraphile" and bench.document()
  local prepared = {}
  for _, id in ipairs(bench.read_ids()) do
    if bench.target == "ceiling" then
      prepared[#prepared + 1] = bench.ceiling("/q2", '{"id":' .. id.pk .. '}')
    elseif document then
      prepared[#prepared + 1] = bench.graphql(document, '{"id":' .. id.pk .. '}')
    else
      prepared[#prepared + 1] = bench.graphql(QUERY, '{"id":"' .. id.gid .. '"}')
    end
  end
  return prepared
end)
