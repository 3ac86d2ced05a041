-- lua5.4 run-health.lua HEALTH.lua OBJECT.json: prints "<status> <message>" as Argo CD would
-- compute it with the health script (which sees the object as the global obj).
local json = require("dkjson")
local script, file = arg[1], arg[2]
local f = assert(io.open(file))
local text = f:read("a")
f:close()
local decoded, _, err = json.decode(text)
assert(decoded, err)
local env = setmetatable({ obj = decoded }, { __index = _G })
local chunk = assert(loadfile(script, "t", env))
local hs = chunk()
print(hs.status .. " " .. (hs.message or ""))
