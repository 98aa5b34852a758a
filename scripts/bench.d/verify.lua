-- POST verify with OTPs minted beforehand, each redeemed exactly once (no token, as the host helper).
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
function init(args)
  otps = {}
  for line in io.lines(os.getenv("BENCH_OTP_DIR") .. "/otps-" .. id .. ".txt") do otps[#otps + 1] = line end
  idx = 0
  headers = {["Content-Type"] = "application/json"}
end
request = function()
  idx = idx + 1
  return wrk.format("POST", "/v1/otp/verify", headers, '{"otp":"' .. (otps[idx] or "exhausted") .. '"}')
end
response = function(status) count_status(status) end
