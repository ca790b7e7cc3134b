// Turns one log message into masked tokens for template mining: splits on spaces and on
// punctuation that separates keys from values, masks parameters (anything carrying a digit,
// long hex, host:port, numbers with units) and folds runs of parameters into one, so that
// variable-length values (times, "18.4 KB", "1.2.3.4:80") do not change a template's shape.

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

const DELIMITERS = new Set(['=', ':', ',', ';', '(', ')', '[', ']', '{', '}', '"', "'", '|']);
// Characters that need a closer look in the scan loop (delimiters, and '.' for runs of dots).
const DELIMITER_CODES = new Uint8Array(128);
for (const d of [...DELIMITERS, '.']) DELIMITER_CODES[d.charCodeAt(0)] = 1;
const OPEN_TO_CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

// Units that follow a number; the pair is one parameter ("18.4 KB", "5 sec", "20 ms").
const UNITS = new Set([
  'b', 'kb', 'mb', 'gb', 'tb', 'kib', 'mib', 'gib', 'bytes', 'byte',
  'ns', 'us', 'µs', 'ms', 's', 'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minutes',
  'h', 'hours', '%',
]);

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11;
}

const HEX_WORD = /^[0-9a-f]{12,}$/i;
const NAME_WITH_DIGIT = /^[A-Za-z][A-Za-z_]*[0-9]$/;
const HEX_PAIR = /^[0-9a-f]{1,4}$/i;
// Dates are parameters even when written as words.
const CALENDAR_WORDS = new Set([
  'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
]);

/**
 * A token is a parameter when it carries a digit, is a long hex string (ids, hashes), a file
 * path, a URL or a calendar word.
 */
export function isParameter(token: string): boolean {
  let digits = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  // Names with one trailing digit (en0, IPv6, tty2) are usually fixed names, not values.
  if (digits > 0 && !(digits === 1 && NAME_WITH_DIGIT.test(token))) return true;
  const first = token.charCodeAt(0);
  if (first === 47 /* / */ || first === 92 /* \ */) return token.length > 1;
  if (first === 46 /* . */ && (token.startsWith('./') || token.startsWith('../'))) return true;
  if (token.length >= 3 && token.length <= 9 && CALENDAR_WORDS.has(token.toLowerCase())) return true;
  if (token.length >= 12 && HEX_WORD.test(token)) return true;
  return token.length > 6 && token.includes('://');
}

/** Splits and masks a message. Pure and allocation-light: it runs once per ingested log line. */
export function tokenizeMessage(message: string): TokenizedMessage {
  const out: TokenizedMessage = { tokens: [], raw: [], spaceBefore: [] };
  let start = -1;
  let space = false;
  const flush = (end: number): void => {
    if (start < 0) return;
    push(out, message.slice(start, end), space);
    start = -1;
    space = false;
  };
  for (let i = 0; i < message.length; i++) {
    const code = message.charCodeAt(i);
    if (isWhitespace(code)) {
      flush(i);
      space = true;
      continue;
    }
    if (code >= 128 || DELIMITER_CODES[code] === 0) {
      if (start < 0) start = i;
      continue;
    }
    const ch = message[i] ?? '';
    if (ch === ':' && start >= 0 && message[i + 1] === '/' && message[i + 2] === '/') {
      // A URL runs to the next space: its own punctuation is not structure of the message.
      let end = i + 3;
      while (end < message.length && !isWhitespace(message.charCodeAt(end))) end++;
      while (end > i + 3 && ',;:)]}"\'.'.includes(message[end - 1] ?? '')) end--;
      i = end - 1;
      continue;
    }
    if (ch === '.' && message[i + 1] === '.') {
      // A run of dots ("cards...", "key.........value") separates words rather than joining them.
      flush(i);
      let end = i + 2;
      while (message[end] === '.') end++;
      push(out, message.slice(i, end), space);
      space = false;
      i = end - 1;
      continue;
    }
    if (DELIMITERS.has(ch)) {
      flush(i);
      push(out, ch, space);
      space = false;
      continue;
    }
    if (start < 0) start = i;
  }
  flush(message.length);
  return out;
}

function push(out: TokenizedMessage, text: string, space: boolean): void {
  out.tokens.push(isParameter(text) ? WILDCARD : text);
  out.raw.push(text);
  out.spaceBefore.push(space);
  while (reduceTail(out));
}

/** Folds the last tokens into one parameter when they form one value; true when it folded. */
function reduceTail(out: TokenizedMessage): boolean {
  const { tokens, spaceBefore } = out;
  const n = tokens.length;
  const last = tokens[n - 1];
  const prev = tokens[n - 2];
  if (n >= 2 && last === WILDCARD) {
    // Runs of parameters are one parameter (values made of several words).
    if (prev === WILDCARD) return fold(out, 2);
  }
  if (n >= 2 && prev === WILDCARD && last !== undefined && last.length <= 7 && UNITS.has(last.toLowerCase())) return fold(out, 2);
  if (n >= 3 && tokens[n - 2] === ':' && !spaceBefore[n - 1] && !spaceBefore[n - 2]) {
    const left = tokens[n - 3] ?? '';
    const right = last ?? '';
    // host:port, ip:port, hh:mm:ss and MAC or IPv6 addresses are one value.
    const hexOrValue = (t: string): boolean => t === WILDCARD || HEX_PAIR.test(t);
    if (right === WILDCARD && (hexOrValue(left) || (left.includes('.') && !DELIMITERS.has(left)))) return fold(out, 3);
    if (left === WILDCARD && HEX_PAIR.test(right)) return fold(out, 3);
  }
  if (n >= 3 && last === WILDCARD && tokens[n - 3] === WILDCARD && tokens[n - 2] === ',' && !spaceBefore[n - 1] && !spaceBefore[n - 2]) {
    // "132,+1", "3,4": a list written without spaces is one value.
    return fold(out, 3);
  }
  if (n >= 2 && !spaceBefore[n - 1] && OPEN_TO_CLOSE[tokens[n - 2] ?? ''] === last) {
    // An empty () or [] is an empty value.
    return fold(out, 2);
  }
  if (n >= 3 && tokens[n - 2] === WILDCARD) {
    const open = tokens[n - 3] ?? '';
    const close = OPEN_TO_CLOSE[open];
    if (close !== undefined && last === close && !spaceBefore[n - 2] && !spaceBefore[n - 1]) return fold(out, 3);
  }
  return false;
}

function fold(out: TokenizedMessage, count: number): true {
  const n = out.tokens.length;
  let text = '';
  for (let i = n - count; i < n; i++) {
    if (i > n - count && out.spaceBefore[i]) text += ' ';
    text += out.raw[i] ?? '';
  }
  const space = out.spaceBefore[n - count] ?? false;
  out.tokens.length = n - count;
  out.raw.length = n - count;
  out.spaceBefore.length = n - count;
  out.tokens.push(WILDCARD);
  out.raw.push(text);
  out.spaceBefore.push(space);
  return true;
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
