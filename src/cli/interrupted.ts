/** Resolves on the first Ctrl-C or SIGTERM, then lets the signals behave normally again. */
export function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The longest delay setTimeout takes; a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms`, or never when ms is undefined; the timer never keeps the process up.
 * A run longer than the timer's limit (about 24.8 days) waits in steps within it.
 */
export function elapsed(ms: number | undefined): Promise<void> {
  if (ms === undefined) return new Promise(() => undefined);
  const end = Date.now() + ms;
  return new Promise((resolve) => {
    const wait = (): void => {
      const left = end - Date.now();
      if (left <= 0) resolve();
      else setTimeout(wait, Math.min(left, MAX_TIMER_MS)).unref();
    };
    wait();
  });
}
