-- Builds the script sandbox. Runs once per Lua state with the full standard library, receives
-- the Java-implemented functions in table J, and returns the internals Java keeps in the registry.
-- After it, the thread's global table is a read-only proxy: no io, os (but os.clock), debug,
-- package, require, loadfile, dofile, print, setfenv/getfenv, newproxy, module; no Java access.
local J, HOOK_COUNT = ...
local sethook, getinfo = debug.sethook, debug.getinfo
local rawset_, setmetatable_, getmetatable_ = rawset, setmetatable, getmetatable
local type_, tostring_, error_, sub_ = type, tostring, error, string.sub
local loadstring_, load_ = loadstring, load

local readonly = setmetatable_({}, { __mode = 'k' }) -- proxy -> true

local function ro_error()
  error_('Attempt to modify a readonly table', 2)
end

local function protect(t)
  local p = setmetatable_({}, { __index = t, __newindex = ro_error, __metatable = false })
  readonly[p] = true
  return p
end

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- Bytecode can break out of any sandbox, so only source text may be compiled.
local function is_binary(s)
  return type_(s) == 'string' and sub_(s, 1, 1) == '\27'
end

local E = {}
for _, name in ipairs({ 'assert', 'collectgarbage', 'error', 'gcinfo', 'getmetatable', 'ipairs',
    'next', 'pairs', 'pcall', 'rawequal', 'rawget', 'select', 'tonumber', 'tostring', 'type',
    'unpack', 'xpcall', '_VERSION' }) do
  E[name] = _G[name]
end
-- A redis.call error caught by a script's own pcall reads as its message text, as in Redis.
local pcall_ = pcall
local function unwrap(ok, ...)
  if not ok then
    local e = ...
    if type_(e) == 'table' and type_(rawget(e, 'err')) == 'string' then return false, rawget(e, 'err') end
  end
  return ok, ...
end
E.pcall = function(f, ...) return unwrap(pcall_(f, ...)) end
E.setmetatable = function(t, mt)
  if readonly[t] then error_('Attempt to modify a readonly table', 0) end
  return setmetatable_(t, mt)
end
E.rawset = function(t, k, v)
  if readonly[t] then error_('Attempt to modify a readonly table', 0) end
  return rawset_(t, k, v)
end
-- G is defined below; chunks compiled at run time get it as their environment (the thread's
-- own globals table is private, see the end of this file).
local G
local setfenv_ = setfenv
local function bind(f)
  if f then setfenv_(f, G) end
  return f
end
E.loadstring = function(s, name)
  if is_binary(s) then return nil, 'binary chunks are not allowed' end
  local f, err = loadstring_(s, name)
  return bind(f), err
end
E.load = function(f, name)
  local first = true
  local function reader()
    local piece = f()
    if first and piece ~= nil and piece ~= '' then
      first = false
      if is_binary(piece) then error_('binary chunks are not allowed', 0) end
    end
    return piece
  end
  local f, err = load_(reader, name)
  return bind(f), err
end

local str = copy(string)
E.string = protect(str)
E.table = protect(copy(table))
E.math = protect(copy(math))
E.os = protect({ clock = os.clock })

-- Coroutines get the same busy/kill hook as the main thread.
local co = copy(coroutine)
local co_create = coroutine.create
co.create = function(f)
  local c = co_create(f)
  sethook(c, J.hook, '', HOOK_COUNT)
  return c
end
co.wrap = function(f)
  local c = co.create(f)
  local resume = coroutine.resume
  return function(...)
    local r = { resume(c, ...) }
    if not r[1] then error_(r[2], 0) end
    return select(2, unpack(r))
  end
end
E.coroutine = protect(co)

E.bit = protect(J.bit)
E.cjson = protect(J.cjson)
E.cmsgpack = protect(J.cmsgpack)
E.struct = protect(J.struct)
E.redis = protect(J.redis)

-- LuaJava's C glue writes the global __jthrowable__ of the running thread after every Java call
-- (nil, or the Java exception). The thread's globals are a private plain table (set at the end),
-- so that write is a raw store and never reaches scripts, whose environment is G. In G the name
-- always reads nil and writes are dropped, so no Java object can reach a script.
local JTHROWABLE = '__jthrowable__'
G = setmetatable_({}, {
  __index = function(_, k)
    if k == JTHROWABLE then return nil end
    local v = E[k]
    if v == nil then
      error_("Script attempted to access nonexistent global variable '" .. tostring_(k) .. "'", 2)
    end
    return v
  end,
  __newindex = function(_, k)
    if k ~= JTHROWABLE then error_('Attempt to modify a readonly table', 2) end
  end,
  __metatable = false,
})
readonly[G] = true
E._G = G
-- String methods resolve through the string metatable; hide it so it cannot be altered.
getmetatable_('').__metatable = protect({ __index = E.string })

-- Turns any error into a table {err=, source=, line=} naming where in the script it happened
-- (skipping a C frame such as redis.call).
local function handler(err)
  local level = 2
  local info = getinfo(level, 'Sl')
  while info and (info.what == 'C' or info.source == '=sandbox') do
    level = level + 1
    info = getinfo(level, 'Sl')
  end
  if type_(err) ~= 'table' then
    err = { err = 'ERR ' .. tostring_(err) }
  end
  if info then
    rawset_(err, 'source', info.source)
    rawset_(err, 'line', info.currentline)
  end
  return err
end

local xpcall_ = xpcall
-- EVAL: KEYS and ARGV are built here from the arguments (one native push per value) and removed
-- when the script returns, so a FCALL function never sees them.
local function done(...)
  E.KEYS = nil
  E.ARGV = nil
  return ...
end
local function run_eval(f, numkeys, ...)
  local keys = { ... }
  local argv = {}
  for i = numkeys + 1, select('#', ...) do
    argv[i - numkeys] = keys[i]
    keys[i] = nil
  end
  E.KEYS = keys
  E.ARGV = argv
  return done(xpcall_(f, handler))
end

local function run(f, ...)
  local n = select('#', ...)
  -- EVAL passes no arguments: no per-call table and closure.
  if n == 0 then return xpcall_(f, handler) end
  local args = { ... }
  return xpcall_(function() return f(unpack(args, 1, n)) end, handler)
end

-- Binary-safe strings from Java: bytes 0, 1, 2 and >= 128 arrive as two-character escapes.
local unescape = {}
for b = 0, 255 do
  if b <= 2 then
    unescape['\2' .. string.char(0x40 + b)] = string.char(b)
  elseif b >= 128 and b < 224 then
    unescape['\1' .. string.char(0x20 + b - 128)] = string.char(b)
  elseif b >= 224 then
    unescape['\2' .. string.char(0x50 + b - 224)] = string.char(b)
  end
end
local gsub = string.gsub
local function decode(s)
  return (gsub(s, '[\1\2].', unescape))
end

sethook(J.hook, '', HOOK_COUNT)
setfenv(0, {})
return { env = E, run = run, run_eval = run_eval, decode = decode, globals = G, bind = bind }
