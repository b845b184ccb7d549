/** Errors of the request machinery shared by every venue client. Never carry a secret. */

/** No reply within the request's time limit: the request may or may not have taken effect. */
export class RequestTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`${method}: no reply within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** The connection closed while the request was in flight, or before it could be sent. */
export class ConnectionLostError extends Error {
  constructor(
    readonly method: string,
    detail = 'connection lost',
  ) {
    super(`${method}: ${detail}`);
    this.name = 'ConnectionLostError';
  }
}

/** The venue answered with an error: its code and message, as sent. */
export class VenueReplyError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly venueMessage: string,
    readonly data: unknown = null,
  ) {
    super(`${method}: venue error ${code} ${venueMessage}`);
    this.name = 'VenueReplyError';
  }
}
