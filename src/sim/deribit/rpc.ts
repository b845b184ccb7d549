// JSON-RPC 2.0 envelopes as Deribit frames them: replies carry the server's µs timings and the
// testnet flag, notifications carry no id. Timings come from the sim clock so a seeded run
// replays byte for byte.

export type RpcId = number | string | null;

/** An error a method answers with; `data` is shown to the client, so never put secrets in it. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export interface ReplyTiming {
  readonly usIn: number;
  readonly usOut: number;
}

export function resultFrame(id: RpcId | undefined, result: unknown, timing: ReplyTiming): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    ...(id === undefined ? {} : { id }),
    result,
    usIn: timing.usIn,
    usOut: timing.usOut,
    usDiff: timing.usOut - timing.usIn,
    testnet: false,
  });
}

export function errorFrame(id: RpcId | undefined, error: RpcError, timing: ReplyTiming): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    ...(id === undefined ? {} : { id }),
    error: {
      code: error.code,
      message: error.message,
      ...(error.data === undefined ? {} : { data: error.data }),
    },
    usIn: timing.usIn,
    usOut: timing.usOut,
    usDiff: timing.usOut - timing.usIn,
    testnet: false,
  });
}

/** Notification prefix up to the data; callers append the serialised data and NOTIFICATION_END. */
export function notificationHead(channel: string): string {
  return `{"jsonrpc":"2.0","method":"subscription","params":{"channel":${JSON.stringify(channel)},"data":`;
}
export const NOTIFICATION_END = '}}';

export function notificationFrame(channel: string, data: unknown): string {
  return notificationHead(channel) + JSON.stringify(data) + NOTIFICATION_END;
}

export function heartbeatFrame(type: 'heartbeat' | 'test_request'): string {
  return `{"jsonrpc":"2.0","method":"heartbeat","params":{"type":"${type}"}}`;
}
