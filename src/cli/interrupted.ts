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

/** Resolves after `ms`, or never when ms is undefined; the timer never keeps the process up. */
export function elapsed(ms: number | undefined): Promise<void> {
  if (ms === undefined) return new Promise(() => undefined);
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
