-- GET over the 1,000 keys the PUT run wrote.
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/v1/kv/bench/key" .. (counter % 1000))
end
