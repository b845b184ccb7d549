import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';
import { Secret } from './secret.js';

export interface DeribitCredentials {
  readonly clientId: string;
  readonly clientSecret: Secret;
}

export interface BybitCredentials {
  readonly apiKey: string;
  readonly apiSecret: Secret;
}

export interface Credentials {
  readonly deribit: DeribitCredentials | null;
  readonly bybit: BybitCredentials | null;
}

/** Who to be on Redis: both null where neither is configured (the default user, no password). */
export interface RedisCredentials {
  readonly username: string | null;
  readonly password: Secret | null;
}

export interface LoadCredentialsOptions {
  /** Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** An explicit credentials file (a `--config` flag); it must then exist. */
  readonly path?: string;
  /** Where `~/.config/ivtrade/credentials.json` is looked for; defaults to the user's home. */
  readonly homeDir?: string;
}

/** A credentials file is a few hundred bytes; anything far larger is not one. */
const MAX_FILE_BYTES = 64 * 1024;

/** How each venue's pair is spelled in the environment and in the file. */
const PAIRS = {
  deribit: {
    idEnv: 'DERIBIT_CLIENT_ID',
    secretEnv: 'DERIBIT_CLIENT_SECRET',
    idField: 'clientId',
    secretField: 'clientSecret',
  },
  bybit: {
    idEnv: 'BYBIT_API_KEY',
    secretEnv: 'BYBIT_API_SECRET',
    idField: 'apiKey',
    secretField: 'apiSecret',
  },
} as const;

type Venue = keyof typeof PAIRS;

interface Pair {
  readonly id: string;
  readonly secret: Secret;
}

/**
 * Credentials per venue: from the environment (DERIBIT_CLIENT_ID/DERIBIT_CLIENT_SECRET,
 * BYBIT_API_KEY/BYBIT_API_SECRET), else from the credentials file (`path`, else
 * $IVTRADE_CONFIG, else ~/.config/ivtrade/credentials.json; the default one may be absent):
 * `{"deribit":{"clientId","clientSecret"},"bybit":{"apiKey","apiSecret"}}`. The file is
 * checked even when the environment covers both venues, because one readable by others has
 * already leaked whatever it holds. Every failure is a ConfigError that never quotes a
 * secret nor the file's content.
 */
export function loadCredentials(options: LoadCredentialsOptions = {}): Credentials {
  const env = options.env ?? process.env;
  const fromEnv = { deribit: pairFromEnv(env, 'deribit'), bybit: pairFromEnv(env, 'bybit') };
  const fromFile = readCredentialsFile(env, options);
  const deribit = fromEnv.deribit ?? fromFile.deribit;
  const bybit = fromEnv.bybit ?? fromFile.bybit;
  return {
    deribit: deribit === null ? null : { clientId: deribit.id, clientSecret: deribit.secret },
    bybit: bybit === null ? null : { apiKey: bybit.id, apiSecret: bybit.secret },
  };
}

/** An empty variable counts as unset: `FOO= ivtrade …` is how a shell clears one. */
function pairFromEnv(env: NodeJS.ProcessEnv, venue: Venue): Pair | null {
  const { idEnv, secretEnv } = PAIRS[venue];
  const id = nonEmpty(env[idEnv]);
  const secret = nonEmpty(env[secretEnv]);
  if (id === undefined && secret === undefined) return null;
  if (id === undefined) {
    throw new ConfigError(`${idEnv} is not set but ${secretEnv} is: set both or neither`);
  }
  if (secret === undefined) {
    throw new ConfigError(`${secretEnv} is not set but ${idEnv} is: set both or neither`);
  }
  return { id, secret: new Secret(secret) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

interface FileLocation {
  readonly path: string;
  /** Named by the user: its absence is an error rather than "no credentials". */
  readonly explicit: boolean;
}

function credentialsFileLocation(
  env: NodeJS.ProcessEnv,
  options: LoadCredentialsOptions,
): FileLocation {
  if (options.path !== undefined) return { path: options.path, explicit: true };
  const fromEnv = nonEmpty(env['IVTRADE_CONFIG']);
  if (fromEnv !== undefined) return { path: fromEnv, explicit: true };
  return {
    path: join(options.homeDir ?? homedir(), '.config', 'ivtrade', 'credentials.json'),
    explicit: false,
  };
}

type FileCredentials = Record<Venue, Pair | null> & { readonly redis: RedisCredentials };

const NO_REDIS: RedisCredentials = { username: null, password: null };
const NO_FILE: FileCredentials = { deribit: null, bybit: null, redis: NO_REDIS };

/**
 * Redis's user and password when the `--redis` URL carries none: from the environment
 * (IVTRADE_REDIS_USER, IVTRADE_REDIS_PASSWORD), else from the credentials file's
 * `"redis": {"username", "password"}` (both optional), read under the same rules as the
 * venues' keys (0600, never quoted). Each of the two is taken from the first place that has it.
 */
export function loadRedisCredentials(options: LoadCredentialsOptions = {}): RedisCredentials {
  const env = options.env ?? process.env;
  const file = readCredentialsFile(env, options).redis;
  const user = nonEmpty(env['IVTRADE_REDIS_USER']);
  const password = nonEmpty(env['IVTRADE_REDIS_PASSWORD']);
  return {
    username: user ?? file.username,
    password: password === undefined ? file.password : new Secret(password),
  };
}

function readCredentialsFile(
  env: NodeJS.ProcessEnv,
  options: LoadCredentialsOptions,
): FileCredentials {
  const location = credentialsFileLocation(env, options);
  const text = readPrivateFile(location);
  return text === null ? NO_FILE : parseCredentialsFile(location.path, text);
}

/**
 * Opens first and checks the opened file (not the path), so the file read is the file
 * checked; non-blocking so a FIFO planted at the path cannot hang startup.
 */
function readPrivateFile({ path, explicit }: FileLocation): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' && !explicit) return null;
    if (code === 'ENOENT') throw new ConfigError(`credentials file ${path} does not exist`);
    throw new ConfigError(`credentials file ${path} cannot be opened (${code ?? 'error'})`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new ConfigError(`credentials file ${path} is not a regular file; refusing to read it`);
    }
    // Windows has no group/other bits to check: its ACLs are the user's business there.
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(3, '0');
      throw new ConfigError(
        `credentials file ${path} is accessible to other users (mode ${mode}); ` +
          `refusing to read it. Run: chmod 600 ${shellQuoted(path)}`,
      );
    }
    if (stats.size > MAX_FILE_BYTES) {
      throw new ConfigError(
        `credentials file ${path} is ${stats.size} bytes, too large to be a credentials file`,
      );
    }
    return readAll(fd, stats.size);
  } finally {
    closeSync(fd);
  }
}

/** As typed into a shell: the hint is meant to be copied. */
function shellQuoted(path: string): string {
  return /^[\w./~+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function readAll(fd: number, size: number): string {
  const buffer = Buffer.alloc(size);
  let offset = 0;
  while (offset < size) {
    const read = readSync(fd, buffer, offset, size - offset, offset);
    if (read === 0) break;
    offset += read;
  }
  return buffer.subarray(0, offset).toString('utf8');
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Problems are described by where they are (`deribit.clientSecret`, line 3 column 7), never
 * by what is there: whatever is in this file may be a secret, typo'd or not.
 */
function parseCredentialsFile(path: string, text: string): FileCredentials {
  const fail = (problem: string): never => {
    throw new ConfigError(`credentials file ${path} is malformed: ${problem}`);
  };
  // Some editors start UTF-8 files with a byte-order mark, which JSON.parse rejects.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (json.trim() === '') return fail('the file is empty');
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    // The parser's own message quotes the text around the error, so only its position is kept.
    return fail(`not valid JSON${jsonErrorPlace(error, json)}`);
  }
  if (!isPlainObject(document)) return fail('expected a JSON object at the top level');
  const known = [...Object.keys(PAIRS), 'redis'];
  if (Object.keys(document).some((key) => !known.includes(key))) {
    fail(`unexpected top-level field; only ${known.join(', ')} are allowed`);
  }
  return {
    deribit: pairFromFile(document['deribit'], 'deribit', fail),
    bybit: pairFromFile(document['bybit'], 'bybit', fail),
    redis: redisFromFile(document['redis'], fail),
  };
}

function redisFromFile(value: unknown, fail: (problem: string) => never): RedisCredentials {
  if (value === undefined || value === null) return NO_REDIS;
  if (!isPlainObject(value)) return fail('redis must be an object with username and/or password');
  if (Object.keys(value).some((key) => key !== 'username' && key !== 'password')) {
    fail('redis has an unexpected field; only username and password are allowed');
  }
  const { username, password } = value;
  if (username !== undefined && (typeof username !== 'string' || username === '')) {
    fail('redis.username must be a non-empty string');
  }
  if (password !== undefined && (typeof password !== 'string' || password === '')) {
    fail('redis.password must be a non-empty string');
  }
  return {
    username: typeof username === 'string' ? username : null,
    password: typeof password === 'string' ? new Secret(password) : null,
  };
}

function pairFromFile(value: unknown, venue: Venue, fail: (problem: string) => never): Pair | null {
  if (value === undefined || value === null) return null;
  const { idField, secretField } = PAIRS[venue];
  if (!isPlainObject(value)) {
    return fail(`${venue} must be an object with ${idField} and ${secretField}`);
  }
  if (Object.keys(value).some((key) => key !== idField && key !== secretField)) {
    fail(`${venue} has an unexpected field; only ${idField} and ${secretField} are allowed`);
  }
  const id = value[idField];
  const secret = value[secretField];
  if (id === undefined) fail(`${venue}.${idField} is missing`);
  if (secret === undefined) fail(`${venue}.${secretField} is missing`);
  if (typeof id !== 'string' || id === '') fail(`${venue}.${idField} must be a non-empty string`);
  if (typeof secret !== 'string' || secret === '') {
    fail(`${venue}.${secretField} must be a non-empty string`);
  }
  return { id, secret: new Secret(secret) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** " at line L, column C" from the parser's "position N", or nothing when it gives none. */
function jsonErrorPlace(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  const match = /position (\d+)/.exec(message);
  if (match?.[1] === undefined) return '';
  const position = Math.min(Number(match[1]), text.length);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}
