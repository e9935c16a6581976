-- wrk script for Benchmarks/reservations.sh: POST /api/v1/reservations.
--   wrk ... -s Benchmarks/reservations.lua URL -- MODE PLATEAU_ID TOKEN THREADS
-- MODE "sans-conflits": every request books its own one-hour slot (each thread walks its own slots);
-- MODE "conflits": every request asks for the same slot, already taken: every answer is a 409.
local next_id = 0
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

function init(args)
  mode, plateau, token, threads = args[1], args[2], args[3], tonumber(args[4])
  counter = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  local slot = 0
  if mode ~= "conflits" then
    slot = counter * threads + tid + 1
    counter = counter + 1
  end
  local day = os.date("!%Y-%m-%d", os.time({year = 2030, month = 1, day = 1, hour = 12}) + math.floor(slot / 24) * 86400)
  local hour = slot % 24
  local body = string.format('{"plateauId":"%s","debut":"%sT%02d:00","fin":"%sT%02d:59","objet":"formation","participants":1}',
                             plateau, day, hour, day, hour)
  return wrk.format(nil, "/api/v1/reservations", nil, body)
end
