/**
 * The server-side scripts that write the wire format (see the README's key schema). Each call
 * writes a batch of updates for one coin or one venue atomically: the snapshot fields, the
 * quote hashes, the sequence and the call's ONE stream entry (`s`, then one `e` per event, in
 * order) move together, and an update older than what is stored for its field is dropped, so
 * two publishers or a replay never move state backwards.
 *
 * Registered with ioredis `defineCommand`: ioredis sends EVALSHA and falls back to EVAL on a
 * connection that has not seen the script, so a Redis restarted empty gets it back by itself,
 * on a single node, a cluster node, and in a pipeline alike. The publisher's market calls are
 * written as bytes instead (market-call.ts), with the same fallback. Every key of one call
 * shares a hash tag, so a call touches one cluster slot.
 *
 * Bookkeeping fields (readers ignore `~…`): `~ts:<field>` the venue ts of the stored field,
 * and for the i:, t: and b: fields of a removed instrument minus the removal's ts (what keeps
 * a late ticker from reviving an expired instrument: only a listing as new as the removal
 * does); venue `~ts:@snap` the ts of the last account snapshot (a state older than it for a
 * field it did not list was superseded by it).
 *
 * A removal's marks are kept REMOVALS_KEPT_MS of the coin's own clock (its removals' ts, so a
 * simulated clock prunes as a real one does), then dropped, and the coin's `~floor` raised to
 * where they were dropped: any market update at least that old for a field with no `~ts:` of
 * its own is stale. Without that, every instrument a coin ever listed left three fields
 * behind, read by every late joiner's HGETALL. The removals wait in a sorted set by ts.
 */
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './connect.js';
import { ALL_QUOTE_GROUPS, QUOTE_ROW_ALWAYS, QUOTE_ROW_GROUPS } from './codec.js';
import { QUOTE_LISTING_FIELD } from './keys.js';

const indent = (lines: string, by: string): string =>
  lines
    .split('\n')
    .map((line) => by + line)
    .join('\n');

/** How long a removed instrument's marks are kept, on the coin's clock: a week. */
export const REMOVALS_KEPT_MS = 7 * 24 * 3_600_000;

/**
 * Market batch. KEYS: [snapshot, updates, removals, quote hash…]. ARGV: maxlen, the updates' rows
 * as ONE binary argument, then each update's event JSON, one argument each, in order. A row is op
 * (one byte), quoteKeyIndex (uint16), field and ts (each its text then a zero byte), ts again as a
 * double (what the clock compares: `tonumber` of the text, strtod, cost more than the unpacking),
 * then the length (uint16) of the values that follow (a ticker's as quoteWrite reads them), each
 * text ending with a zero byte; integers and doubles big-endian. A zero-ended text is one item for
 * `struct.unpack` ('s', found by memchr), where a length and its text were two. Op is T (a ticker:
 * set the field, and the QUOTE_VALUE_FIELDS values, but ts, which is the row's, go to the quote
 * hash at KEYS[quoteKeyIndex]), S (set the field; an instrument's listing also sets
 * QUOTE_LISTING_FIELD in the quote hash at KEYS[quoteKeyIndex]), R (instrument removed: `field` is
 * the instrument; its fields and quote hash go) or E (a stream entry only, e.g. a trade). `ts` and
 * the values are decimal TEXT. Returns {written, dropped}.
 *
 * What it costs Redis per update is what bounds a publisher. Counted in instructions (`npm run
 * bench:redis-instructions`), a ticker cost 94,600 in Redis; 77,800 once the quote hash was a
 * hashtable (QUOTE_LISTING_FIELD); 72,800 with the rows unpacked by `struct.unpack` (C, values
 * straight onto Lua's stack) where cjson built a table of 21 strings per row; 70,100 with the ts's
 * double; 65,600 with zero-ended texts and the quote's ts taken from the row's (callgrind on a
 * redis-server built with symbols: struct's per-item overhead and the strings Lua makes and
 * collects were a third of the work); the packaged server counts 62,700 once a row also leaves out
 * the groups that did not change, and 59,800 once Lua's library functions, KEYS and ARGV are
 * locals, the op a number and the rows' heads read in one pass. Each event is an argument of its
 * own, so it becomes a Lua string once and is stored, in the snapshot and the stream entry, as
 * written (never re-encoded); the bookkeeping of the whole batch is one HMGET of one `~ts:` field
 * per update and the floor (a removal marks those fields, so no second field per instrument is
 * read) and the snapshot fields are written with a few HSETs, so an update costs its quote hash
 * besides (a removal writes what is pending first). A ticker's values are unpacked only when it is
 * written.
 */
/**
 * A ticker row's quote write (Lua, in the written-update branch, where `last` is the ts the
 * field held before it). The values: the ts of the writer's last row of the instrument (a
 * double, NaN for none), the mask of QUOTE_ROW_GROUPS it carries (one byte), the
 * QUOTE_ROW_ALWAYS values, then those of the groups in the mask; the row's ts is the quote's.
 * A group left out is unchanged since the writer's last row, which the hash holds when the
 * field's stored ts is that row's: else (another writer, a row dropped as stale, a Redis
 * restarted empty) the group is read from the event JSON, whose digits the row would have
 * carried. One straight HSET per mask, generated: no table is built in the common case.
 */
function quoteWrite(): string {
  const always = QUOTE_ROW_ALWAYS.map((field, at) => [field, `a${at + 1}`] as const);
  const branches: string[] = [];
  for (let mask = ALL_QUOTE_GROUPS; mask >= 0; mask -= 1) {
    const carried: (readonly [string, string])[] = [...always];
    const omitted: (readonly [string, string])[] = [];
    QUOTE_ROW_GROUPS.forEach((group, index) => {
      for (const [field, jsonKey] of group) {
        if ((mask & (1 << index)) !== 0) carried.push([field, `g${carried.length + 1}`] as const);
        else omitted.push([field, jsonKey]);
      }
    });
    const names = carried.map(([, name]) => name).join(', ');
    const pairs = [
      ...carried.map(([field, name]) => `'${field}', ${name}`),
      "'ts', tsText",
      "'seq', seqText",
    ].join(', ');
    const unpack = `local ${names} = unpackBytes('${'s'.repeat(carried.length)}', rows, valuesNext)`;
    const write = `call('HSET', keys[qkey], ${pairs}`;
    const keyed = omitted.map(([field, jsonKey]) => `'${field}', ',"${jsonKey}":'`).join(', ');
    branches.push(
      mask === ALL_QUOTE_GROUPS
        ? `if groups == ${mask} then\n  ${unpack}\n  ${write})`
        : [
            `elseif groups == ${mask} then`,
            `  ${unpack}`,
            '  if last == prevTs then',
            `    ${write})`,
            '  else',
            `    ${write}, unpackList(fromJson(json, {${keyed}})))`,
            '  end',
          ].join('\n'),
    );
  }
  return [
    "local prevTs, groups, valuesNext = unpackBytes('>dB', rows, valuesAt[k])",
    ...branches,
    'else',
    "  return redis.error_reply('market batch: quote groups ' .. tostring(groups))",
    'end',
  ].join('\n');
}

/**
 * The quote values of the fields named, from a ticker's event JSON: `{field, ',"jsonKey":', …}`
 * in, `{field, text, …}` out; a key absent or null is ''. A top-level key comes before any
 * nested one of the same name (writeTickerJson's order), and a JSON string cannot hold `,"`.
 */
const FROM_JSON = `local function fromJson(json, keyed)
  local out = {}
  for j = 1, #keyed, 2 do
    local _, keyEnd = string.find(json, keyed[j + 1], 1, true)
    local text = ''
    if keyEnd then
      text = string.match(json, '^[^,}]*', keyEnd + 1)
      if text == 'null' then text = '' end
    end
    out[j], out[j + 1] = keyed[j], text
  end
  return out
end`;

/**
 * The call's stream entry (Lua, returns its id): `s`, then `e` and an event's JSON for each of
 * the `written` events in `out`. MAXLEN counts entries, the option counts updates: the cap is
 * scaled by this entry's size, which keeps about `maxlen` updates whatever the batch sizes.
 */
const APPEND_ENTRY = `local function appendEntry(stream, maxlen, seq, out, written)
  local fields = {'s', seq}
  for j = 1, written do
    fields[2 * j + 1] = 'e'
    fields[2 * j + 2] = out[j]
  end
  local cap = math.ceil(tonumber(maxlen) / written)
  return redis.call('XADD', stream, 'MAXLEN', '~', cap, '*', unpack(fields))
end`;

const MARKET_LUA = `
${APPEND_ENTRY}
${FROM_JSON}
-- Library functions as locals: a global is a table lookup at every use, a local a register.
local call, unpackBytes, unpackList, toNumber = redis.call, struct.unpack, unpack, tonumber
local keys, argv = KEYS, ARGV
local snap, stream, removals, maxlen = keys[1], keys[2], keys[3], argv[1]
-- A row's op, a byte read as a number (no string to make): 'T', 'S', 'R', 'E'.
local TICKER, SET, REMOVE, ENTRY = 84, 83, 82, 69
-- The rows' heads (a ticker's values stay packed until it is written), and the name of the
-- stored ts of every field the batch touches, which one HMGET reads with the coin's floor. A
-- field twice in a batch is asked twice (HMGET answers both): cheaper than a set of names.
local rows = argv[2]
local ops, fields, tsTexts, tsValues, qkeys, valuesAt = {}, {}, {}, {}, {}, {}
local names, tsNames, nameCount = {'~floor'}, {}, 1
local count, pos, rowsEnd = 0, 1, #rows
while pos <= rowsEnd do
  count = count + 1
  local op, qkey, field, tsText, ts, valuesLength, at = unpackBytes('>BHssdH', rows, pos)
  ops[count], qkeys[count], fields[count], tsTexts[count] = op, qkey, field, tsText
  tsValues[count], valuesAt[count] = ts, at
  pos = at + valuesLength
  local tsName
  if op == TICKER or op == SET then
    tsName = '~ts:' .. field
  elseif op == REMOVE then
    tsName = '~ts:i:' .. field
  end
  if tsName then
    -- Made once, kept for the write below.
    tsNames[count] = tsName
    nameCount = nameCount + 1
    names[nameCount] = tsName
  end
end
if #argv - 2 ~= count then
  return redis.error_reply('market batch: ' .. count .. ' updates but ' .. (#argv - 2) .. ' events')
end
-- The call's one stream entry, when it writes anything, has the next sequence. Its text is
-- made once: a Lua number given to redis.call is printed (sprintf) at every call.
local seq = toNumber(call('HGET', snap, '~seq') or '0') + 1
local seqText = string.format('%d', seq)
local out = {}
local written, dropped = 0, 0
local held = {}
local values = call('HMGET', snap, unpackList(names))
for j = 1, nameCount do
  if values[j] then held[names[j]] = toNumber(values[j]) end
end
-- Below the floor, a field with no ts of its own held its marks once, since pruned.
local floor = held['~floor']
local function belowFloor(ts)
  return floor ~= nil and ts < floor
end
-- The newest removal written: what the marks kept are measured back from.
local lastRemoval
-- Snapshot fields to set, written at the end (or before a removal or a revival), in HSETs of
-- 30 arguments (7 updates' pairs): Redis reuses the objects of a script command's first 32
-- arguments up to 64 bytes long, and allocates and frees every other.
local pending, pendingCount = {}, 0
local function writePending()
  local n = pendingCount
  if n > 0 then
    for at = 1, n, 28 do call('HSET', snap, unpackList(pending, at, math.min(at + 27, n))) end
    pending, pendingCount = {}, 0
  end
end
for k = 1, count do
  local op, field, tsText, qkey = ops[k], fields[k], tsTexts[k], qkeys[k]
  local json = argv[k + 2]
  local ts = tsValues[k]
  if op == ENTRY then
    written = written + 1
    out[written] = json
  elseif op == TICKER or op == SET then
    local tsName = tsNames[k]
    local last = held[tsName]
    local stale = false
    if last ~= nil then
      if last < 0 then
        -- Removed at -last: only a listing as new as the removal brings the instrument back.
        if string.byte(field, 1) == 105 and ts >= -last then
          local instrument = string.sub(field, 3)
          writePending()
          call('HDEL', snap, '~ts:t:' .. instrument, '~ts:b:' .. instrument)
          held['~ts:t:' .. instrument], held['~ts:b:' .. instrument] = nil, nil
        else
          stale = true
        end
      elseif ts < last then
        stale = true
      end
    elseif belowFloor(ts) then
      stale = true
    end
    if stale then
      dropped = dropped + 1
    else
      written = written + 1
      out[written] = json
      held[tsName] = ts
      local n = pendingCount
      pending[n + 1] = field
      pending[n + 2] = json
      pending[n + 3] = tsName
      pending[n + 4] = tsText
      pendingCount = n + 4
      if op == TICKER and qkey > 0 then
${indent(quoteWrite(), '        ')}
      elseif qkey > 0 then
        call('HSET', keys[qkey], '${QUOTE_LISTING_FIELD}', json)
      end
    end
  elseif op == REMOVE then
    local tsName = tsNames[k]
    local last = held[tsName]
    if (last ~= nil and ts < math.abs(last)) or (last == nil and belowFloor(ts)) then
      dropped = dropped + 1
    else
      written = written + 1
      out[written] = json
      writePending()
      local mark = '-' .. tsText
      call('HDEL', snap, 'i:' .. field, 't:' .. field, 'b:' .. field)
      call('HSET', snap, tsName, mark, '~ts:t:' .. field, mark, '~ts:b:' .. field, mark)
      held[tsName], held['~ts:t:' .. field], held['~ts:b:' .. field] = -ts, -ts, -ts
      if qkey > 0 then call('DEL', keys[qkey]) end
      call('ZADD', removals, tsText, field)
      if lastRemoval == nil or ts > lastRemoval then lastRemoval = ts end
    end
  else
    return redis.error_reply('unknown market op ' .. string.char(op))
  end
end
if written > 0 then
  local id = appendEntry(stream, maxlen, seq, out, written)
  local n = pendingCount
  pending[n + 1], pending[n + 2], pending[n + 3], pending[n + 4] = '~seq', seqText, '~id', id
  pendingCount = n + 4
end
writePending()
if lastRemoval ~= nil then
  -- Marks of instruments removed more than the kept time before the newest removal go; one
  -- relisted since (its listing's ts positive) keeps its listing's.
  local cutoff = lastRemoval - ${REMOVALS_KEPT_MS}
  local due = call('ZRANGEBYSCORE', removals, '-inf', '(' .. string.format('%.17g', cutoff))
  if #due > 0 then
    local marks = {}
    for _, instrument in ipairs(due) do
      local mark = toNumber(call('HGET', snap, '~ts:i:' .. instrument) or '')
      if mark ~= nil and mark < 0 and -mark < cutoff then
        marks[#marks + 1] = '~ts:i:' .. instrument
        marks[#marks + 1] = '~ts:t:' .. instrument
        marks[#marks + 1] = '~ts:b:' .. instrument
      end
      if #marks >= 3000 then
        call('HDEL', snap, unpackList(marks))
        marks = {}
      end
    end
    if #marks > 0 then call('HDEL', snap, unpackList(marks)) end
    call('ZREMRANGEBYSCORE', removals, '-inf', '(' .. string.format('%.17g', cutoff))
    if floor == nil or cutoff > floor then
      call('HSET', snap, '~floor', string.format('%.17g', cutoff))
    end
  end
end
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
${APPEND_ENTRY}
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
if written > 0 then
  redis.call('HSET', state, '~seq', seq, '~id', appendEntry(stream, maxlen, seq, out, written))
end
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
  ivtWriteMarket(
    numKeys: number,
    ...keysAndArgs: (string | number | Buffer)[]
  ): Promise<ScriptReply>;
  ivtWriteVenue(
    numKeys: number,
    ...keysAndArgs: (string | number | Buffer)[]
  ): Promise<ScriptReply>;
}

export interface PipelineScriptCommands {
  ivtWriteMarket(numKeys: number, ...keysAndArgs: (string | number | Buffer)[]): ChainableCommander;
  ivtWriteVenue(numKeys: number, ...keysAndArgs: (string | number | Buffer)[]): ChainableCommander;
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
