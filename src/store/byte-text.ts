/**
 * Text written straight into bytes: what a busy publisher encodes (numbers, JSON, a Redis
 * command) without making a string of each piece first. Every ticker published went through
 * some twenty number-to-string conversions, a few dozen string concatenations, ioredis's
 * framing of each argument and the socket's conversion of the result back to bytes; the
 * strings alone were a tenth of the process's time in garbage collection.
 *
 * Numbers come out as `decimalText` and `significantText` (codec.ts) give them: the same
 * digits, never in exponent form. The common cases (a price, a size, a timestamp, a computed
 * value to a few significant digits) are written digit by digit from an integer; anything
 * else goes through those functions.
 */

const POWERS = Array.from({ length: 23 }, (_, at) => 10 ** at);
/** Integers below this are exact in a double, and so are their digits. */
const EXACT = 2 ** 53;
/**
 * Scaled below this, a double's spacing is under one unit of the last place tried: no other
 * digits at those places read back as the same number, so the ones found are the shortest.
 */
const UNIQUE = 2 ** 52;
/** Decimal places tried, in order, for a fractional number's digits. */
const PLACES = [8, 12, 16];

const CR = 13;
const LF = 10;
const DOLLAR = 36;
const MINUS = 45;
const POINT = 46;
const ZERO = 48;

/** The fallbacks' formatting, given by the caller (codec.ts owns the rules). */
export interface TextRules {
  decimalText(value: number): string;
  significantText(value: number, digits: number): string;
}

/** A length past 16 bits would wrap and misframe everything after it: refused instead. */
function checkUint16(value: number): void {
  if (!(value >= 0 && value <= 0xffff)) throw new RangeError(`${value} does not fit 16 bits`);
}

export class ByteText {
  #buffer: Buffer;
  /** Bytes written so far. */
  length = 0;

  constructor(
    private readonly rules: TextRules,
    size = 1 << 16,
  ) {
    this.#buffer = Buffer.allocUnsafe(size);
  }

  /** The bytes written so far (a view: valid until the next write or reset). */
  view(): Buffer {
    return this.#buffer.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }

  /** Room for `count` more bytes: the buffer doubles, keeping what was written. */
  room(count: number): Buffer {
    const need = this.length + count;
    if (need > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.#buffer.length * 2));
      this.#buffer.copy(grown, 0, 0, this.length);
      this.#buffer = grown;
    }
    return this.#buffer;
  }

  byte(code: number): void {
    this.room(1)[this.length++] = code;
  }

  bytes(chunk: Uint8Array): void {
    const count = chunk.length;
    const buffer = this.room(count);
    let at = this.length;
    // Most chunks are a JSON key or a name: a loop beats a native copy's call at that size.
    if (count < 48) for (let i = 0; i < count; i += 1) buffer[at++] = chunk[i]!;
    else buffer.set(chunk, at);
    this.length += count;
  }

  /** A 16-bit unsigned integer, big-endian (a length the reader unpacks). */
  uint16(value: number): void {
    checkUint16(value);
    const buffer = this.room(2);
    buffer[this.length] = value >>> 8;
    buffer[this.length + 1] = value & 0xff;
    this.length += 2;
  }

  /** A double, big-endian (IEEE 754). */
  float64(value: number): void {
    this.room(8).writeDoubleBE(value, this.length);
    this.length += 8;
  }

  /** Overwrites the uint16 at `at`: a length written before what it measures. */
  patchUint16(at: number, value: number): void {
    checkUint16(value);
    this.#buffer[at] = value >>> 8;
    this.#buffer[at + 1] = value & 0xff;
  }

  /** Bytes `start` to `end` of `source` (another ByteText's view, say). */
  copy(source: Uint8Array, start: number, end: number): void {
    const buffer = this.room(end - start);
    let at = this.length;
    for (let i = start; i < end; i += 1) buffer[at++] = source[i]!;
    this.length = at;
  }

  /** Text of any characters, as UTF-8. */
  utf8(text: string): void {
    const count = Buffer.byteLength(text);
    this.length += this.room(count).write(text, this.length, count, 'utf8');
  }

  /** Text known to be ASCII (digits, names that were checked). */
  ascii(text: string): void {
    const count = text.length;
    const buffer = this.room(count);
    let at = this.length;
    for (let i = 0; i < count; i += 1) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** The digits of an integer 0 ≤ value < 2^53. */
  whole(value: number): void {
    if (value < 100_000_000) {
      this.#small(value);
      return;
    }
    const high = Math.floor(value / 100_000_000);
    this.#small(high);
    this.#padded(value - high * 100_000_000, 8);
  }

  /** `decimalText(value)` (codec.ts); nothing for a number that is none. */
  decimal(value: number): void {
    let size = value;
    if (size < 0) {
      this.byte(MINUS);
      size = -size;
    }
    if (size < EXACT && Math.floor(size) === size) {
      this.whole(size);
      return;
    }
    for (const places of PLACES) {
      const power = POWERS[places]!;
      const scaled = size * power;
      if (scaled >= UNIQUE) break;
      const digits = Math.round(scaled);
      // The decimal digits × 10^-places read back as exactly this number: these are its
      // shortest digits once the trailing zeros go (a shorter text would have matched here).
      if (digits / power === size) {
        this.#fixed(digits, places);
        return;
      }
    }
    if (value < 0) this.length -= 1;
    this.ascii(this.rules.decimalText(value));
  }

  /** `significantText(value, digits)` (codec.ts) for a finite, non-zero value. */
  significant(value: number, digits: number): void {
    const size = value < 0 ? -value : value;
    const places = digits - 1 - Math.floor(Math.log10(size));
    const scaled = places > 0 && places < POWERS.length ? size * POWERS[places]! : 0;
    const fraction = scaled - Math.floor(scaled);
    // Near a rounding tie, or past the table: the exact way.
    if (scaled === 0 || scaled >= 2 ** 31 || Math.abs(fraction - 0.5) < 1e-6) {
      this.ascii(this.rules.significantText(value, digits));
      return;
    }
    if (value < 0) this.byte(MINUS);
    this.#fixed(Math.round(scaled), places);
  }

  /** A RESP bulk string's header for `count` bytes: `$count\r\n`. */
  bulkHeader(count: number): void {
    this.byte(DOLLAR);
    this.whole(count);
    this.crlf();
  }

  crlf(): void {
    const buffer = this.room(2);
    buffer[this.length++] = CR;
    buffer[this.length++] = LF;
  }

  /**
   * Starts a RESP bulk string whose length is known once it is written: returns the mark
   * to pass to `endBulk`. Three digits of length are reserved; other lengths move it.
   */
  beginBulk(): number {
    this.room(6);
    this.#buffer[this.length] = DOLLAR;
    this.length += 6;
    return this.length;
  }

  endBulk(start: number): void {
    const count = this.length - start;
    const digits = count < 10 ? 1 : count < 100 ? 2 : count < 1000 ? 3 : String(count).length;
    if (digits !== 3) {
      const shift = digits - 3;
      const buffer = this.room(Math.max(shift, 0));
      buffer.copyWithin(start + shift, start, this.length);
      this.length += shift;
    }
    const buffer = this.#buffer;
    let at = start - 2 + (digits - 3);
    buffer[at] = CR;
    buffer[at + 1] = LF;
    let rest = count;
    for (let i = 0; i < digits; i += 1) {
      at -= 1;
      buffer[at] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.crlf();
  }

  /** `digits` × 10^-places, trailing zeros dropped (digits < 2^53). */
  #fixed(digits: number, places: number): void {
    if (digits < 2 ** 31) {
      this.#fixedInt32(digits | 0, places);
      return;
    }
    let rest = digits;
    let point = places;
    while (point > 0) {
      // A double's % is a library call; this is two instructions.
      const next = Math.floor(rest / 10);
      if (next * 10 !== rest) break;
      rest = next;
      point -= 1;
    }
    if (point === 0) {
      this.whole(rest);
      return;
    }
    const power = POWERS[point]!;
    const integer = Math.floor(rest / power);
    this.whole(integer);
    this.byte(POINT);
    this.#padded(rest - integer * power, point);
  }

  /**
   * #fixed for digits < 2^31, the common case (a price, a size, a computed value): in int32
   * arithmetic, where a division by the constant 10 compiles to a multiplication, written
   * right to left in one pass; a double's division is several times slower.
   */
  #fixedInt32(digits: number, places: number): void {
    let rest = digits;
    let point = places;
    while (point > 0) {
      const next = (rest / 10) | 0;
      if (next * 10 !== rest) break;
      rest = next;
      point -= 1;
    }
    let count = 1;
    while (count < 10 && rest >= POWERS[count]!) count += 1;
    const whole = count > point ? count - point : 1;
    const length = point > 0 ? whole + 1 + point : whole;
    const buffer = this.room(length);
    let at = this.length + length;
    this.length = at;
    for (let i = 0; i < point; i += 1) {
      const next = (rest / 10) | 0;
      buffer[--at] = ZERO + rest - next * 10;
      rest = next;
    }
    if (point > 0) buffer[--at] = POINT;
    do {
      const next = (rest / 10) | 0;
      buffer[--at] = ZERO + rest - next * 10;
      rest = next;
    } while (rest > 0);
  }

  /** 0 ≤ value < 10^8, as few digits as it takes. */
  #small(value: number): void {
    let count = 1;
    while (count < 8 && value >= POWERS[count]!) count += 1;
    this.#padded(value, count);
  }

  /** 0 ≤ value < 10^count, as exactly `count` digits (leading zeros kept). */
  #padded(value: number, count: number): void {
    const buffer = this.room(count);
    let at = this.length + count;
    this.length = at;
    let rest = value;
    if (rest < 2 ** 31) {
      let small = rest | 0;
      for (let i = 0; i < count; i += 1) {
        const next = (small / 10) | 0;
        buffer[--at] = ZERO + small - next * 10;
        small = next;
      }
      return;
    }
    for (let i = 0; i < count; i += 1) {
      const next = Math.floor(rest / 10);
      buffer[--at] = ZERO + rest - next * 10;
      rest = next;
    }
  }
}
