// Secrets inside free text (log bodies, messages, SQL, URLs, any attribute value): only the secret
// part is replaced (`password=[REDACTED]`), so the line stays readable and its template stable.
// Every default regex is bounded or anchored by a literal, so a 16 KiB value costs one linear scan.
import { REDACTED, type RedactionPattern } from './config.js';

export interface ValueRule {
  name: string;
  regex: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
}

/** Keeps the quotes of a quoted secret, so a JSON body stays valid JSON. */
function quotedRedacted(value: string): string {
  const q = value[0];
  return q === '"' || q === "'" ? `${q}${REDACTED}${q}` : REDACTED;
}
const keepPrefix = (_m: string, name: string, separator: string, value: string): string => `${name}${separator}${quotedRedacted(value)}`;

// A quoted value up to its closing quote (bounded), or an unquoted one up to a delimiter.
const VALUE = `(?:"[^"\\r\\n]{0,1024}"|'[^'\\r\\n]{0,1024}'|[^\\s"',;&]{1,1024})`;
const SEPARATOR = `(["']?[ \\t]{0,16}[=:][ \\t]{0,16})`;

export const DEFAULT_VALUE_RULES: readonly ValueRule[] = [
  {
    // authorization: Basic …, Cookie: a=b; c=d — a whole header value up to the end of its line.
    name: 'header',
    regex: new RegExp(`\\b((?:proxy-)?authorization|(?:set-)?cookie)${SEPARATOR}("[^"\\r\\n]{0,4096}"|[^\\r\\n",]{1,4096})`, 'gi'),
    replace: keepPrefix,
  },
  {
    name: 'bearer',
    regex: /\b([Bb]earer[ \t]+)[A-Za-z0-9._~+/-]{8,4096}=*/g,
    replace: (_m: string, prefix: string) => `${prefix}${REDACTED}`,
  },
  { name: 'jwt', regex: /\beyJ[A-Za-z0-9_-]{5,4096}\.eyJ[A-Za-z0-9_-]{5,4096}\.[A-Za-z0-9_-]{0,4096}/g, replace: REDACTED },
  {
    // scheme://user:secret@host: connection strings in db.connection_string, url.full, logs.
    name: 'url-credentials',
    regex: /\b([a-z][a-z0-9+.-]{0,15}:\/\/[^\s:@/?#]{0,128}:)[^\s@/?#]{1,256}@/gi,
    replace: (_m: string, prefix: string) => `${prefix}${REDACTED}@`,
  },
  {
    // password=…, "client_secret": "…", access_token=…, api-key: … (in query strings, JSON, logfmt).
    name: 'assignment',
    regex: new RegExp(`(password|passwd|\\bpwd|secret|token|api[_-]?key|private[_-]?key)${SEPARATOR}(${VALUE})`, 'gi'),
    replace: keepPrefix,
  },
  {
    // SQL: ALTER USER … PASSWORD '…', CREATE USER … IDENTIFIED BY '…' (db.statement, db.query.text).
    name: 'sql-password',
    regex: /\b(password|identified[ \t]{1,16}by)([ \t]{1,16})('[^'\r\n]{0,1024}'|"[^"\r\n]{0,1024}")/gi,
    replace: keepPrefix,
  },
];

export function customValueRules(patterns: readonly RedactionPattern[]): ValueRule[] {
  return patterns.map((p) => ({ name: p.name, regex: new RegExp(p.regex, p.ignoreCase ? 'giu' : 'gu'), replace: p.replacement }));
}

/** Applies rules in order; returns the very same string when nothing matched. */
export function applyValueRules(rules: readonly ValueRule[], text: string): string {
  let out = text;
  for (const rule of rules) {
    // String.replace resets lastIndex of a global regex, so shared rules are safe to reuse.
    out = typeof rule.replace === 'string' ? out.replace(rule.regex, rule.replace) : out.replace(rule.regex, rule.replace);
  }
  return out;
}
