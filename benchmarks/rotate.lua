-- Closed-loop load over many paths: each request takes the next path of a list, every
-- wrk thread starting at its own place in it. The list is a file of one path a line:
-- `wrk -t2 -c16 -d5s -s rotate.lua http://127.0.0.1:PORT -- PATHS_FILE`.
local paths = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 97)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(paths, line) end
  end
  n = offset or 0
end

function request()
  n = n + 1
  return wrk.format("GET", paths[n % #paths + 1])
end
