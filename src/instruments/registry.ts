import { isDeepStrictEqual } from 'node:util';
import type { InstrumentAddedEvent, InstrumentRemovedEvent } from '../book/events.js';
import type { FutureSpec, InstrumentSpec, OptionSpec } from './types.js';

export type InstrumentChange = InstrumentAddedEvent | InstrumentRemovedEvent;

/** Everything held for one base coin, with the sorted views built on demand and cached. */
class BaseIndex {
  readonly options = new Map<string, OptionSpec>();
  readonly futures = new Map<string, FutureSpec>();
  readonly perpetuals = new Map<string, FutureSpec>();
  /** Options per expiry, so an expiry leaves expiriesOf when its last option goes. */
  readonly optionExpiries = new Map<number, number>();
  sortedOptions: readonly OptionSpec[] | null = null;
  sortedExpiries: readonly number[] | null = null;

  get size(): number {
    return this.options.size + this.futures.size + this.perpetuals.size;
  }
}

/**
 * The instruments one venue lists, indexed for the lookups the chain, the order path and the
 * hedger make every tick. Pure: time comes in as an argument, changes go out as events.
 *
 * An instrument-added event for a name already held replaces its spec (a changed tick size,
 * say) without a removal first, so books and quotes for it survive the change; `sync` reports
 * a changed spec that way.
 */
export class InstrumentRegistry {
  private readonly byName = new Map<string, InstrumentSpec>();
  private readonly byBase = new Map<string, BaseIndex>();
  /** Names per expiry (options and dated futures), so `expire` never scans the whole list. */
  private readonly byExpiry = new Map<number, Set<string>>();

  constructor(readonly venue: string) {}

  get size(): number {
    return this.byName.size;
  }

  /** Every listed instrument, in no particular order (for lookups by query). */
  all(): IterableIterator<InstrumentSpec> {
    return this.byName.values();
  }

  /**
   * Makes the registry hold exactly `specs`, a fresh full list (the daily refresh), and
   * returns what changed: removals first, then additions and replacements, each in name
   * order. Unchanged specs give no event. If a name appears twice the later spec wins.
   * Expired instruments still listed are kept: call `expire` for those.
   */
  sync(specs: readonly InstrumentSpec[], ts: number): InstrumentChange[] {
    const incoming = new Map<string, InstrumentSpec>();
    for (const spec of specs) incoming.set(spec.name, spec);
    const events: InstrumentChange[] = [];
    for (const name of sortedNames(this.byName.keys())) {
      if (incoming.has(name)) continue;
      this.delete(name);
      events.push(this.removed(name, ts));
    }
    for (const name of sortedNames(incoming.keys())) {
      const spec = incoming.get(name);
      if (spec === undefined || isDeepStrictEqual(this.byName.get(name), spec)) continue;
      this.insert(spec);
      events.push({ kind: 'instrument-added', venue: this.venue, ts, spec });
    }
    return events;
  }

  apply(event: InstrumentChange): void {
    if (event.venue !== this.venue) {
      throw new Error(
        `the ${this.venue} instrument registry was given an event for ${event.venue}`,
      );
    }
    if (event.kind === 'instrument-added') this.insert(event.spec);
    else this.delete(event.instrument);
  }

  /** Removes every instrument whose expiry is at or before `now`, earliest first. */
  expire(now: number): InstrumentRemovedEvent[] {
    const due = [...this.byExpiry.keys()].filter((expiry) => expiry <= now).sort(ascending);
    const events: InstrumentRemovedEvent[] = [];
    for (const expiry of due) {
      for (const name of sortedNames(this.byExpiry.get(expiry) ?? [])) {
        this.delete(name);
        events.push(this.removed(name, now));
      }
    }
    return events;
  }

  get(name: string): InstrumentSpec | undefined {
    return this.byName.get(name);
  }

  option(name: string): OptionSpec | undefined {
    const spec = this.byName.get(name);
    return spec?.kind === 'option' ? spec : undefined;
  }

  /** Every base coin with at least one instrument, sorted. */
  bases(): string[] {
    return sortedNames(this.byBase.keys());
  }

  /** The base's options by expiry, then strike, then calls before puts. Do not mutate. */
  optionsOf(base: string): readonly OptionSpec[] {
    const index = this.byBase.get(base);
    if (index === undefined) return [];
    index.sortedOptions ??= [...index.options.values()].sort(chainOrder);
    return index.sortedOptions;
  }

  /** The base's option expiries, ascending. Do not mutate. */
  expiriesOf(base: string): readonly number[] {
    const index = this.byBase.get(base);
    if (index === undefined) return [];
    index.sortedExpiries ??= [...index.optionExpiries.keys()].sort(ascending);
    return index.sortedExpiries;
  }

  /**
   * The dated future of `base` expiring exactly at `expiry`: the forward for that expiry's
   * options. Where several match (different quotes), give `quote`; otherwise the first by
   * name is returned, so the answer does not depend on arrival order.
   */
  futureExpiring(base: string, expiry: number, quote?: string): FutureSpec | undefined {
    const futures = this.byBase.get(base)?.futures.values() ?? [];
    return firstByName(futures, (f) => f.expiry === expiry && (quote ?? f.quote) === f.quote);
  }

  /** The base's perpetual; with several (inverse and linear), `quote` picks, else first by name. */
  perpetualOf(base: string, quote?: string): FutureSpec | undefined {
    const perpetuals = this.byBase.get(base)?.perpetuals.values() ?? [];
    return firstByName(perpetuals, (p) => (quote ?? p.quote) === p.quote);
  }

  private removed(instrument: string, ts: number): InstrumentRemovedEvent {
    return { kind: 'instrument-removed', venue: this.venue, ts, instrument };
  }

  private insert(spec: InstrumentSpec): void {
    // A replacement may change base or expiry, so its old index entries go first.
    this.delete(spec.name);
    this.byName.set(spec.name, spec);
    if (spec.expiry !== null) setAt(this.byExpiry, spec.expiry, () => new Set()).add(spec.name);
    const index = setAt(this.byBase, spec.base, () => new BaseIndex());
    if (spec.kind === 'option') {
      index.options.set(spec.name, spec);
      index.optionExpiries.set(spec.expiry, (index.optionExpiries.get(spec.expiry) ?? 0) + 1);
      index.sortedOptions = null;
      index.sortedExpiries = null;
    } else {
      (spec.kind === 'perpetual' ? index.perpetuals : index.futures).set(spec.name, spec);
    }
  }

  private delete(name: string): void {
    const spec = this.byName.get(name);
    if (spec === undefined) return;
    this.byName.delete(name);
    if (spec.expiry !== null) deleteFromSet(this.byExpiry, spec.expiry, name);
    const index = this.byBase.get(spec.base);
    if (index === undefined) return;
    if (spec.kind === 'option') {
      index.options.delete(name);
      const left = (index.optionExpiries.get(spec.expiry) ?? 1) - 1;
      if (left > 0) index.optionExpiries.set(spec.expiry, left);
      else index.optionExpiries.delete(spec.expiry);
      index.sortedOptions = null;
      index.sortedExpiries = null;
    } else {
      (spec.kind === 'perpetual' ? index.perpetuals : index.futures).delete(name);
    }
    if (index.size === 0) this.byBase.delete(spec.base);
  }
}

function setAt<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  const existing = map.get(key);
  if (existing !== undefined) return existing;
  const created = create();
  map.set(key, created);
  return created;
}

function deleteFromSet<K>(map: Map<K, Set<string>>, key: K, name: string): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(name);
  if (set.size === 0) map.delete(key);
}

function firstByName<T extends { readonly name: string }>(
  items: Iterable<T>,
  matches: (item: T) => boolean,
): T | undefined {
  let first: T | undefined;
  for (const item of items) {
    if (matches(item) && (first === undefined || byName(item.name, first.name) < 0)) first = item;
  }
  return first;
}

// Code-unit order, not localeCompare: the same on every machine and locale.
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedNames(names: Iterable<string>): string[] {
  return [...names].sort(byName);
}

function ascending(a: number, b: number): number {
  return a - b;
}

function chainOrder(a: OptionSpec, b: OptionSpec): number {
  return (
    a.expiry - b.expiry || a.strike - b.strike || byName(a.type, b.type) || byName(a.name, b.name)
  );
}
