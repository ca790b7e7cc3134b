// Exception grouping until src/detect/logs exports its own `exceptionFingerprint`: type, the
// message with variable parts masked, and the top frames, hashed (FNV-1a) into a stable id.

const MASKS: Array<[RegExp, string]> = [
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>'],
  [/0x[0-9a-f]+/gi, '<hex>'],
  [/\b[0-9a-f]{16,}\b/gi, '<hex>'],
  [/'[^']*'|"[^"]*"/g, '<str>'],
  [/\d+(\.\d+)?/g, '<num>'],
];

function mask(text: string): string {
  let out = text;
  for (const [re, token] of MASKS) out = out.replace(re, token);
  return out;
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function fallbackExceptionFingerprint(exception: { type: string; message: string; stacktrace: string }): string {
  const frames = exception.stacktrace
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at ') || l.startsWith('File ') || /\.(java|py|go|ts|js|rb|cs)/.test(l))
    .slice(0, 3)
    .map((l) => mask(l.replace(/:\d+(:\d+)?\)?$/, '')));
  return fnv1a([exception.type, mask(exception.message), ...frames].join('\n'));
}
