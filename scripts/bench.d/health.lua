dofile(os.getenv("BENCH_LUA") .. "/report.lua")
request = function() return wrk.format("GET", "/v1/sys/health") end
response = function(status) count_status(status) end
