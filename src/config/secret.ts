import { inspect } from 'node:util';

const REDACTED = '«redacted»';

/**
 * A credential that prints as «redacted» however it escapes (template string, JSON, an error
 * message, console.log), so only code that asks for it by name with `reveal()` ever sees it.
 */
export class Secret {
  // A true private field: util.inspect and JSON never see it, unlike a TS `private`.
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * Replaces every occurrence of every secret's value in `text`, for text that came from
 * elsewhere (a venue's error reply may echo what was sent). One pass over an alternation,
 * longest first: a secret containing another is redacted whole, and a short secret cannot
 * match inside a marker already written.
 */
export function redact(text: string, secrets: readonly Secret[]): string {
  const values = secrets
    .map((secret) => secret.reveal())
    .filter((value) => value.length > 0)
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return text;
  const pattern = new RegExp(values.map(escapeRegExp).join('|'), 'g');
  return text.replace(pattern, REDACTED);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
