/**
 * The hedger in a running session: its configuration from the trader's settings, its one
 * instrument resolved against the venue's listing, its log file, and the same order gateway
 * as the command line (so the caps count manual and automatic orders together).
 */
import { DEFAULT_AVERSION, DEFAULT_EVERY_MS } from '../hedge/decide.js';
import type { OrderGateway } from '../gateway/order-gateway.js';
import { DEFAULT_HEDGE_CONFIG, ratioText } from '../hedge/config.js';
import { openHedgeLog, type HedgeLog } from '../hedge/hedge-log.js';
import { Hedger } from '../hedge/hedger.js';
import type {
  Band,
  DeltaConvention,
  DeltaSource,
  HedgeConfig,
  HedgeLogEntry,
} from '../hedge/types.js';
import type { MarketEngine } from './market-engine.js';

export interface HedgeSettings {
  /** Switch it on at start (`--hedge`; always for `ivtrade hedge`). */
  readonly on: boolean;
  /** The coin hedged; default the session's first. */
  readonly currency: string;
  /** Default the coin's perpetual on the venue. */
  readonly instrument?: string;
  readonly band?: Band;
  readonly deltaSource?: DeltaSource;
  readonly convention?: DeltaConvention;
  readonly execution?: HedgeConfig['execution'];
  readonly logPath: string;
  /** Every decision, beside the log file (the headless mode prints them). */
  readonly onDecision?: (entry: HedgeLogEntry) => void;
}

export interface HedgeSession {
  readonly hedger: Hedger;
  readonly log: HedgeLog;
  /** How it is set up, in one line for its panel (band, delta source and convention, scope). */
  readonly settings: string;
  close(): void;
}

function bandText(band: Band): string {
  return band.kind === 'usd' ? `±$${band.value}` : `±${band.value * 100}% of one coin`;
}

/** The hedger's settings as the trader should see them beside its decisions. */
export function describeHedge(config: HedgeConfig): string {
  const delta = config.deltaSource === 'model' ? 'ivtrade delta at mark IV' : "the venue's delta";
  const execution =
    config.execution === 'market' ? 'market orders' : `IOC limits touch +${config.capPercent}%`;
  const policy =
    config.policy === 'gamma'
      ? `gamma band (γ ${(config.aversion ?? DEFAULT_AVERSION).toExponential(0)}/$, floor ${bandText(config.band)})`
      : config.policy === 'time'
        ? `every ${(config.everyMs ?? DEFAULT_EVERY_MS) / 60_000} min`
        : `band ${bandText(config.band)}`;
  const target =
    config.target === undefined || config.target === 0
      ? ''
      : ` · target ${config.target > 0 ? '+' : ''}${config.target} ${config.currency}`;
  const to = config.hedgeTo === 'edge' && config.policy !== 'time' ? " · to the band's edge" : '';
  const ratio =
    config.ratio === undefined || config.ratio === 1 ? '' : ` · ratio ${ratioText(config.ratio)}`;
  return (
    `${policy}${target}${to}${ratio} · ${delta}, ${config.convention} · ${execution} · ` +
    (config.futures === 'net'
      ? `trades ${config.instrument}; net of every ${config.currency} future held`
      : config.futures === 'expiry'
        ? `each expiry in its own ${config.currency} future where followed; trading ${config.instrument}`
        : `only ${config.instrument}; other ${config.currency} futures ignored`)
  );
}

/** Builds the hedger; throws with the reason when its instrument is not listed. */
export function startHedger(
  engine: MarketEngine,
  gateway: OrderGateway,
  venue: string,
  settings: HedgeSettings,
  alert: (line: string) => void,
): HedgeSession {
  const registry = engine.market.registry(venue);
  const instrument = settings.instrument ?? registry.perpetualOf(settings.currency)?.name;
  if (instrument === undefined) {
    throw new Error(
      `no ${settings.currency} perpetual on ${venue} to hedge with: use --hedge-instrument`,
    );
  }
  const spec = registry.get(instrument);
  if (spec === undefined || spec.kind === 'option') {
    const listed = [...registry.all()]
      .filter((s) => s.kind !== 'option' && s.base === settings.currency)
      .map((s) => s.name);
    const choices = listed.length === 0 ? '' : ` (${settings.currency} ones: ${listed.join(', ')})`;
    throw new Error(`${instrument} is not a future or perpetual listed on ${venue}${choices}`);
  }
  const config: HedgeConfig = {
    ...DEFAULT_HEDGE_CONFIG(venue, settings.currency, instrument),
    ...(settings.band === undefined ? {} : { band: settings.band }),
    ...(settings.deltaSource === undefined ? {} : { deltaSource: settings.deltaSource }),
    ...(settings.convention === undefined ? {} : { convention: settings.convention }),
    ...(settings.execution === undefined ? {} : { execution: settings.execution }),
  };
  const log = openHedgeLog(settings.logPath, { onError: alert });
  const hedger = new Hedger({
    config,
    market: engine.market,
    account: engine.account,
    gateway,
    subscribe: (listener) => engine.onEvent(listener),
    // Greeks on the venue's clock (the sim's may run fast); timeouts stay on the machine's.
    venueNow: () => engine.venueNow(venue),
    log: (entry) => {
      log.write(entry);
      settings.onDecision?.(entry);
    },
    alert,
  });
  if (settings.on) alert(hedger.activate());
  return {
    hedger,
    log,
    // Read when shown: a band the trader changed (`hb`) is the one described.
    get settings(): string {
      return describeHedge(hedger.config);
    },
    close: () => {
      hedger.close();
      log.close();
    },
  };
}
