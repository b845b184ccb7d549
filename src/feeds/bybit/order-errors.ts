/**
 * Whatever stopped a Bybit order request, as a VenueOrderError: the venue's retCode mapped to
 * a venue-neutral reason and a sentence a trader can act on, with the venue's own text kept
 * alongside. Codes from the v5 error page (bybit-exchange.github.io/docs/v5/error) and the
 * messages the venue sends with them.
 */
import { ConnectionLostError, RequestTimeoutError } from '../common/errors.js';
import { VenueOrderError, type OrderErrorReason } from '../feed.js';
import { WireFormatError } from '../wire-fields.js';
import { BybitApiError, BybitHttpError } from './rest.js';

const VENUE = 'bybit';

interface Meaning {
  readonly reason: OrderErrorReason;
  readonly sentence: string;
  /** The venue may have acted on the request even though it answered with this. */
  readonly outcomeUnknown?: boolean;
}

const BY_CODE: ReadonlyMap<number, Meaning> = new Map<number, Meaning>([
  [10000, { reason: 'timeout', sentence: 'the venue timed out internally', outcomeUnknown: true }],
  [10001, { reason: 'invalid-params', sentence: 'the venue refused a parameter of the request' }],
  [
    10002,
    {
      reason: 'unauthorized',
      sentence: "the request's timestamp fell outside the venue's receive window (check the clock)",
    },
  ],
  [10003, { reason: 'unauthorized', sentence: 'the venue does not know this API key' }],
  [10004, { reason: 'unauthorized', sentence: 'the venue refused the request signature' }],
  [10005, { reason: 'unauthorized', sentence: 'this API key lacks the permission for it' }],
  [10006, { reason: 'rate-limited', sentence: 'too many requests: the venue rate limit was hit' }],
  [10010, { reason: 'unauthorized', sentence: 'this API key is bound to other IP addresses' }],
  [
    10016,
    {
      reason: 'maintenance',
      sentence: 'the venue had a server error or is restarting',
      outcomeUnknown: true,
    },
  ],
  [10017, { reason: 'invalid-params', sentence: 'the venue has no such route' }],
  [10018, { reason: 'rate-limited', sentence: 'too many requests from this IP address' }],
  [110001, { reason: 'not-found', sentence: 'no such open order' }],
  [110003, { reason: 'invalid-price', sentence: 'the price is outside the permitted range' }],
  [110004, { reason: 'insufficient-funds', sentence: 'the wallet balance is insufficient' }],
  [
    110007,
    { reason: 'insufficient-funds', sentence: 'not enough available balance for the order' },
  ],
  [110008, { reason: 'not-open', sentence: 'the order is already filled or cancelled' }],
  [110012, { reason: 'insufficient-funds', sentence: 'not enough available balance' }],
  [
    110017,
    { reason: 'reduce-only-reject', sentence: 'a reduce-only order would not reduce the position' },
  ],
  [110063, { reason: 'maintenance', sentence: 'the contract is settling and takes no orders' }],
  [110072, { reason: 'duplicate-label', sentence: 'this orderLinkId (label) was already used' }],
  [110092, { reason: 'invalid-price', sentence: 'the trigger price would trigger at once' }],
  [110093, { reason: 'invalid-price', sentence: 'the trigger price would trigger at once' }],
]);

// 10001 is every parameter error; the venue's text names the field, which says more.
const PARAMS_REFINEMENTS: readonly (readonly [RegExp, OrderErrorReason, string])[] = [
  [/post\s*only/i, 'post-only-reject', 'a post-only order would have taken liquidity'],
  [/\bqty\b|quantity|minOrderQty|qtyStep/i, 'invalid-amount', 'the venue refused the quantity'],
  [/\bprice\b|tickSize/i, 'invalid-price', 'the venue refused the price'],
];

/** Maps whatever an order request threw; `context` says what was being done ("create BTC-…"). */
export function bybitOrderError(error: unknown, context: string): VenueOrderError {
  if (error instanceof VenueOrderError) return error;
  if (error instanceof BybitApiError) return fromRetCode(error, context);
  if (error instanceof RequestTimeoutError) {
    return new VenueOrderError({
      venue: VENUE,
      reason: 'timeout',
      code: null,
      venueMessage: null,
      message: `${context}: no reply within ${error.timeoutMs} ms; the order may or may not have reached the venue`,
      outcomeUnknown: true,
    });
  }
  if (error instanceof ConnectionLostError) {
    return new VenueOrderError({
      venue: VENUE,
      reason: 'disconnected',
      code: null,
      venueMessage: null,
      message: `${context}: the connection failed (${error.message}); the order may or may not have reached the venue`,
      outcomeUnknown: true,
    });
  }
  if (error instanceof BybitHttpError) return fromHttpStatus(error, context);
  const detail = error instanceof Error ? error.message : String(error);
  return new VenueOrderError({
    venue: VENUE,
    reason: 'rejected',
    code: null,
    venueMessage: null,
    message: `${context}: ${error instanceof WireFormatError ? 'the venue reply was unreadable' : 'the request failed'} (${detail})`,
    // We cannot tell what the venue did with it.
    outcomeUnknown: true,
  });
}

/** A request refused before it was sent: nothing reached the venue. */
export function invalidOrderParams(
  context: string,
  field: string,
  problem: string,
): VenueOrderError {
  return new VenueOrderError({
    venue: VENUE,
    reason: 'invalid-params',
    code: null,
    venueMessage: null,
    message: `${context}: "${field}" ${problem} (not sent)`,
  });
}

function fromRetCode(error: BybitApiError, context: string): VenueOrderError {
  const venueMessage = error.retMsg;
  let meaning: Meaning = BY_CODE.get(error.retCode) ?? {
    reason: 'rejected',
    sentence: 'the venue rejected the request',
  };
  if (error.retCode === 10001) {
    const refined = PARAMS_REFINEMENTS.find(([pattern]) => pattern.test(venueMessage));
    if (refined !== undefined) meaning = { reason: refined[1], sentence: refined[2] };
  }
  return new VenueOrderError({
    venue: VENUE,
    reason: meaning.reason,
    code: error.retCode,
    venueMessage,
    message: `${context}: ${meaning.sentence} (Bybit ${error.retCode}: ${venueMessage})`,
    outcomeUnknown: meaning.outcomeUnknown ?? false,
  });
}

/** The venue's edge answering without its envelope: 403 and 429 are its rate limits. */
function fromHttpStatus(error: BybitHttpError, context: string): VenueOrderError {
  const limited = error.status === 403 || error.status === 429;
  const serverSide = error.status >= 500;
  return new VenueOrderError({
    venue: VENUE,
    reason: limited ? 'rate-limited' : serverSide ? 'maintenance' : 'rejected',
    code: null,
    venueMessage: error.bodyStart === '' ? null : error.bodyStart,
    message: `${context}: ${limited ? 'too many requests: the venue refused the connection' : `the venue answered HTTP ${error.status}`}`,
    // A gateway error may come after the request was passed on.
    outcomeUnknown: serverSide,
  });
}
