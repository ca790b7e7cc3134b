// Turns one log message into masked tokens for template mining. The masks are general classes of
// values (numbers, ids, addresses, paths, times, sizes), none written for one system; a run of
// values is one value, so a value's length in words ("18.4 KB", a date) does not change a template.

/** The wildcard that stands for a parameter in templates. */
export const WILDCARD = '<*>';

export interface TokenizedMessage {
  /** Masked tokens: constants as written, parameters as WILDCARD. */
  tokens: string[];
  /** The original text of each token (for parameters, the whole folded value). */
  raw: string[];
  /** Whether whitespace preceded each token (to render templates as they were written). */
  spaceBefore: boolean[];
}

// Punctuation that separates keys from values and values from each other: split off as tokens.
const DELIMITERS = new Set(['=', ':', ',', ';', '(', ')', '[', ']', '{', '}', '"', "'", '|']);

// A value ends where a word would: at the end, whitespace, a delimiter, or a full stop ending a sentence.
const END = String.raw`(?=$|[\s,;:=)\]}"'|<>]|\.(?:\s|$))`;
const MONTH = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const WEEKDAY = 'mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?';
const CLOCK = String.raw`\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?`;
const UNIT = 'ns|us|µs|ms|s|sec|secs|seconds?|mins?|minutes?|h|hrs?|hours?|days?|b|bytes?|kb|mb|gb|tb|kib|mib|gib|tib|k|m|g|%';
const HEX4 = '[0-9a-f]{1,4}';

/**
 * The general masks, each a class of value common to logs of any system. Tried in order at the
 * start of each word; the first that matches up to a word end makes the whole text one parameter.
 */
export const MASKS: ReadonlyArray<{ name: string; pattern: string }> = [
  { name: 'url', pattern: String.raw`[a-z][a-z0-9+.\-]*://[^\s"'<>]*[^\s"'<>.,;:)\]}]` },
  { name: 'uuid', pattern: String.raw`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}` },
  { name: 'path', pattern: String.raw`(?:[a-z]:\\|\\\\|\.{1,2}/|~/|/)(?:[^\s"'<>,;()\[\]{}|=]*[^\s"'<>,;()\[\]{}|=:.])` },
  {
    name: 'date',
    pattern:
      String.raw`\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:[T ]${CLOCK}(?:z|[+-]\d{2}:?\d{2})?)?` +
      String.raw`|(?:(?:${WEEKDAY}),?\s+)?(?:${MONTH})\.?\s+\d{1,2}(?:,?\s+\d{4})?(?:\s+${CLOCK})?(?:\s+\d{4})?` +
      String.raw`|\d{1,2}/\d{1,2}/\d{2,4}`,
  },
  { name: 'mac', pattern: String.raw`(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}` },
  { name: 'ipv4', pattern: String.raw`\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?` },
  { name: 'ipv6', pattern: String.raw`(?=[0-9a-f:]*::|(?:${HEX4}:){7})(?=[0-9a-f:]*\d)(?:${HEX4}|:)(?::${HEX4}|:){1,7}(?:%\w+)?` },
  { name: 'hostPort', pattern: String.raw`(?=[a-z0-9\-.]*[.\-])[a-z0-9](?:[a-z0-9\-.]*[a-z0-9])?:\d{1,5}` },
  { name: 'time', pattern: CLOCK },
  { name: 'hex', pattern: String.raw`0x[0-9a-f]+|[0-9a-f]{12,}` },
  { name: 'quantity', pattern: String.raw`(?:[<>~]=?|[-+])?\d+(?:[.,]\d+)?\s?(?:${UNIT})` },
  { name: 'number', pattern: String.raw`(?:[<>~]=?|[-+])?\d+(?:\.\d+)*(?:e[-+]?\d+)?` },
];

const MASK = new RegExp(`(?:${MASKS.map((m) => m.pattern).join('|')})${END}`, 'iy');

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11;
}

function hasDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** The length of the masked value starting at `at` in `text`, or 0 when none starts there. */
function maskAt(text: string, at: number): number {
  const c = text.charCodeAt(at);
  // Every mask starts with a digit, a letter, a sign or comparison, '.', '/', '\', '~' or ':'; skip others fast.
  if (!(c < 128 && /[0-9a-z+\-./\\~:<>]/i.test(text[at] ?? ''))) return 0;
  MASK.lastIndex = at;
  const m = MASK.exec(text);
  return m ? m[0].length : 0;
}

/**
 * A word is a parameter when a mask covers it whole, or it carries a digit (ids such as
 * `ord_8f3k2`, `blk_-42`, `core.4900`: words that name a statement rarely carry digits).
 */
export function isParameter(token: string): boolean {
  if (token.length === 0) return false;
  if (hasDigit(token)) return true;
  return maskAt(token, 0) === token.length;
}

/** Characters of a message that are mined; the rest is one trailing parameter. */
export const MAX_MINED_CHARS = 8192;

/**
 * Splits and masks a message. Pure and allocation-light: it runs once per ingested log line.
 * Work is bounded whatever the line: at most `maxTokens` tokens and MAX_MINED_CHARS characters
 * are mined (the rest of the message is one parameter), so a megabyte line costs what 8 KiB does.
 */
export function tokenizeMessage(message: string, maxTokens = Infinity): TokenizedMessage {
  if (message.length > MAX_MINED_CHARS) {
    // Cut at a space when there is one, so that no word is split into a constant and a value.
    const space = message.lastIndexOf(' ', MAX_MINED_CHARS);
    const cut = space > MAX_MINED_CHARS / 2 ? space : MAX_MINED_CHARS;
    const out = tokenizeMessage(message.slice(0, cut), maxTokens - 1);
    push(out, WILDCARD, message.slice(cut === space ? cut + 1 : cut), cut === space);
    return out;
  }
  const out: TokenizedMessage = { tokens: [], raw: [], spaceBefore: [] };
  let start = -1;
  let space = false;
  const flush = (end: number): void => {
    if (start < 0) return;
    const word = message.slice(start, end);
    push(out, isParameter(word) ? WILDCARD : word, word, space);
    start = -1;
    space = false;
  };
  for (let i = 0; i < message.length; i++) {
    if (start < 0 && out.tokens.length >= maxTokens - 1) {
      // The rest of a huge message is one value: bounded work and memory per line.
      push(out, WILDCARD, message.slice(i), space);
      return out;
    }
    const code = message.charCodeAt(i);
    if (isWhitespace(code)) {
      flush(i);
      space = true;
      continue;
    }
    if (start < 0) {
      const length = maskAt(message, i);
      if (length > 0) {
        push(out, WILDCARD, message.slice(i, i + length), space);
        space = false;
        i += length - 1;
        continue;
      }
    }
    const ch = message[i] ?? '';
    if (ch === '.' && message[i + 1] === '.') {
      // An ellipsis or leader dots ("loading...", "key......value") separate words.
      flush(i);
      let end = i + 2;
      while (message[end] === '.') end++;
      push(out, message.slice(i, end), message.slice(i, end), space);
      space = false;
      i = end - 1;
      continue;
    }
    if (!DELIMITERS.has(ch)) {
      if (start < 0) start = i;
      continue;
    }
    flush(i);
    if ((ch === '"' || ch === "'") && out.tokens.at(-1) === '=') {
      // key="a quoted value": the whole quoted text is the value.
      const close = message.indexOf(ch, i + 1);
      if (close > i) {
        push(out, WILDCARD, message.slice(i, close + 1), false);
        i = close;
        continue;
      }
    }
    push(out, ch, ch, space);
    space = false;
  }
  flush(message.length);
  return out;
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}', '"': '"', "'": "'" };

function push(out: TokenizedMessage, token: string, raw: string, space: boolean): void {
  const n = out.tokens.length;
  if (token === WILDCARD && n > 0 && out.tokens[n - 1] === WILDCARD) {
    // A run of values is one value (values written in several words).
    out.raw[n - 1] += (space ? ' ' : '') + raw;
    return;
  }
  out.tokens.push(token);
  out.raw.push(raw);
  out.spaceBefore.push(space);
  if (space) return;
  // Brackets or quotes around one value, or around nothing (an empty value), are part of the value.
  const open = out.tokens[n - 1];
  if (open !== undefined && CLOSER[open] === token) return fold(out, 2);
  if (out.tokens[n - 1] === WILDCARD && !out.spaceBefore[n - 1] && CLOSER[out.tokens[n - 2] ?? ''] === token) fold(out, 3);
}

/** Replaces the last `count` tokens by one parameter (merging it into a parameter before it). */
function fold(out: TokenizedMessage, count: number): void {
  const from = out.tokens.length - count;
  const space = out.spaceBefore[from] ?? false;
  const raw = out.raw.slice(from).join('');
  out.tokens.length = from;
  out.raw.length = from;
  out.spaceBefore.length = from;
  push(out, WILDCARD, raw, space);
}

/** Renders tokens back to text with the spacing of the message they came from. */
export function renderTokens(tokens: readonly string[], spaceBefore: readonly boolean[]): string {
  let text = '';
  for (let i = 0; i < tokens.length; i++) {
    if (i > 0 && spaceBefore[i]) text += ' ';
    text += tokens[i] ?? '';
  }
  return text;
}
