// A small document model shared by reviews and reports: sections of paragraphs, lists and tables,
// rendered once as Markdown and once as HTML so both exports say exactly the same thing.

export type Block =
  | { type: 'paragraph'; text: string }
  /** Text a person wrote in Markdown: copied into Markdown as is, shown as escaped text in HTML. */
  | { type: 'authored'; text: string }
  | { type: 'list'; items: string[] }
  | { type: 'table'; head: string[]; rows: string[][] };

export interface DocumentSection {
  key: string;
  title: string;
  blocks: Block[];
  /** A note under the heading, e.g. who edited the section. */
  note?: string;
}

export interface Document {
  title: string;
  subtitle?: string;
  sections: DocumentSection[];
}

const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderMarkdown(doc: Document): string {
  const out: string[] = [`# ${doc.title}`, ''];
  if (doc.subtitle) out.push(doc.subtitle, '');
  for (const s of doc.sections) {
    out.push(`## ${s.title}`, '');
    if (s.note) out.push(`_${s.note}_`, '');
    for (const b of s.blocks) {
      if (b.type === 'paragraph' || b.type === 'authored') out.push(b.text, '');
      else if (b.type === 'list') out.push(...b.items.map((i) => `- ${i.replace(/\r?\n/g, ' ')}`), '');
      else
        out.push(`| ${b.head.map(cell).join(' | ')} |`, `|${b.head.map(() => '---').join('|')}|`, ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`), '');
    }
  }
  return out.join('\n').trimEnd() + '\n';
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A standalone page (no scripts, no external resources) that can be mailed or archived. */
export function renderHtml(doc: Document): string {
  const body: string[] = [`<h1>${escapeHtml(doc.title)}</h1>`];
  if (doc.subtitle) body.push(`<p class="subtitle">${escapeHtml(doc.subtitle)}</p>`);
  for (const s of doc.sections) {
    body.push(`<section id="${escapeHtml(s.key)}"><h2>${escapeHtml(s.title)}</h2>`);
    if (s.note) body.push(`<p class="note">${escapeHtml(s.note)}</p>`);
    for (const b of s.blocks) {
      if (b.type === 'paragraph') body.push(`<p>${escapeHtml(b.text)}</p>`);
      else if (b.type === 'authored') body.push(`<div class="authored">${escapeHtml(b.text).replace(/\r?\n/g, '<br>')}</div>`);
      else if (b.type === 'list') body.push(`<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);
      else
        body.push(
          `<table><thead><tr>${b.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
        );
    }
    body.push('</section>');
  }
  const style =
    'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}.note,.subtitle{color:#666}';
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title><style>${style}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}
