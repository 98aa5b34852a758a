-- POST creds; each thread keeps its OTPs in its own file so verify can redeem every one once.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
function init(args)
  out = io.open(os.getenv("BENCH_OTP_DIR") .. "/otps-" .. id .. ".txt", "a")
  body = '{"ip":"10.1.2.3"}'
  headers = {["X-Vault-Token"] = os.getenv("BENCH_TOKEN"), ["Content-Type"] = "application/json"}
end
request = function() return wrk.format("POST", "/v1/otp/creds/bench", headers, body) end
response = function(status, hdrs, resp)
  count_status(status)
  local otp = string.match(resp, '"key":"([0-9a-f%-]+)"')
  if otp then out:write(otp, "\n") end
end
