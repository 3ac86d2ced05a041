-- Argo CD health of an FtpServer (resource.customizations.health.ftp.operator.dev_FtpServer).
-- Healthy exactly when Ready is True: the first transfer through the public endpoint was verified
-- (or spec.selfTest is off) and the last probes did not fail 3 times in a row. Progressing while
-- the operator has not seen this generation or the server has never been verified yet (a load
-- balancer can take minutes to route); Degraded when Ready turns False for a problem a person has
-- to fix: a missing Secret, a refused change, or probes failing again after a verified transfer.
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.message = "Waiting for the operator to observe generation " .. obj.metadata.generation
  return hs
end
local ready = nil
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then
    ready = c
  end
end
if ready == nil then
  return hs
end
hs.message = ready.message or ""
if ready.status == "True" then
  hs.status = "Healthy"
  return hs
end
local waiting = {
  WaitingForLoadBalancer = true, WaitingForClusterIP = true, WaitingForAddress = true,
  PodsNotReady = true, SelfTestPending = true,
}
local verifiedOnce = obj.status.selfTest ~= nil and obj.status.selfTest.lastSuccessTime ~= nil
local probeReasons = {
  ConnectFailed = true, BannerFailed = true, TlsFailed = true, LoginFailed = true,
  PassiveRefused = true, PassiveAddressWrong = true, PassivePortOutsideRange = true,
  DataPortUnreachable = true, ListingFailed = true,
}
if waiting[ready.reason] or (probeReasons[ready.reason] and not verifiedOnce) then
  hs.status = "Progressing"
else
  hs.status = "Degraded"
end
return hs
