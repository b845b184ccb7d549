/**
 * A configuration the user got wrong (a bad `--url`, a credentials file others can read):
 * the CLI prints the message with a hint and exits 2 rather than showing a stack trace.
 * Messages name what is wrong and never quote a secret.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
