import { useEffect, useRef, useState } from 'react';
import type { ScreenSnapshot, ViewRequest } from '../view/types.js';
import type { ScreenSource } from './screen-source.js';

/**
 * The frame clock: at most `fps` snapshots a second, and only when something changed (the
 * engine's version, the view asked for, or the second shown in the clock). A quiet market
 * costs a comparison per tick and one render a second.
 */
export function useSnapshot(
  source: ScreenSource,
  request: ViewRequest,
  now: () => number,
  fps: number,
): ScreenSnapshot {
  const [snapshot, setSnapshot] = useState(() => source.snapshot(request, now()));
  const shown = useRef({ version: snapshot.version, request, second: Math.floor(now() / 1000) });
  useEffect(() => {
    const tick = (): void => {
      const time = now();
      const second = Math.floor(time / 1000);
      const last = shown.current;
      if (last.version === source.version && last.request === request && last.second === second) {
        return;
      }
      shown.current = { version: source.version, request, second };
      setSnapshot(source.snapshot(request, time));
    };
    tick();
    const timer = setInterval(tick, Math.max(1, Math.round(1000 / fps)));
    return () => clearInterval(timer);
  }, [source, request, now, fps]);
  return snapshot;
}
