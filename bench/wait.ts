// Waiting in the benches: a pause, and a condition looked at every millisecond (no spinning
// against what is being measured).

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `done()` holds; throws, naming `what`, after `ms`. */
export async function waitFor(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`bench: ${what} did not happen in ${ms} ms`);
    await sleep(1);
  }
}
