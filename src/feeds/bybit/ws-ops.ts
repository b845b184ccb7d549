/**
 * The op envelopes of Bybit's v5 sockets: what we send (subscribe, unsubscribe, ping) and how
 * the venue answers. The sockets disagree on the answer's shape:
 * - option socket: subscribe/unsubscribe acks are `{success, conn_id, req_id?, type:
 *   "COMMAND_RESP", data:{successTopics, failTopics}}`, and a pong is `{op:"pong", args:[ms]}`;
 * - linear socket: `{success, ret_msg, conn_id, req_id, op}`, and its pong is that same
 *   envelope with `op:"ping"` and `ret_msg:"pong"`;
 * - private socket: the linear envelope for auth/subscribe, the option socket's pong.
 * A refusal that is not about topics (a rate limit, a bad op) comes in the linear envelope on
 * every socket, so both shapes are accepted everywhere.
 */
import {
  isArray,
  isRecord,
  requireBoolean,
  WireFormatError,
  type WireRecord,
} from '../wire-fields.js';

export type BybitTopicOp = 'subscribe' | 'unsubscribe';

/** Sent on every socket to keep it open; the venue drops a connection that stays silent. */
export const BYBIT_PING_FRAME = '{"op":"ping"}';

/** A ping whose pong echoes `reqId`, so the round trip can be timed. */
export function bybitPingFrame(reqId: string): string {
  return JSON.stringify({ req_id: reqId, op: 'ping' });
}

export function bybitTopicOpFrame(
  op: BybitTopicOp,
  reqId: string,
  topics: readonly string[],
): string {
  return JSON.stringify({ req_id: reqId, op, args: topics });
}

export type BybitControlReply =
  | {
      readonly kind: 'pong';
      /** The ping's req_id, echoed; null when the ping had none (or the venue dropped it). */
      readonly reqId: string | null;
    }
  | {
      readonly kind: 'reply';
      /** Null when the venue echoed none (it echoes req_id only when one was sent). */
      readonly reqId: string | null;
      /** Null for the option socket's COMMAND_RESP, which names no op. */
      readonly op: string | null;
      readonly success: boolean;
      /** The venue's `ret_msg`, '' when it sent none. */
      readonly message: string;
      readonly failTopics: readonly string[];
    };

/**
 * Classifies a decoded frame that is not data. Returns null for data (anything with a
 * `topic`); throws WireFormatError for a frame that is neither.
 */
export function bybitControlReply(message: unknown): BybitControlReply | null {
  if (!isRecord(message)) throw new WireFormatError('Bybit frame: must be a JSON object');
  if (message['topic'] !== undefined) return null;
  const op = message['op'];
  if (op === 'pong') return { kind: 'pong', reqId: reqIdOf(message) };
  const retMsg = typeof message['ret_msg'] === 'string' ? message['ret_msg'] : '';
  if (op === 'ping' && retMsg === 'pong') return { kind: 'pong', reqId: reqIdOf(message) };
  const where = 'Bybit op reply';
  if (message['type'] === 'COMMAND_RESP') {
    return {
      kind: 'reply',
      reqId: reqIdOf(message),
      op: null,
      success: requireBoolean(message, 'success', where),
      message: retMsg,
      failTopics: failTopicsOf(message, where),
    };
  }
  if (typeof message['success'] === 'boolean') {
    return {
      kind: 'reply',
      reqId: reqIdOf(message),
      op: typeof op === 'string' ? op : null,
      success: message['success'],
      message: retMsg,
      failTopics: [],
    };
  }
  throw new WireFormatError(`${where}: neither data, a pong nor an op reply`);
}

// The venue answers "Too many visits!" (retCode 10006 on REST) when a client sends too fast.
const RATE_LIMITED = /too many (visits|requests)/i;

export function isRateLimitMessage(text: string): boolean {
  return RATE_LIMITED.test(text);
}

function reqIdOf(message: WireRecord): string | null {
  const reqId = message['req_id'];
  if (typeof reqId === 'string') return reqId === '' ? null : reqId;
  return typeof reqId === 'number' ? String(reqId) : null;
}

function failTopicsOf(message: WireRecord, where: string): string[] {
  const data = message['data'];
  if (data === undefined || data === null) return [];
  if (!isRecord(data)) throw new WireFormatError(`${where}: "data" must be an object`);
  const failed = data['failTopics'];
  if (failed === undefined || failed === null) return [];
  if (!isArray(failed) || !failed.every((topic) => typeof topic === 'string')) {
    throw new WireFormatError(`${where}: "data.failTopics" must be an array of strings`);
  }
  return failed as string[];
}
