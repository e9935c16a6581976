-- wrk script: each request takes the next path of a file (one path a line), each thread from its own place.
--   wrk -s Benchmarks/urls.lua http://127.0.0.1:PORT -- paths.txt
local threads = 0

function setup(thread)
  thread:set("number", threads)
  threads = threads + 1
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  position = (number or 0) * math.floor(#paths / 2)
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end
