/**
 * Logging one connection in, and keeping it logged in: `public/auth` with the client
 * credentials, then a refresh with the refresh token before the access token runs out. A
 * refused refresh falls back to the credentials. The tokens live only in this object: they are
 * never logged, never put in an error or a status.
 */
import type { RpcCaller } from '../common/rpc-caller.js';
import { isRecord } from '../wire-fields.js';

export interface DeribitCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface AuthSessionOptions {
  /** The refresh could not keep the connection logged in: the owner should reconnect. */
  readonly onLost: (detail: string) => void;
  readonly log: (line: string) => void;
  /** Refresh when this fraction of the token's life has passed (default 0.8). */
  readonly refreshAt?: number;
}

interface Grant {
  readonly refreshToken: string;
  readonly expiresInSec: number;
}

const DEFAULT_REFRESH_AT = 0.8;
/** Never refresh more often than this, whatever lifetime the venue states. */
const MIN_REFRESH_MS = 1_000;

export class DeribitAuthSession {
  private timer: NodeJS.Timeout | null = null;
  private refreshToken: string | null = null;
  private generation = 0;
  private readonly refreshAt: number;

  constructor(
    private readonly credentials: DeribitCredentials,
    private readonly options: AuthSessionOptions,
  ) {
    this.refreshAt = options.refreshAt ?? DEFAULT_REFRESH_AT;
  }

  /**
   * Logs in the connection `rpc` talks on and keeps it logged in until end() or the next
   * login. Rejects with the venue's refusal (its code and message, never the secret).
   */
  async logIn(rpc: RpcCaller): Promise<void> {
    this.end();
    const generation = this.generation;
    const grant = await this.withCredentials(rpc);
    if (generation !== this.generation) return;
    this.keep(rpc, grant, generation);
  }

  /** The connection is gone (or the feed stops): no refresh is due on it any more. */
  end(): void {
    this.generation += 1;
    this.refreshToken = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async withCredentials(rpc: RpcCaller): Promise<Grant> {
    return grantOf(
      await rpc.call('public/auth', {
        grant_type: 'client_credentials',
        client_id: this.credentials.clientId,
        client_secret: this.credentials.clientSecret,
      }),
    );
  }

  private keep(rpc: RpcCaller, grant: Grant, generation: number): void {
    this.refreshToken = grant.refreshToken;
    const delayMs = Math.max(MIN_REFRESH_MS, grant.expiresInSec * 1000 * this.refreshAt);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh(rpc, generation);
    }, delayMs);
  }

  private async refresh(rpc: RpcCaller, generation: number): Promise<void> {
    const refreshToken = this.refreshToken;
    if (refreshToken === null || generation !== this.generation) return;
    let grant: Grant;
    try {
      grant = grantOf(
        await rpc.call('public/auth', {
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
        }),
      );
      this.options.log('deribit: access token refreshed');
    } catch (refreshError) {
      if (generation !== this.generation) return;
      this.options.log(
        `deribit: token refresh failed (${messageOf(refreshError)}); logging in again`,
      );
      try {
        grant = await this.withCredentials(rpc);
      } catch (loginError) {
        if (generation === this.generation) {
          this.options.onLost(`re-login failed: ${messageOf(loginError)}`);
        }
        return;
      }
    }
    if (generation === this.generation) this.keep(rpc, grant, generation);
  }
}

function grantOf(result: unknown): Grant {
  if (!isRecord(result)) throw new Error('public/auth: the result is not an object');
  const refreshToken = result['refresh_token'];
  const expiresIn = result['expires_in'];
  if (typeof refreshToken !== 'string' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
    throw new Error('public/auth: the result lacks refresh_token or expires_in');
  }
  return { refreshToken, expiresInSec: expiresIn };
}

/** Errors here come from our own request machinery, which never quotes params. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
