/**
 * The server-side scripts that write the wire format (see the README's key schema). Each call
 * writes a batch of updates for one coin or one venue atomically: the snapshot field, the
 * quote hash, the sequence and the stream entry of every update move together, and an update
 * older than what is stored for its field is dropped, so two publishers or a replay never
 * move state backwards.
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

/**
 * Market batch. KEYS: [snapshot, updates, quote hash…]. ARGV: maxlen, then per update
 * `op, field, ts, json, quoteKeyIndex (0 none), n, k1, v1 … kn, vn` where op is
 * S (set the field; the pairs go to the quote hash at KEYS[quoteKeyIndex]),
 * R (instrument removed: `field` is the instrument; its fields and quote hash go) or
 * E (a stream entry only, e.g. a trade). Returns {written, dropped}.
 */
const MARKET_LUA = `
local snap, stream, maxlen = KEYS[1], KEYS[2], ARGV[1]
local seq = tonumber(redis.call('HGET', snap, '~seq') or '0')
local lastId = false
local written, dropped = 0, 0
local function append(json)
  seq = seq + 1
  lastId = redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 's', seq, 'e', json)
  written = written + 1
end
local function instrumentOf(field)
  local p = string.sub(field, 1, 2)
  if p == 'i:' or p == 't:' or p == 'b:' then return string.sub(field, 3) end
  return false
end
local i = 2
while i <= #ARGV do
  local op, field, tsText, json = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local ts, qkey, n = tonumber(tsText), tonumber(ARGV[i + 4]), tonumber(ARGV[i + 5])
  local at = i + 6
  i = at + 2 * n
  if op == 'E' then
    append(json)
  elseif op == 'S' then
    local held = tonumber(redis.call('HGET', snap, '~ts:' .. field) or '')
    local instrument = instrumentOf(field)
    local removedAt = instrument and tonumber(redis.call('HGET', snap, '~rm:' .. instrument) or '')
    local stale = held ~= nil and ts < held
    if removedAt then
      -- Only a listing newer than the removal brings an instrument back.
      if string.sub(field, 1, 2) ~= 'i:' or ts < removedAt then stale = true end
    end
    if stale then
      dropped = dropped + 1
    else
      if removedAt then redis.call('HDEL', snap, '~rm:' .. instrument) end
      append(json)
      redis.call('HSET', snap, field, json, '~ts:' .. field, tsText)
      if qkey > 0 then
        local args = {}
        for j = at, at + 2 * n - 1 do args[#args + 1] = ARGV[j] end
        args[#args + 1] = 'seq'
        args[#args + 1] = seq
        redis.call('HSET', KEYS[qkey], unpack(args))
      end
    end
  elseif op == 'R' then
    local held = tonumber(redis.call('HGET', snap, '~ts:i:' .. field) or '')
    if held ~= nil and ts < held then
      dropped = dropped + 1
    else
      append(json)
      redis.call('HDEL', snap, 'i:' .. field, 't:' .. field, 'b:' .. field,
        '~ts:i:' .. field, '~ts:t:' .. field, '~ts:b:' .. field)
      redis.call('HSET', snap, '~rm:' .. field, tsText)
      if qkey > 0 then redis.call('DEL', KEYS[qkey]) end
    end
  else
    return redis.error_reply('unknown market op ' .. tostring(op))
  end
end
if lastId then redis.call('HSET', snap, '~seq', seq, '~id', lastId) end
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
local seq = tonumber(redis.call('HGET', state, '~seq') or '0')
local lastId = false
local written, dropped = 0, 0
local function append(json)
  seq = seq + 1
  lastId = redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 's', seq, 'e', json)
  written = written + 1
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
if lastId then redis.call('HSET', state, '~seq', seq, '~id', lastId) end
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
