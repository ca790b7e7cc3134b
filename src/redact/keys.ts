// Which attribute keys hold secrets, decided on the key's words (split at . _ - / : spaces and
// camelCase) so `access_token` and `apiKey` are caught while `tokens_used` and
// `gen_ai.usage.input_tokens` are not. Decisions are cached: a service sends few distinct keys.

/** The words of a key, lowercased: `http.request.header.X-Api-Key` → http request header x api key. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** A secret wherever the word stands: db.password, client_secret, x-api-key. */
const SECRET_WORDS = new Set(['password', 'passwd', 'secret', 'apikey']);
/** Secrets when the key ends with them (the key names the thing): auth_token but not token_count. */
const SECRET_LAST_WORDS = new Set(['token', 'authorization', 'cookie']);
/** Two words in a row: api_key, apiKey, private_key. */
const SECRET_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['api', 'key'],
  ['private', 'key'],
];

function containsRun(words: readonly string[], run: readonly string[]): boolean {
  outer: for (let i = 0; i + run.length <= words.length; i++) {
    for (let j = 0; j < run.length; j++) if (words[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}

export function isDefaultSecretKey(words: readonly string[]): boolean {
  const last = words[words.length - 1];
  if (last !== undefined && SECRET_LAST_WORDS.has(last)) return true;
  for (const w of words) if (SECRET_WORDS.has(w)) return true;
  return SECRET_PAIRS.some((pair) => containsRun(words, pair));
}

/** Bounds the cache against a sender that puts ids in attribute keys. */
const MAX_CACHED_KEYS = 20_000;

export class SecretKeyMatcher {
  private readonly custom: string[][];
  private readonly cache = new Map<string, boolean>();

  constructor(
    private readonly defaults: boolean,
    customKeys: readonly string[],
  ) {
    this.custom = customKeys.map(keyWords).filter((words) => words.length > 0);
  }

  get empty(): boolean {
    return !this.defaults && this.custom.length === 0;
  }

  isSecret(key: string): boolean {
    const known = this.cache.get(key);
    if (known !== undefined) return known;
    const words = keyWords(key);
    const secret = (this.defaults && isDefaultSecretKey(words)) || this.custom.some((run) => containsRun(words, run));
    if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
    this.cache.set(key, secret);
    return secret;
  }
}
