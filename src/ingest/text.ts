// Strings as the store can take them: OTLP/JSON can carry lone UTF-16 surrogates (SDKs truncating
// inside an emoji), which the engine refuses in a row, and cutting at a limit must not split a pair.
// (Protobuf strings need no pass: Node's UTF-8 decoder already turns invalid bytes into U+FFFD.)

/** The string with every lone surrogate replaced by U+FFFD (the same string when already fine). */
export function wellFormed(text: string): string {
  return text.isWellFormed() ? text : text.toWellFormed();
}

/** At most `max` UTF-16 units, never ending in the first half of a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
