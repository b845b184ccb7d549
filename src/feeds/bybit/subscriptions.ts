/**
 * Topic names and how they are split over subscribe ops and connections.
 *
 * The venue's limits (v5 WebSocket "Connect" page, section "Public channel - Args limits",
 * bybit-exchange.github.io/docs/v5/ws/connect): on one public connection the "args" array may
 * not be longer than 21,000 characters; options take at most 2000 args per connection; spot 10
 * per subscribe request; futures (linear) have no count limit. The page does not say whether
 * 21,000 characters bounds one request or everything a connection holds, so both are kept
 * under it: each op's args array, and every topic a connection holds, measured as JSON.
 */

export const OPTION_ARGS_PER_CONNECTION = 2000;
export const ARGS_CHARS_PER_CONNECTION = 21_000;
/** Args per subscribe op: small enough that one refused op costs little to retry. */
export const DEFAULT_SUBSCRIBE_CHUNK = 100;
/** The depth the option socket publishes (1 and 50 are acknowledged, then silent). */
export const OPTION_BOOK_DEPTH = 25;
/** The perpetual's top of book is all the hedger needs. */
export const LINEAR_BOOK_DEPTH = 1;

export const tickerTopic = (symbol: string): string => `tickers.${symbol}`;
export const bookTopic = (symbol: string, depth: number): string => `orderbook.${depth}.${symbol}`;
export const optionTradesTopic = (coin: string): string => `publicTrade.${coin}`;

export type TopicFamily = 'tickers' | 'books' | 'trades';

export interface TopicInfo {
  readonly family: TopicFamily;
  /** The instrument (tickers, books) or base coin (option trades) the topic is about. */
  readonly subject: string;
}

/** Reads one of our own topic names back; null for anything else. */
export function topicInfo(topic: string): TopicInfo | null {
  if (topic.startsWith('tickers.')) return { family: 'tickers', subject: topic.slice(8) };
  if (topic.startsWith('publicTrade.')) return { family: 'trades', subject: topic.slice(12) };
  if (topic.startsWith('orderbook.')) {
    // Symbols may hold '.' (XRP-30OCT26-0.4-P-USDT); the depth never does.
    const depthEnd = topic.indexOf('.', 10);
    if (depthEnd === -1) return null;
    return { family: 'books', subject: topic.slice(depthEnd + 1) };
  }
  return null;
}

/** What one topic adds to the JSON args array: its quoted text and a comma. */
function argChars(topic: string): number {
  return JSON.stringify(topic).length + 1;
}

/** Splits topics into subscribe ops of at most `maxArgs` args and `maxChars` characters. */
export function chunkTopics(
  topics: readonly string[],
  maxArgs: number,
  maxChars: number = ARGS_CHARS_PER_CONNECTION,
): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let chars = 2;
  for (const topic of topics) {
    const size = argChars(topic);
    if (current.length > 0 && (current.length >= maxArgs || chars + size > maxChars)) {
      chunks.push(current);
      current = [];
      chars = 2;
    }
    current.push(topic);
    chars += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export interface ConnectionLimits {
  readonly maxArgs: number;
  readonly maxChars: number;
}

export const OPTION_CONNECTION_LIMITS: ConnectionLimits = {
  maxArgs: OPTION_ARGS_PER_CONNECTION,
  maxChars: ARGS_CHARS_PER_CONNECTION,
};

/**
 * Assigns topics to connections (shards) so none exceeds its limits. A topic stays on its
 * shard until removed, so adding listings never moves a live subscription; a new topic goes
 * to the first shard with room, else to a new one.
 */
export class ShardPlan {
  readonly #limits: ConnectionLimits;
  readonly #shardOf = new Map<string, number>();
  readonly #load: { args: number; chars: number }[] = [];

  constructor(limits: ConnectionLimits) {
    this.#limits = limits;
  }

  get shardCount(): number {
    return this.#load.length;
  }

  shardOf(topic: string): number | undefined {
    return this.#shardOf.get(topic);
  }

  /** The shard that holds (or now takes) the topic. */
  assign(topic: string): number {
    const known = this.#shardOf.get(topic);
    if (known !== undefined) return known;
    const size = argChars(topic);
    let shard = this.#load.findIndex(
      (load) => load.args < this.#limits.maxArgs && load.chars + size <= this.#limits.maxChars,
    );
    if (shard === -1) {
      shard = this.#load.length;
      this.#load.push({ args: 0, chars: 2 });
    }
    const load = this.#load[shard]!;
    load.args += 1;
    load.chars += size;
    this.#shardOf.set(topic, shard);
    return shard;
  }

  /** The shard the topic was on, or undefined if it was not held. */
  remove(topic: string): number | undefined {
    const shard = this.#shardOf.get(topic);
    if (shard === undefined) return undefined;
    this.#shardOf.delete(topic);
    const load = this.#load[shard]!;
    load.args -= 1;
    load.chars -= argChars(topic);
    return shard;
  }
}
