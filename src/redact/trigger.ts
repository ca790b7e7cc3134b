// A one-pass pre-check that lets almost every value skip the default regexes. Each default rule
// needs an anchor: = or : right after a secret word, a quote after PASSWORD or BY, "Bearer", "eyJ",
// or "://" with an @ before the host ends. The regex engine scans for the anchor characters alone
// and looks back for the word only where one stands, which costs about a nanosecond per character
// where an alternation of case-insensitive words costs several. It must never say no where a
// default rule would match (values.test.ts holds it to that on every rule's examples).

const ANCHORED =
  /[=:](?<=(?:pass(?:word|wd)|pwd|secret|token|authorization|cookie|api[_-]?key|private[_-]?key)["']?[ \t]{0,16}[=:])|:\/\/[^\s/?#@]{0,400}@|['"](?<=(?:password|by)[ \t]{1,16}['"])|eyJ|bearer/i;

/** The shortest text a default rule changes (`pwd=x`): shorter values (codes, flags, methods) skip the scan. */
export const MIN_SECRET_LENGTH = 5;

/** False only when no default value rule can match `text`. */
export function mayHoldDefaultSecret(text: string): boolean {
  return text.length >= MIN_SECRET_LENGTH && ANCHORED.test(text);
}
