-- POST issue/<role>: the server generates an Ed25519 key pair and certifies it.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
function init(args)
  body = '{"key_type":"ed25519","valid_principals":"alice","ttl":"1h"}'
  path = "/v1/" .. os.getenv("BENCH_MOUNT") .. "/issue/user"
  headers = {["X-Vault-Token"] = os.getenv("BENCH_TOKEN"), ["Content-Type"] = "application/json"}
end
request = function() return wrk.format("POST", path, headers, body) end
response = function(status) count_status(status) end
