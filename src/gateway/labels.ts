/**
 * Order labels (the venue's label or client order id): `ivt-<session>-<n>` for the trader's
 * orders, `ivt-hedge-<session>-<n>` for the hedger's. A label is what makes a lost reply safe
 * to resolve, so none is ever issued twice: n counts up from 1 per origin, and the session
 * part, random per process, keeps a restarted process off the last one's labels (a venue that
 * remembers every client id it has seen would otherwise take a new order for an old one).
 */
import { randomInt } from 'node:crypto';

const SESSION = /^[0-9a-z]{6}$/;
const SESSION_CHARS = '0123456789abcdefghijklmnopqrstuvwxyz';
/** The label rule every venue accepts (OrderRequest.label): the narrowest venue's. */
export const LABEL_RULE = /^[A-Za-z0-9_-]{1,36}$/;

/** Six random lowercase base-36 characters. */
export function randomSession(): string {
  let session = '';
  for (let i = 0; i < 6; i += 1) session += SESSION_CHARS[randomInt(SESSION_CHARS.length)];
  return session;
}

export class LabelMaker {
  readonly session: string;
  #manual = 0;
  #hedge = 0;

  constructor(session: string = randomSession()) {
    if (!SESSION.test(session)) {
      throw new RangeError(`a session is 6 characters of 0-9 a-z, got ${JSON.stringify(session)}`);
    }
    this.session = session;
  }

  next(origin: 'manual' | 'hedge'): string {
    if (origin === 'hedge') {
      this.#hedge += 1;
      return `ivt-hedge-${this.session}-${this.#hedge}`;
    }
    this.#manual += 1;
    return `ivt-${this.session}-${this.#manual}`;
  }
}
