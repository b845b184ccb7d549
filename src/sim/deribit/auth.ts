// Credentials and tokens: `public/auth` exchanges a configured key pair (or a refresh token, or
// a signature made with the secret) for opaque bearer tokens that private methods accept.
// Token lifetimes run on the wall clock, as a real client's refresh timer does.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimApiKey } from '../venue-server.js';
import { invalidCredentials } from './errors.js';

export const TOKEN_SCOPE = 'connection mainaccount trade:read_write wallet:read account:read_write';
// Refresh tokens outlive access tokens, as on the venue.
const REFRESH_LIFETIME_FACTOR = 4;
const SIGNATURE_MAX_SKEW_MS = 60_000;

export interface IssuedTokens {
  readonly accountId: string;
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
  readonly scope: string;
  readonly token_type: 'bearer';
  readonly enabled_features: readonly string[];
}

interface TokenRecord {
  readonly accountId: string;
  readonly expiresAt: number;
}

export class TokenStore {
  private readonly access = new Map<string, TokenRecord>();
  private readonly refresh = new Map<string, TokenRecord>();

  constructor(
    private readonly keys: readonly SimApiKey[],
    private readonly ttlSec: number,
    private readonly wallNow: () => number = Date.now,
  ) {}

  /** The account of a valid access token, or null. */
  accountOf(accessToken: string): string | null {
    const record = this.access.get(accessToken);
    if (record === undefined) return null;
    if (record.expiresAt <= this.wallNow()) {
      this.access.delete(accessToken);
      return null;
    }
    return record.accountId;
  }

  /** The account of a key pair, or null. */
  accountOfKey(clientId: string, clientSecret: string): string | null {
    const key = this.keys.find((k) => k.key === clientId);
    return key !== undefined && sameText(key.secret, clientSecret) ? key.accountId : null;
  }

  withClientCredentials(clientId: string, clientSecret: string): IssuedTokens {
    const accountId = this.accountOfKey(clientId, clientSecret);
    if (accountId === null) throw invalidCredentials();
    return this.issue(accountId);
  }

  /** `client_signature`: HMAC-SHA256 of `timestamp\nnonce\ndata` keyed with the secret. */
  withSignature(
    clientId: string,
    timestamp: number,
    signature: string,
    nonce: string,
    data: string,
  ): IssuedTokens {
    const accountId = this.accountOfSignature(clientId, timestamp, signature, nonce, data);
    if (accountId === null) throw invalidCredentials();
    return this.issue(accountId);
  }

  /**
   * The account whose secret made this signature of `timestamp\nnonce\ndata`, or null. The
   * timestamp must be within a minute of the wall clock, so a captured signature soon expires.
   */
  accountOfSignature(
    clientId: string,
    timestamp: number,
    signature: string,
    nonce: string,
    data: string,
  ): string | null {
    const key = this.keys.find((k) => k.key === clientId);
    if (key === undefined || Math.abs(this.wallNow() - timestamp) > SIGNATURE_MAX_SKEW_MS) {
      return null;
    }
    const expected = createHmac('sha256', key.secret)
      .update(`${timestamp}\n${nonce}\n${data}`)
      .digest('hex');
    return sameText(expected, signature.toLowerCase()) ? key.accountId : null;
  }

  withRefreshToken(refreshToken: string): IssuedTokens {
    const record = this.refresh.get(refreshToken);
    if (record === undefined || record.expiresAt <= this.wallNow()) throw invalidCredentials();
    this.refresh.delete(refreshToken);
    return this.issue(record.accountId);
  }

  private issue(accountId: string): IssuedTokens {
    const now = this.wallNow();
    const accessToken = randomBytes(24).toString('base64url');
    const refreshToken = randomBytes(24).toString('base64url');
    this.access.set(accessToken, { accountId, expiresAt: now + this.ttlSec * 1000 });
    this.refresh.set(refreshToken, {
      accountId,
      expiresAt: now + this.ttlSec * 1000 * REFRESH_LIFETIME_FACTOR,
    });
    return {
      accountId,
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: this.ttlSec,
      scope: TOKEN_SCOPE,
      token_type: 'bearer',
      enabled_features: [],
    };
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
