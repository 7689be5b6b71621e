-- PUT 256-byte values over 1,000 keys.
local counter = 0
local body = string.rep("v", 256)
request = function()
  counter = counter + 1
  return wrk.format("PUT", "/v1/kv/bench/key" .. (counter % 1000), nil, body)
end
