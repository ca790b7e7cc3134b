// A cheap log/message template: variable tokens (ids, numbers, addresses, quoted values) masked,
// so "timeout after 5012 ms on conn 17" and "… 4980 ms on conn 3" count as one line kind.
// The in-memory queries use it; the store can apply the same masks in SQL.

const masks: Array<[RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b[0-9a-f]{16,}\b/gi, '<hex>'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<ip>'],
  [/"[^"]*"|'[^']*'/g, '<str>'],
  [/\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g, '<email>'],
  // Prefixed ids (ord_52ab14a5, usr_2867bb6027, pod-7f9c): every order or user would otherwise be a template of its own.
  [/\b[A-Za-z]+[_-][0-9A-Za-z]*\d[0-9A-Za-z]*\b/g, '<id>'],
  [/\b\d+(?:\.\d+)?\b/g, '<num>'],
];

export function messageTemplate(message: string): string {
  let out = message.length > 500 ? message.slice(0, 500) : message;
  for (const [re, token] of masks) out = out.replace(re, token);
  return out.replace(/\s+/g, ' ').trim();
}
