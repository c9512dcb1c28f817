-- wrk: POST /tokens, each request consuming the next pre-issued one-time token from the file
-- named by $OTTS_TOKENS (one token per line). Every thread takes its own slice.
local tokens = {}
for line in io.lines(os.getenv("OTTS_TOKENS")) do tokens[#tokens + 1] = line end
local counter = 0
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
function init(args)
  counter = offset
end
function request()
  local token = tokens[(counter % #tokens) + 1]
  counter = counter + 2
  return wrk.format("POST", "/tokens", {["Content-Type"] = "application/json"}, '{"token":"' .. token .. '"}')
end
