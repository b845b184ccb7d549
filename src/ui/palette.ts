import { createContext, useContext } from 'react';

/**
 * Whether the screen may use colour. NO_COLOR (no-color.org) turns colour off and only
 * colour: bold, dim, inverse and underline carry the selected expiry, the ATM strike, the
 * cursor, the mode badge and stale quotes, and stay.
 */
export const ColorContext = createContext(true);

/** Text props for a colour, none when colour is off: `<Text {...paint('yellow')}>`. */
export type Paint = (color: string | undefined) => { color?: string };

const NO_PAINT: Paint = () => ({});
const PAINT: Paint = (color) => (color === undefined ? {} : { color });

export function usePaint(): Paint {
  return useContext(ColorContext) ? PAINT : NO_PAINT;
}

/** The session's choice from its environment: no colour when NO_COLOR is set and not empty. */
export function colorFromEnv(env: NodeJS.ProcessEnv): boolean {
  return !env['NO_COLOR'];
}
