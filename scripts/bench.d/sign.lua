-- POST sign/<role> on the mount in BENCH_MOUNT with one Ed25519 user key.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
function init(args)
  local f = io.open(os.getenv("BENCH_USER_KEY"))
  local key = f:read("*l")
  f:close()
  body = '{"public_key":"' .. key .. '","valid_principals":"alice","ttl":"1h"}'
  path = "/v1/" .. os.getenv("BENCH_MOUNT") .. "/sign/user"
  headers = {["X-Vault-Token"] = os.getenv("BENCH_TOKEN"), ["Content-Type"] = "application/json"}
end
request = function() return wrk.format("POST", path, headers, body) end
response = function(status) count_status(status) end
