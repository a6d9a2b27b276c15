-- M1: changeQuantity on the active, partner-sold subscriptions in BENCH_IDS. One pass over the ids
-- sets the first of BENCH_QUANTITIES, the next pass the second, and so on, so that every call
-- changes the quantity (the runner first resets these subscriptions to a third value).
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")

local QUERY = "mutation($id: ID!, $q: Int!) { changeQuantity(input: "
  .. "{subscriptionId: $id, quantity: $q}) { subscription { id quantity version } "
  .. "userErrors { code } } }"

bench.requests(function()
  local quantities = {}
  for q in (os.getenv("BENCH_QUANTITIES") or "11,12"):gmatch("%d+") do
    quantities[#quantities + 1] = q
  end
  local ids = bench.read_ids()
  local document = bench.target == "postgraphile" and bench.document()
  local prepared = {}
  for _, q in ipairs(quantities) do
    for _, id in ipairs(ids) do
      if bench.target == "ceiling" then
        prepared[#prepared + 1] =
          bench.ceiling("/m1", '{"id":' .. id.pk .. ',"quantity":' .. q .. '}')
      elseif document then
        prepared[#prepared + 1] =
          bench.graphql(document, '{"id":' .. id.pk .. ',"q":' .. q .. '}')
      else
        prepared[#prepared + 1] =
          bench.graphql(QUERY, '{"id":"' .. id.gid .. '","q":' .. q .. '}')
      end
    end
  end
  return prepared
end)
