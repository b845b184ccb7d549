// The linear socket's `kline.{interval}.{symbol}` topic: the forming candle of the perpetual,
// from the same series `/v5/market/kline` serves (the index history, no traded volume), pushed
// after model steps at most once a second of sim time, and each candle once more with
// `confirm: true` when its period ends, as Bybit documents the topic. Bybit sends no snapshot
// on subscribing; the first push follows within a second.

import type { SimEvent, SimExchange } from '../contract.js';
import type { MarketHistory, SimCandle } from '../model/history.js';
import type { BybitConnection } from './connection.js';

const PUSH_EVERY_MS = 1000;

export interface KlineTopic {
  readonly name: string;
  readonly symbol: string;
  readonly base: string;
  /** Bybit's interval text: "1", "60", "D". */
  readonly interval: string;
  readonly periodMs: number;
}

interface KlineStream {
  readonly topic: KlineTopic;
  readonly subscribers: Set<BybitConnection>;
  /** The candle last pushed, to confirm when its period ends. */
  last: SimCandle | null;
  lastPushTs: number;
}

const text = (value: number): string => String(Math.round(value * 100) / 100);

export class KlineStreams {
  private readonly streams = new Map<string, KlineStream>();

  constructor(
    private readonly exchange: SimExchange,
    private readonly history: MarketHistory | undefined,
  ) {}

  /** Without a history there is nothing to stream: the topic is refused. */
  get served(): boolean {
    return this.history !== undefined;
  }

  subscribe(connection: BybitConnection, topic: KlineTopic): void {
    let stream = this.streams.get(topic.name);
    if (stream === undefined) {
      stream = { topic, subscribers: new Set(), last: null, lastPushTs: -Infinity };
      this.streams.set(topic.name, stream);
    }
    stream.subscribers.add(connection);
  }

  unsubscribe(connection: BybitConnection, name: string): void {
    const stream = this.streams.get(name);
    if (stream === undefined) return;
    stream.subscribers.delete(connection);
    if (stream.subscribers.size === 0) this.streams.delete(name);
  }

  onEvent(event: SimEvent): void {
    if (event.type !== 'step' || this.history === undefined) return;
    for (const stream of this.streams.values()) this.publish(this.history, stream, event.ts);
  }

  private publish(history: MarketHistory, stream: KlineStream, now: number): void {
    const { base, periodMs } = stream.topic;
    const start = Math.floor(now / periodMs) * periodMs;
    const rows: { candle: SimCandle; confirm: boolean }[] = [];
    if (stream.last !== null && stream.last.ts < start) {
      // The period ended: its final candle, confirmed.
      const done = history.candles('index', base, periodMs, stream.last.ts, stream.last.ts)[0];
      if (done !== undefined) rows.push({ candle: done, confirm: true });
    } else if (now - stream.lastPushTs < PUSH_EVERY_MS) {
      return;
    }
    const forming = history.candles('index', base, periodMs, start, start)[0];
    if (forming !== undefined) rows.push({ candle: forming, confirm: false });
    if (rows.length === 0) return;
    stream.last = forming ?? null;
    stream.lastPushTs = now;
    const message = JSON.stringify({
      topic: stream.topic.name,
      data: rows.map(({ candle, confirm }) => ({
        start: candle.ts,
        end: candle.ts + periodMs - 1,
        interval: stream.topic.interval,
        open: text(candle.open),
        close: text(candle.close),
        high: text(candle.high),
        low: text(candle.low),
        volume: '0',
        turnover: '0',
        confirm,
        timestamp: now,
      })),
      ts: now,
      type: 'snapshot',
    });
    for (const connection of stream.subscribers) connection.send(message, 'notification');
  }
}
