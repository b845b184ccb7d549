/**
 * Why a Deribit order request failed, as a VenueOrderError: the venue-neutral reason the
 * gateway decides on, the venue's code and words, and a sentence a trader can act on.
 *
 * Codes: Deribit API v2 "RPC error codes" table, the codes the simulator answers with
 * (src/sim/deribit/errors.ts) and ../shared/protocols/deribit.md.
 */
import { ConnectionLostError, RequestTimeoutError, VenueReplyError } from '../common/errors.js';
import { VenueOrderError, type OrderErrorReason } from '../feed.js';
import { isRecord, type WireRecord } from '../wire-fields.js';

const VENUE = 'deribit';

/** What the failed request was about, for sentences that quote it. */
export interface OrderErrorSubject {
  /** The price or IV as sent (decimal string). */
  readonly price?: string;
  readonly amount?: string;
  /** Named when the outcome is unknown, so the caller knows what to look up. */
  readonly label?: string;
}

interface Facts {
  /** What was being done: "buy 0.5 BTC-27NOV26-90000-C at 0.0125 (label a1)". */
  readonly context: string;
  readonly subject: OrderErrorSubject;
  readonly data: WireRecord;
  readonly venueMessage: string;
}

interface Entry {
  readonly reason: OrderErrorReason;
  readonly sentence: (facts: Facts) => string;
  /** The venue may have acted before it failed (its own timeouts, internal errors). */
  readonly outcomeUnknown?: boolean;
}

const invalidParams: Entry = {
  reason: 'invalid-params',
  sentence: ({ context, data, venueMessage }) => {
    const param = text(data, 'param');
    const why = text(data, 'reason');
    if (param === null) return `the venue refused the request (${venueMessage}): ${context}`;
    return `invalid ${param}${why === null ? '' : ` (${why})`}: ${context}`;
  },
};

const unauthorized: Entry = {
  reason: 'unauthorized',
  sentence: ({ context }) => `not authorised to trade (log in again or check the key): ${context}`,
};

const offTick: Entry = {
  reason: 'invalid-price',
  sentence: ({ context, subject, data }) => {
    const tick = number(data, 'tick_size', 'tickSize');
    const price = subject.price === undefined ? 'the price' : `price ${subject.price}`;
    const grid = tick === null ? "the instrument's tick" : `the ${tick} tick`;
    return `${price} is not on ${grid}: ${context}`;
  },
};

const offLot: Entry = {
  reason: 'invalid-amount',
  sentence: ({ context, subject, data }) => {
    const lot = number(data, 'lot_size', 'lotSize', 'contract_size');
    const amount = subject.amount === undefined ? 'the amount' : `amount ${subject.amount}`;
    return `${amount} is not a whole number of lots${lot === null ? '' : ` of ${lot}`}: ${context}`;
  },
};

const priceOutOfBand = (side: 'low' | 'high'): Entry => ({
  reason: 'invalid-price',
  sentence: ({ context, subject }) => {
    const price = subject.price === undefined ? 'the price' : `price ${subject.price}`;
    return `${price} is too ${side} for the venue's current price band: ${context}`;
  },
});

const notFound: Entry = {
  reason: 'not-found',
  sentence: ({ context }) => `no such order of ours at the venue: ${context}`,
};

const notOpen: Entry = {
  reason: 'not-open',
  sentence: ({ context }) => `the order is no longer open (filled or cancelled): ${context}`,
};

const busy: Entry = {
  reason: 'rate-limited',
  sentence: ({ context }) => `the venue is busy, nothing was done; try again later: ${context}`,
};

const venueTimeout: Entry = {
  reason: 'timeout',
  outcomeUnknown: true,
  sentence: ({ context, subject }) =>
    `the venue timed out and may or may not have acted${lookUp(subject)}: ${context}`,
};

const maintenance: Entry = {
  reason: 'maintenance',
  sentence: ({ context }) => `the venue is under maintenance, nothing was done: ${context}`,
};

const TABLE: ReadonlyMap<number, Entry> = new Map<number, Entry>([
  [-32700, invalidParams],
  [
    -32601,
    {
      reason: 'invalid-params',
      sentence: ({ context }) => `the venue does not offer this method: ${context}`,
    },
  ],
  [-32602, invalidParams],
  [10000, unauthorized],
  [
    10002,
    {
      reason: 'invalid-amount',
      sentence: ({ context, subject, data }) => {
        const min = number(data, 'min_trade_amount', 'minSize');
        const amount = subject.amount === undefined ? 'the amount' : `amount ${subject.amount}`;
        return `${amount} is below the minimum${min === null ? '' : ` of ${min}`}: ${context}`;
      },
    },
  ],
  [10004, notFound],
  [10005, priceOutOfBand('low')],
  [10006, priceOutOfBand('low')],
  [10007, priceOutOfBand('high')],
  [
    10009,
    {
      reason: 'insufficient-funds',
      sentence: ({ context, data }) => {
        const required = number(data, 'required');
        const available = number(data, 'available');
        const detail =
          required !== null && available !== null
            ? ` (margin needed ${required}, available ${available})`
            : '';
        return `not enough funds to ${context}${detail}`;
      },
    },
  ],
  [10010, notOpen],
  [
    10011,
    {
      reason: 'invalid-price',
      sentence: ({ context, subject }) =>
        `${subject.price === undefined ? 'the price' : `price ${subject.price}`} is not allowed: ${context}`,
    },
  ],
  [
    10012,
    {
      reason: 'rejected',
      sentence: ({ context }) => `the instrument's book is closed: ${context}`,
    },
  ],
  [
    10020,
    {
      reason: 'invalid-params',
      sentence: ({ context }) => `the venue does not trade this instrument: ${context}`,
    },
  ],
  [10021, offLot],
  [10027, offLot],
  [
    10028,
    {
      reason: 'rate-limited',
      sentence: ({ context }) => `too many requests, nothing was done; back off: ${context}`,
    },
  ],
  [10029, notFound],
  [
    10030,
    {
      reason: 'invalid-params',
      sentence: ({ context }) => `the venue takes this only over a WebSocket: ${context}`,
    },
  ],
  [10040, busy],
  [10041, maintenance],
  [10043, offTick],
  [10044, offTick],
  [10047, busy],
  [10066, busy],
  [11029, invalidParams],
  [11030, { reason: 'rejected', sentence: otherReject }],
  [
    11036,
    {
      reason: 'invalid-price',
      sentence: ({ context }) => `the trigger price would fire at once or is invalid: ${context}`,
    },
  ],
  [
    11038,
    {
      reason: 'invalid-params',
      sentence: ({ context }) => `only options can be priced in IV or USD: ${context}`,
    },
  ],
  [11044, notOpen],
  [11050, invalidParams],
  [11051, maintenance],
  [
    11054,
    {
      reason: 'post-only-reject',
      sentence: ({ context }) => `the post-only order would have taken liquidity: ${context}`,
    },
  ],
  [
    11094,
    {
      reason: 'rejected',
      outcomeUnknown: true,
      sentence: ({ context, subject }) =>
        `the venue failed internally and may or may not have acted${lookUp(subject)}: ${context}`,
    },
  ],
  [13004, unauthorized],
  [13009, unauthorized],
  [
    13020,
    {
      reason: 'invalid-params',
      sentence: ({ context, data }) => {
        const why = text(data, 'reason');
        return `not found at the venue${why === null ? '' : ` (${why})`}: ${context}`;
      },
    },
  ],
  [13028, venueTimeout],
  [13888, venueTimeout],
]);

// 11030 other_reject names its reason in error.data.
const OTHER_REJECTS: Readonly<Record<string, { reason: OrderErrorReason; sentence: string }>> = {
  invalid_reduce_only_order: {
    reason: 'reduce-only-reject',
    sentence: 'the reduce-only order would increase the position',
  },
  fill_or_kill_not_filled: {
    reason: 'rejected',
    sentence: 'the fill-or-kill order could not fill in full',
  },
};

function otherReject({ context, data }: Facts): string {
  const why = text(data, 'reason');
  const known = why === null ? undefined : OTHER_REJECTS[why];
  if (known !== undefined) return `${known.sentence}: ${context}`;
  return `the venue rejected the order${why === null ? '' : ` (${why})`}: ${context}`;
}

/**
 * A failed order request as a VenueOrderError. `context` says what was being done, as a verb
 * phrase ("buy 0.5 BTC-27NOV26-90000-C at 0.0125 (label a1)", "cancel order BTC-123");
 * `subject` lets the sentence quote the price and amount and name the label to look up.
 * Timeouts and lost connections leave the outcome unknown: the request may have reached the
 * venue, so the caller must look the order up by its label, never resend it blindly.
 */
export function deribitOrderError(
  error: unknown,
  context: string,
  subject: OrderErrorSubject = {},
): VenueOrderError {
  if (error instanceof VenueOrderError) return error;
  if (error instanceof VenueReplyError) return fromVenueReply(error, context, subject);
  if (error instanceof RequestTimeoutError) {
    return new VenueOrderError({
      venue: VENUE,
      reason: 'timeout',
      code: null,
      venueMessage: null,
      outcomeUnknown: true,
      message: `no reply within ${error.timeoutMs} ms; the request may have reached the venue${lookUp(subject)}: ${context}`,
    });
  }
  if (error instanceof ConnectionLostError) {
    return new VenueOrderError({
      venue: VENUE,
      reason: 'disconnected',
      code: null,
      venueMessage: null,
      outcomeUnknown: true,
      message: `the connection was lost before a reply; the request may have reached the venue${lookUp(subject)}: ${context}`,
    });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new VenueOrderError({
    venue: VENUE,
    reason: 'rejected',
    code: null,
    venueMessage: null,
    outcomeUnknown: true,
    message: `${context} failed (${detail}); its outcome is unknown${lookUp(subject)}`,
  });
}

/**
 * A request refused before anything was sent: `field` names what is wrong with it.
 * Nothing reached the venue, so the outcome is known.
 */
export function invalidOrderRequest(field: string, problem: string): VenueOrderError {
  return new VenueOrderError({
    venue: VENUE,
    reason: 'invalid-params',
    code: null,
    venueMessage: null,
    message: `invalid order request, nothing sent: ${field} ${problem}`,
  });
}

function fromVenueReply(
  error: VenueReplyError,
  context: string,
  subject: OrderErrorSubject,
): VenueOrderError {
  const data = isRecord(error.data) ? error.data : {};
  const facts: Facts = { context, subject, data, venueMessage: error.venueMessage };
  const entry = TABLE.get(error.code);
  const reason = error.code === 11030 ? otherRejectReason(data) : (entry?.reason ?? 'rejected');
  const sentence =
    entry?.sentence(facts) ?? `the venue refused (${error.venueMessage}): ${context}`;
  return new VenueOrderError({
    venue: VENUE,
    reason,
    code: error.code,
    venueMessage: error.venueMessage,
    outcomeUnknown: entry?.outcomeUnknown ?? false,
    message: `${sentence} [Deribit ${error.code} ${error.venueMessage}]`,
  });
}

function otherRejectReason(data: WireRecord): OrderErrorReason {
  const why = text(data, 'reason');
  return (why === null ? undefined : OTHER_REJECTS[why]?.reason) ?? 'rejected';
}

function lookUp(subject: OrderErrorSubject): string {
  return subject.label === undefined ? '' : `; look it up by label ${subject.label}`;
}

function text(data: WireRecord, key: string): string | null {
  const value = data[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The first of these keys that holds a finite number (the venue's snake_case or the sim's). */
function number(data: WireRecord, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = data[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}
