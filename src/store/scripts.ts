/**
 * The server-side scripts that write the wire format (see the README's key schema). Each call
 * writes a batch of updates for one coin or one venue atomically: the snapshot fields, the
 * quote hashes, the sequence and the call's ONE stream entry (`s` and `e` for one event, `s`
 * and `b`, a JSON array of its events in order, for more) move together, and an update older
 * than what is stored for its field is dropped, so two publishers or a replay never move
 * state backwards.
 *
 * Registered with ioredis `defineCommand`: ioredis sends EVALSHA and falls back to EVAL on a
 * connection that has not seen the script, so a Redis restarted empty gets it back by itself,
 * on a single node, a cluster node, and in a pipeline alike. Every key of one call shares a
 * hash tag, so a call touches one cluster slot.
 *
 * Bookkeeping fields (readers ignore `~…`): `~ts:<field>` the venue ts of the stored field;
 * market `~rm:<instrument>` the ts of a removal (what keeps a late ticker from reviving an
 * expired instrument); venue `~ts:@snap` the ts of the last account snapshot (a state older
 * than it for a field it did not list was superseded by it).
 */
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './connect.js';
import { QUOTE_VALUE_FIELDS } from './keys.js';

/**
 * Market batch. KEYS: [snapshot, updates, quote hash…]. ARGV: maxlen, the updates as ONE JSON
 * text, and their events as ONE JSON array text. An update is
 * `[op, field, ts, jsonBytes, quoteKeyIndex, …]` where op is T (a ticker: set the field, and
 * the QUOTE_VALUE_FIELDS values that follow go to the quote hash at KEYS[quoteKeyIndex]),
 * S (set the field), R (instrument removed: `field` is the instrument; its fields and quote
 * hash go) or E (a stream entry only, e.g. a trade). `ts` and the quote values are decimal
 * TEXT (cjson reads numbers as doubles and prints them with 14 digits). The event array is
 * the events' JSON joined as they were stringified (`[a,b,…]`): each update's event is the
 * next `jsonBytes` bytes of it, so it is stored exactly as written, never re-encoded, and
 * when every update of the call is written the array itself is the stream entry.
 * Returns {written, dropped}.
 *
 * What it costs Redis per update is what bounds a publisher. Three arguments per call,
 * decoded by cjson in C (no event JSON to unescape), cost far less than ~22 ARGV strings per
 * update built and copied into Lua; the bookkeeping of the whole batch is read with one HMGET
 * and the snapshot fields written with one HSET, so an update costs its quote hash besides
 * (a removal writes what is pending first).
 */
const QUOTE_HSET = [
  "redis.call('HSET', KEYS[qkey]",
  ...QUOTE_VALUE_FIELDS.map((field, at) => `'${field}', u[${at + 6}]`),
  "'seq', seq)",
].join(', ');

/**
 * The call's stream entry (Lua expression, its id): `s` and `e` for one event, `s` and `b`
 * (a JSON array of the events, joined from their JSON as written) for more. MAXLEN counts
 * entries, the option counts updates: the cap is scaled by this entry's size, which keeps
 * about `maxlen` updates whatever the batch sizes (a big entry trims to fewer entries).
 */
const APPEND_ENTRY = `(function()
  local cap = math.ceil(tonumber(maxlen) / written)
  if written == 1 then
    return redis.call('XADD', stream, 'MAXLEN', '~', cap, '*', 's', seq, 'e', out[1])
  end
  local text = whole or ('[' .. table.concat(out, ',') .. ']')
  return redis.call('XADD', stream, 'MAXLEN', '~', cap, '*', 's', seq, 'b', text)
end)()`;

const MARKET_LUA = `
local snap, stream, maxlen = KEYS[1], KEYS[2], ARGV[1]
local batch, events = cjson.decode(ARGV[2]), ARGV[3]
-- The call's one stream entry, when it writes anything, has the next sequence.
local seq = tonumber(redis.call('HGET', snap, '~seq') or '0') + 1
local out = {}
local written, dropped = 0, 0
local function append(json)
  written = written + 1
  out[written] = json
end
-- The instrument of an i:, t: or b: field (bytes compared: no string made to test the kind).
local function instrumentOf(field)
  local kind, colon = string.byte(field, 1, 2)
  if colon == 58 and (kind == 105 or kind == 116 or kind == 98) then return string.sub(field, 3) end
  return false
end
-- The stored ts of every field and removal the batch touches, in one read.
local names, asked = {}, {}
local function ask(name)
  if not asked[name] then
    asked[name] = true
    names[#names + 1] = name
  end
end
-- Each update's event JSON, cut from the array in order (past '[' and each ',').
local at = 2
local tsNames, rmNames = {}, {}
for k = 1, #batch do
  local u = batch[k]
  local op, field, bytes = u[1], u[2], u[4]
  u[4] = string.sub(events, at, at + bytes - 1)
  at = at + bytes + 1
  if op == 'T' or op == 'S' then
    -- Made once, kept for the write below.
    local tsName = '~ts:' .. field
    ask(tsName)
    local instrument = instrumentOf(field)
    local rmName = instrument and ('~rm:' .. instrument)
    if rmName then ask(rmName) end
    tsNames[k], rmNames[k] = tsName, rmName
  elseif op == 'R' then
    ask('~ts:i:' .. field)
  end
end
if (#batch > 0 and at - 1 ~= #events) or (#batch == 0 and events ~= '[]') then
  return redis.error_reply('market batch: event lengths do not match the event array')
end
local held = {}
if #names > 0 then
  local values = redis.call('HMGET', snap, unpack(names))
  for j = 1, #names do
    if values[j] then held[names[j]] = tonumber(values[j]) end
  end
end
-- Snapshot fields to set, written at the end (or before a removal) in one HSET.
local pending = {}
local function writePending()
  if #pending > 0 then
    redis.call('HSET', snap, unpack(pending))
    pending = {}
  end
end
for k = 1, #batch do
  local u = batch[k]
  local op, field, tsText, json, qkey = u[1], u[2], u[3], u[4], u[5]
  local ts = tonumber(tsText)
  if op == 'E' then
    append(json)
  elseif op == 'T' or op == 'S' then
    local tsName, rmName = tsNames[k], rmNames[k]
    local last = held[tsName]
    local removedAt = rmName and held[rmName]
    local stale = last ~= nil and ts < last
    if removedAt then
      -- Only a listing newer than the removal brings an instrument back.
      if string.byte(field, 1) ~= 105 or ts < removedAt then stale = true end
    end
    if stale then
      dropped = dropped + 1
    else
      if removedAt then
        redis.call('HDEL', snap, rmName)
        held[rmName] = nil
      end
      append(json)
      held[tsName] = ts
      local n = #pending
      pending[n + 1] = field
      pending[n + 2] = json
      pending[n + 3] = tsName
      pending[n + 4] = tsText
      if op == 'T' and qkey > 0 then
        ${QUOTE_HSET}
      end
    end
  elseif op == 'R' then
    local last = held['~ts:i:' .. field]
    if last ~= nil and ts < last then
      dropped = dropped + 1
    else
      append(json)
      writePending()
      redis.call('HDEL', snap, 'i:' .. field, 't:' .. field, 'b:' .. field,
        '~ts:i:' .. field, '~ts:t:' .. field, '~ts:b:' .. field)
      redis.call('HSET', snap, '~rm:' .. field, tsText)
      held['~ts:i:' .. field], held['~ts:t:' .. field], held['~ts:b:' .. field] = nil, nil, nil
      held['~rm:' .. field] = ts
      if qkey > 0 then redis.call('DEL', KEYS[qkey]) end
    end
  else
    return redis.error_reply('unknown market op ' .. tostring(op))
  end
end
-- Nothing dropped: the event array as sent is the entry.
local whole = written == #batch and events
if written > 0 then
  local id = ${APPEND_ENTRY}
  local n = #pending
  pending[n + 1], pending[n + 2], pending[n + 3], pending[n + 4] = '~seq', seq, '~id', id
end
writePending()
return {written, dropped}
`;

/**
 * Venue batch. KEYS: [state, updates]. ARGV: maxlen, then per update
 * `op, field, ts, json, n, items…` where op is S (set the field), D (delete the field: a
 * terminal order, a flat position), E (a stream entry only: a fill) or A (an account
 * snapshot: n items `field, ts, json` replace every o:/p:/b: field, except one held with a
 * newer ts, which happened after the snapshot). Returns {written, dropped}.
 */
const VENUE_LUA = `
local state, stream, maxlen = KEYS[1], KEYS[2], ARGV[1]
local seq = tonumber(redis.call('HGET', state, '~seq') or '0') + 1
local out = {}
local written, dropped = 0, 0
local function append(json)
  written = written + 1
  out[written] = json
end
local function heldTs(field)
  local held = redis.call('HGET', state, '~ts:' .. field)
  if held then return tonumber(held) end
  local kind = string.sub(field, 1, 2)
  if kind == 'o:' or kind == 'p:' or kind == 'b:' then
    return tonumber(redis.call('HGET', state, '~ts:@snap') or '')
  end
  return nil
end
local function accountField(field)
  local kind = string.sub(field, 1, 2)
  return kind == 'o:' or kind == 'p:' or kind == 'b:'
end
local i = 2
while i <= #ARGV do
  local op, field, tsText, json = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local ts, n = tonumber(tsText), tonumber(ARGV[i + 4])
  local at = i + 5
  if op == 'A' then i = at + 3 * n else i = at end
  if op == 'E' then
    append(json)
  elseif op == 'S' or op == 'D' then
    local held = heldTs(field)
    if held ~= nil and ts < held then
      dropped = dropped + 1
    else
      append(json)
      if op == 'S' then
        redis.call('HSET', state, field, json, '~ts:' .. field, tsText)
      else
        -- The ts stays: an older state of a closed order must not reopen it.
        redis.call('HDEL', state, field)
        redis.call('HSET', state, '~ts:' .. field, tsText)
      end
    end
  elseif op == 'A' then
    local floor = tonumber(redis.call('HGET', state, '~ts:@snap') or '')
    if floor ~= nil and ts < floor then
      dropped = dropped + 1
    else
      append(json)
      local newer = {}
      local names = redis.call('HKEYS', state)
      for _, name in ipairs(names) do
        if string.sub(name, 1, 4) == '~ts:' and accountField(string.sub(name, 5)) then
          local f = string.sub(name, 5)
          local held = tonumber(redis.call('HGET', state, name))
          if held ~= nil and held > ts then
            newer[f] = held
          else
            redis.call('HDEL', state, name, f)
          end
        elseif accountField(name) and redis.call('HEXISTS', state, '~ts:' .. name) == 0 then
          redis.call('HDEL', state, name)
        end
      end
      for j = at, at + 3 * n - 1, 3 do
        local f, itemTs, itemJson = ARGV[j], ARGV[j + 1], ARGV[j + 2]
        local held = newer[f]
        if held == nil or tonumber(itemTs) >= held then
          redis.call('HSET', state, f, itemJson, '~ts:' .. f, itemTs)
        end
      end
      redis.call('HSET', state, '~ts:@snap', tsText)
    end
  else
    return redis.error_reply('unknown venue op ' .. tostring(op))
  end
end
local whole = false
if written > 0 then redis.call('HSET', state, '~seq', seq, '~id', ${APPEND_ENTRY}) end
return {written, dropped}
`;

export const SCRIPTS = {
  ivtWriteMarket: MARKET_LUA,
  ivtWriteVenue: VENUE_LUA,
} as const;

export type ScriptName = keyof typeof SCRIPTS;

type ScriptReply = [number, number];

/** The scripts' commands, on a client or a pipeline: `numkeys, ...keys, ...args`. */
export interface ScriptCommands {
  ivtWriteMarket(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<ScriptReply>;
  ivtWriteVenue(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<ScriptReply>;
}

export interface PipelineScriptCommands {
  ivtWriteMarket(numKeys: number, ...keysAndArgs: (string | number)[]): ChainableCommander;
  ivtWriteVenue(numKeys: number, ...keysAndArgs: (string | number)[]): ChainableCommander;
}

const registered = new WeakSet<RedisClient>();

/** Defines the scripts' commands on the client (once per client); returns it, typed. */
export function withScripts(client: RedisClient): RedisClient & ScriptCommands {
  if (!registered.has(client)) {
    for (const [name, lua] of Object.entries(SCRIPTS)) client.defineCommand(name, { lua });
    registered.add(client);
  }
  return client as RedisClient & ScriptCommands;
}

/** A pipeline of a client with the scripts defined. */
export function scriptPipeline(client: RedisClient): ChainableCommander & PipelineScriptCommands {
  return withScripts(client).pipeline() as ChainableCommander & PipelineScriptCommands;
}

/** What one script call did. */
export interface WriteCount {
  /** Updates written (each with its stream entry). */
  written: number;
  /** Updates dropped by the clock check (older than what was stored). */
  dropped: number;
}

export function countOf(reply: unknown): WriteCount {
  if (!Array.isArray(reply) || reply.length !== 2) {
    throw new Error(`unexpected reply from a store script: ${JSON.stringify(reply)}`);
  }
  return { written: Number(reply[0]), dropped: Number(reply[1]) };
}
