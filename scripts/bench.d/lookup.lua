-- POST lookup over a mount with 1,000 OTP roles; each request asks about a different role's network.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
function init(args)
  n = id * 7919
  headers = {["X-Vault-Token"] = os.getenv("BENCH_TOKEN"), ["Content-Type"] = "application/json"}
end
request = function()
  n = n + 1
  local i = n % 1000
  return wrk.format("POST", "/v1/many/lookup", headers,
    string.format('{"ip":"10.%d.%d.7"}', math.floor(i / 256), i % 256))
end
response = function(status) count_status(status) end
