// Log patterns in the browser: lines reduced to templates by masking what varies (numbers, hex and
// UUIDs, quoted values, IPs, paths), counted, and flagged new when the window before did not have
// them. The server's miner (detect/) decides incidents; this is the reader's quick grouping.
const masks: Array<[RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<ip>'],
  [/"[^"]*"|'[^']*'/g, '<str>'],
  [/\b(?:0x)?[0-9a-f]{12,}\b/gi, '<hex>'],
  [/(?:\/[\w.-]+){2,}/g, '<path>'],
  [/\b[\w-]*\d[\w-]*\b/g, '<num>'],
];

export function templateOf(body: string): string {
  let t = body.length > 500 ? body.slice(0, 500) : body;
  for (const [re, token] of masks) t = t.replace(re, token);
  return t;
}

export interface Pattern {
  template: string;
  count: number;
  sample: string;
  isNew: boolean;
  maxSeverity: number;
}

export function patternsOf(lines: ReadonlyArray<{ body: string; severityNumber?: number }>, before: ReadonlyArray<{ body: string }> | undefined): Pattern[] {
  const seen = before ? new Set(before.map((l) => templateOf(l.body))) : undefined;
  const groups = new Map<string, Pattern>();
  for (const l of lines) {
    const template = templateOf(l.body);
    const g = groups.get(template) ?? { template, count: 0, sample: l.body, isNew: seen ? !seen.has(template) : false, maxSeverity: 0 };
    g.count++;
    g.maxSeverity = Math.max(g.maxSeverity, l.severityNumber ?? 0);
    groups.set(template, g);
  }
  return [...groups.values()].sort((a, b) => Number(b.isNew) - Number(a.isNew) || b.count - a.count);
}
