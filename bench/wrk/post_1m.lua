-- wrk script for echo_1m: POSTs "0123456789abcdef" 65,536 times (1 MiB) and counts the responses
-- that lack its length and SHA-256.
wrk.method = "POST"
wrk.body = string.rep("0123456789abcdef", 65536)
wrk.headers["Content-Type"] = "application/octet-stream"
local sha256 = "aca1cd027e979588d14b877b7b0cb8585ad9fec599eb45801992ee5382b3760f"
wrong = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
    if status ~= 200 or not body:find('"body_length": *1048576') or not body:find(sha256, 1, true) then
        wrong = wrong + 1
    end
end
function done(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do total = total + thread:get("wrong") end
    io.write("Wrong responses: " .. total .. "\n")
end
