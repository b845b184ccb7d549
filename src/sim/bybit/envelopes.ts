// The frames Bybit wraps everything in. The option socket answers commands with a
// COMMAND_RESP envelope (fixture: v5-option-shapes-2026-09 "subscribe ack"); the linear and
// private sockets with `{success, ret_msg, conn_id, req_id, op}`. Pongs differ the same way:
// the option and private sockets send `{op:"pong", args:[server ms]}`, the linear socket
// `{success:true, ret_msg:"pong", op:"ping"}` (v5 WebSocket "Connect" page, heartbeat).

import type { SocketKind } from './topics.js';

export function restReply(
  retCode: number,
  retMsg: string,
  result: unknown,
  wallNow: number,
  retExtInfo: unknown = {},
): string {
  return JSON.stringify({ retCode, retMsg, result, retExtInfo, time: wallNow });
}

function withReqId(reqId: unknown): { req_id?: string } {
  return typeof reqId === 'string' || typeof reqId === 'number' ? { req_id: String(reqId) } : {};
}

/** The answer to subscribe/unsubscribe on each socket. */
export function topicAck(
  socket: SocketKind,
  op: 'subscribe' | 'unsubscribe',
  connId: string,
  reqId: unknown,
  succeeded: readonly string[],
  failed: readonly string[],
  failureMessage: string,
): string {
  if (socket === 'option') {
    return JSON.stringify({
      success: failed.length === 0,
      ...withReqId(reqId),
      conn_id: connId,
      data: { failTopics: failed, successTopics: succeeded },
      type: 'COMMAND_RESP',
    });
  }
  return opReply(connId, reqId, op, failed.length === 0, failed.length === 0 ? '' : failureMessage);
}

/** `{success, ret_msg, conn_id, req_id, op}`: every other answer of the linear/private sockets. */
export function opReply(
  connId: string,
  reqId: unknown,
  op: string,
  success: boolean,
  retMsg: string,
): string {
  return JSON.stringify({
    success,
    ret_msg: retMsg,
    conn_id: connId,
    req_id: withReqId(reqId).req_id ?? '',
    op,
  });
}

export function pong(socket: SocketKind, connId: string, reqId: unknown, serverMs: number): string {
  if (socket === 'linear') {
    return JSON.stringify({
      success: true,
      ret_msg: 'pong',
      conn_id: connId,
      ...withReqId(reqId),
      op: 'ping',
    });
  }
  return JSON.stringify({
    ...withReqId(reqId),
    op: 'pong',
    args: [String(serverMs)],
    conn_id: connId,
  });
}
