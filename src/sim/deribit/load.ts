// Load mode: synthetic book changes on every subscribed book channel at a set total rate, for
// benchmarking clients. Each synthetic change re-states the book's top level at its current
// size, so a client's book stays correct while its chain of change ids keeps growing. Frames
// are assembled from pre-serialised pieces: only the ids and the timestamp change.

import type { SimExchange } from '../contract.js';
import { insertSynthetic, type ChainState, type ChangeChains } from './chains.js';
import { clean } from './numbers.js';
import type { BookTarget, Publisher } from './publisher.js';

const TICK_MS = 10;
// A stalled event loop must not turn into one enormous burst.
const MAX_BACKLOG_SEC = 0.25;

interface Template {
  readonly target: BookTarget;
  /** Up to the timestamp value. */
  readonly head: string;
  /** Between the timestamp and the prev id, and between the prev id and the new id. */
  readonly afterTs: string;
  readonly afterPrev: string;
  /** After the new id: the level and the closing brackets. */
  tail: string;
  chain: ChainState | null;
}

export class LoadGenerator {
  private readonly timer: NodeJS.Timeout;
  private templates: Template[] = [];
  private version = -1;
  private cursor = 0;
  private budget = 0;
  private lastTick: number;
  /** Synthetic frames handed to connections so far. */
  sent = 0;

  constructor(
    private readonly rate: number,
    private readonly exchange: SimExchange,
    private readonly publisher: Publisher,
    private readonly chains: ChangeChains,
    private readonly wallNow: () => number = Date.now,
  ) {
    this.lastTick = wallNow();
    publisher.onRealBook = (instrument) => this.refresh(instrument);
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.publisher.onRealBook = null;
  }

  private tick(): void {
    const now = this.wallNow();
    const elapsedSec = Math.min((now - this.lastTick) / 1000, MAX_BACKLOG_SEC);
    this.lastTick = now;
    if (this.publisher.bookVersion !== this.version) this.rebuild();
    if (this.templates.length === 0) {
      this.budget = 0;
      return;
    }
    this.budget += this.rate * elapsedSec;
    const ts = String(this.exchange.now());
    let idle = 0;
    while (this.budget >= 1 && idle < this.templates.length) {
      const template = this.templates[this.cursor % this.templates.length];
      this.cursor++;
      if (template === undefined || template.tail === '' || template.target.sessions.size === 0) {
        idle++;
        continue;
      }
      idle = 0;
      const prev = insertSynthetic(this.chainOf(template));
      const frame =
        template.head +
        ts +
        template.afterTs +
        prev +
        template.afterPrev +
        (prev + 1) +
        template.tail;
      // Every subscriber of the book must see every id of its chain, whatever the budget.
      for (const session of template.target.sessions) {
        session.send(frame, 'book-change');
        this.sent++;
        this.budget--;
      }
    }
  }

  private chainOf(template: Template): ChainState {
    if (template.chain === null) {
      const book = this.exchange.book(template.target.instrument, 1);
      template.chain = this.chains.state(template.target.instrument, book?.changeId ?? 0);
    }
    return template.chain;
  }

  private rebuild(): void {
    this.version = this.publisher.bookVersion;
    this.templates = this.publisher.bookTargets().map((target) => {
      const template: Template = {
        target,
        head: `{"jsonrpc":"2.0","method":"subscription","params":{"channel":${JSON.stringify(target.channel)},"data":{"type":"change","timestamp":`,
        afterTs: ',"prev_change_id":',
        afterPrev: `,"instrument_name":${JSON.stringify(target.instrument)},"change_id":`,
        tail: '',
        chain: null,
      };
      template.tail = this.tailFor(target.instrument);
      return template;
    });
    this.cursor = 0;
  }

  private refresh(instrument: string): void {
    for (const template of this.templates) {
      if (template.target.instrument === instrument) template.tail = this.tailFor(instrument);
    }
  }

  /** Re-states the best bid (or best ask) as a 'change'; empty when the book is empty. */
  private tailFor(instrument: string): string {
    const book = this.exchange.book(instrument, 1);
    const bid = book?.bids[0];
    const ask = book?.asks[0];
    if (bid !== undefined) {
      return `,"bids":[["change",${clean(bid[0])},${clean(bid[1])}]],"asks":[]}}}`;
    }
    if (ask !== undefined) {
      return `,"bids":[],"asks":[["change",${clean(ask[0])},${clean(ask[1])}]]}}}`;
    }
    return '';
  }
}
