// Instruments by name, including ones that have since expired: orders, fills and positions of
// an expired instrument still need its kind, currency and contract size to be formatted.

import type { SimExchange, SimInstrument } from '../contract.js';
import type { Scope } from './channels.js';
import { kindMatches } from './kinds.js';
import { instrumentCurrency } from './markets.js';

export class InstrumentCatalog {
  private readonly known = new Map<string, SimInstrument>();
  /** Combos by id, with the currency they are filed under (kind option_combo / future_combo). */
  private readonly combos = new Map<string, string>();

  /** A combo's orders go out on `any`-kind channels of its currency (Deribit's option_combo). */
  rememberCombo(id: string, currency: string): void {
    this.combos.set(id, currency);
  }

  constructor(private readonly exchange: SimExchange) {}

  get(name: string): SimInstrument | undefined {
    const cached = this.known.get(name);
    if (cached !== undefined) return cached;
    const listed = this.exchange.instrument(name);
    if (listed !== undefined) this.known.set(name, listed);
    return listed;
  }

  remember(instruments: readonly SimInstrument[]): void {
    for (const instrument of instruments) this.known.set(instrument.spec.name, instrument);
  }

  inScope(scope: Scope, name: string): boolean {
    if ('instrument' in scope) return scope.instrument === name;
    const comboCurrency = this.combos.get(name);
    if (comboCurrency !== undefined) {
      return (
        (scope.kind === undefined || scope.kind === 'any') &&
        (scope.currency === 'ANY' || scope.currency === comboCurrency)
      );
    }
    const instrument = this.get(name);
    if (instrument === undefined) return false;
    return (
      kindMatches(scope.kind, instrument.spec.kind) &&
      (scope.currency === 'ANY' || scope.currency === instrumentCurrency(instrument))
    );
  }
}
