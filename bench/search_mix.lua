-- wrk script: rotate through the rare, common and misspelled search terms of
-- bench/search.py (TERMS, kept in step by tests/test_bench_search_mix.py), so
-- that a throughput run is not one URL answered from a cache.
--
--   wrk -t2 -c50 -d30s --latency -s bench/search_mix.lua http://127.0.0.1:9150 -- /recherche/?q=
--   wrk ... -s bench/search_mix.lua http://127.0.0.1:9150 -- --fresh /recherche/?q=
--
-- Arguments after `--`: one or more path prefixes, each followed by the
-- URL-encoded term. With several, each term is requested on every prefix in
-- turn (a page that needs a second request to show its results is measured as
-- that pair: page views = requests / prefixes). `--fresh` adds
-- `&_=<run>.<thread>.<n>` (run: the start time) so that every URL is new, in
-- this run and across runs: a cache keyed by the full path always misses and
-- each request runs the search (a server that ignores unknown parameters
-- answers the same page). `--kind=rare` (or common, misspelled) sends that kind's
-- five terms only.

local KINDS = { "rare", "common", "misspelled" }
local TERMS = {
  rare = { "Quimper boulangerie", "Cayenne", "aéronautique Colmar", "Ajaccio coiffure", "MBA Niort" },
  common = { "contrat", "apprentissage", "salaire", "école", "entreprise alternance" },
  misspelled = { "apprantissage", "contrat dapprentisage", "rémunérassion", "salère apprenti", "ecole alternanse" },
}

local counter = 0
local run = os.time()

function setup(thread)
  thread:set("run", run)
  thread:set("thread_index", counter)
  counter = counter + 1
end

local function encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  prefixes, fresh, sent = {}, false, 0
  local only = nil
  for _, arg in ipairs(args) do
    if arg == "--fresh" then
      fresh = true
    elseif arg:sub(1, 7) == "--kind=" then
      only = arg:sub(8)
      if not TERMS[only] then error("unknown kind " .. only .. ": rare, common or misspelled") end
    else
      prefixes[#prefixes + 1] = arg
    end
  end
  if #prefixes == 0 then prefixes = { "/recherche/?q=" } end
  encoded = {}
  for _, kind in ipairs(KINDS) do
    if only == nil or only == kind then
      for _, term in ipairs(TERMS[kind]) do encoded[#encoded + 1] = encode(term) end
    end
  end
  -- Threads start at different terms so that the mix is spread from the first second.
  sent = (thread_index or 0) * 7 * #prefixes
end

function request()
  local step = math.floor(sent / #prefixes)
  local term = encoded[step % #encoded + 1]
  local prefix = prefixes[sent % #prefixes + 1]
  local path = prefix .. term
  if fresh then path = path .. "&_=" .. (run or 0) .. "." .. (thread_index or 0) .. "." .. step end
  sent = sent + 1
  return wrk.format("GET", path)
end

-- The latency percentiles wrk's own report leaves out (p95), for bench/search.py.
function done(summary, latency, requests)
  io.write(string.format("search_mix percentiles_us p50=%d p95=%d p99=%d max=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
