/**
 * Where `--redis` points and who to be there: the URL's user and password win; else
 * IVTRADE_REDIS_USER / IVTRADE_REDIS_PASSWORD; else the credentials file's `redis` section.
 * The password stays a Secret all the way to the connection.
 */
import { loadRedisCredentials, type LoadCredentialsOptions } from '../config/credentials.js';
import { parseRedisUrl, type RedisTarget } from '../store/connect.js';

export function redisTarget(url: string, options: LoadCredentialsOptions = {}): RedisTarget {
  return parseRedisUrl(url, loadRedisCredentials(options));
}
