import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * ivtrade's own directory under the XDG state home (`$XDG_STATE_HOME`, else
 * `~/.local/state`): logs, command history, the hedge log, the sim's order log. An empty
 * XDG_STATE_HOME counts as unset, as the XDG spec says.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.XDG_STATE_HOME;
  const state =
    configured !== undefined && configured !== ''
      ? configured
      : join(env.HOME ?? homedir(), '.local', 'state');
  return join(state, 'ivtrade');
}
