/**
 * What order and account code needs from a request/response connection, whatever carries it
 * (Deribit JSON-RPC over the feed's socket, a test's bare client). Rejects with
 * VenueReplyError (the venue said no), RequestTimeoutError or ConnectionLostError.
 */
export interface RpcCaller {
  call(method: string, params: Record<string, unknown>, options?: RpcCallOptions): Promise<unknown>;
}

export interface RpcCallOptions {
  /** Overrides the client's default time limit for this request. */
  readonly timeoutMs?: number;
}
