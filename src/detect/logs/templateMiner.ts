// Online log template miner: assigns each message to a template as it arrives (one pass, no
// look-ahead), generalising templates when a position turns out to vary, with stable ids, bounded
// memory and a JSON snapshot so the live engine can restart without renumbering its patterns.
import { WILDCARD, renderTokens, tokenizeMessage } from './tokenize.js';
import { templateIdOf } from './templateId.js';

export interface TemplateMinerOptions {
  /** Most templates kept; the least recently seen are dropped beyond it. Default 5000. */
  maxTemplates?: number;
  /** Distinct constants at one position, all else equal, that make the position a parameter. Default 4. */
  siblingsToGeneralise?: number;
  /** Most masked lines remembered for the fast exact path. Default 50,000. */
  maxCacheEntries?: number;
  /** Most merged-away ids remembered so old ids still resolve. Default 20,000. */
  maxAliases?: number;
}

export interface TemplateMatch {
  templateId: string;
  template: string;
  /** True when this message created the template. */
  isNew: boolean;
  /** The text of each parameter of the message, in order. */
  parameters: string[];
}

export interface MinedTemplate {
  templateId: string;
  template: string;
  count: number;
}

export interface TemplateMinerSnapshot {
  version: 1;
  sequence: number;
  templates: Array<{ id: string; tokens: string[]; spaceBefore: boolean[]; count: number; lastSeen: number; born: number }>;
  aliases: Array<[string, string]>;
}

export interface TemplateMiner {
  add(message: string): TemplateMatch;
  /** The current id of a template id handed out earlier (ids merged away resolve to the survivor). */
  resolve(templateId: string): string;
  /** The current text of a template (by any id it ever had), or undefined when dropped. */
  templateOf(templateId: string): string | undefined;
  templates(): MinedTemplate[];
  snapshot(): TemplateMinerSnapshot;
}

interface Template {
  id: string;
  tokens: string[];
  spaceBefore: boolean[];
  count: number;
  lastSeen: number;
  /** Sequence number of the message that created it: the oldest of merged templates keeps its id. */
  born: number;
  constants: number;
  /** Rendered text, kept because add() returns it for every line. */
  text: string;
  alive: boolean;
  holeKeys: string[];
}

const KEY_SEPARATOR = '\u0000';
const FIRST_WORD_MIN_CONSTANTS = 4;

export function createTemplateMiner(options: TemplateMinerOptions = {}, from?: TemplateMinerSnapshot): TemplateMiner {
  const maxTemplates = options.maxTemplates ?? 5000;
  const siblings = Math.max(2, options.siblingsToGeneralise ?? 4);
  const maxCache = options.maxCacheEntries ?? 50_000;
  const maxAliases = options.maxAliases ?? 20_000;

  const byId = new Map<string, Template>();
  const byLength = new Map<number, Template[]>();
  const cache = new Map<string, Template>();
  // Templates that are equal except at one position, keyed by the text with that position blanked.
  const holes = new Map<string, Set<Template>>();
  const aliases = new Map<string, string>();
  let sequence = 0;

  function resolve(id: string): string {
    let current = id;
    for (let hops = 0; hops < 64; hops++) {
      const next = aliases.get(current);
      if (next === undefined) return current;
      current = next;
    }
    return current;
  }

  function holeKeysOf(tokens: readonly string[]): string[] {
    const keys: string[] = [];
    // The first word names the event far more often than it varies (Drain's prefix rule), so it
    // is generalised only in long templates whose other words identify the event on their own.
    let constants = 0;
    for (const tok of tokens) if (tok !== WILDCARD) constants++;
    const first = constants - 1 >= FIRST_WORD_MIN_CONSTANTS ? 0 : 1;
    for (let p = first; p < tokens.length; p++) {
      if (tokens[p] === WILDCARD) continue;
      const copy = tokens.slice();
      copy[p] = WILDCARD;
      keys.push(`${p}${KEY_SEPARATOR}${copy.join(KEY_SEPARATOR)}`);
    }
    return keys;
  }

  function index(t: Template): void {
    byId.set(t.id, t);
    const bucket = byLength.get(t.tokens.length);
    if (bucket) bucket.push(t);
    else byLength.set(t.tokens.length, [t]);
    t.holeKeys = holeKeysOf(t.tokens);
    for (const key of t.holeKeys) {
      const set = holes.get(key);
      if (set) set.add(t);
      else holes.set(key, new Set([t]));
    }
  }

  function unindex(t: Template): void {
    byId.delete(t.id);
    const bucket = byLength.get(t.tokens.length);
    if (bucket) {
      const i = bucket.indexOf(t);
      if (i >= 0) bucket.splice(i, 1);
      if (bucket.length === 0) byLength.delete(t.tokens.length);
    }
    for (const key of t.holeKeys) {
      const set = holes.get(key);
      set?.delete(t);
      if (set?.size === 0) holes.delete(key);
    }
  }

  function addAlias(from: string, to: string): void {
    aliases.set(from, to);
    if (aliases.size > maxAliases) {
      const oldest = aliases.keys().next().value;
      if (oldest !== undefined) aliases.delete(oldest);
    }
  }

  /** Merges `others` into `into`, whose tokens become `tokens`; `into` keeps its id. */
  function merge(into: Template, others: Iterable<Template>, tokens: string[]): void {
    unindex(into);
    for (const other of others) {
      if (other === into || !other.alive) continue;
      unindex(other);
      other.alive = false;
      into.count += other.count;
      into.lastSeen = Math.max(into.lastSeen, other.lastSeen);
      addAlias(other.id, into.id);
    }
    into.tokens = tokens;
    into.text = renderTokens(tokens, into.spaceBefore);
    into.constants = tokens.reduce((n, tok) => (tok === WILDCARD ? n : n + 1), 0);
    index(into);
    // The wider template may now cover others of the same length: fold them in too.
    const covered = (byLength.get(tokens.length) ?? []).filter((t) => t !== into && covers(tokens, t.tokens));
    if (covered.length > 0) merge(into, covered, tokens);
  }

  /** When enough templates differ only at one position, that position is a parameter. */
  function generalise(t: Template): Template {
    for (const key of t.holeKeys) {
      const set = holes.get(key);
      if (!set || set.size < siblings) continue;
      let oldest = t;
      for (const s of set) if (s.born < oldest.born || (s.born === oldest.born && s.id < oldest.id)) oldest = s;
      const position = Number(key.slice(0, key.indexOf(KEY_SEPARATOR)));
      const tokens = oldest.tokens.slice();
      tokens[position] = WILDCARD;
      merge(oldest, [...set], tokens);
      return generalise(oldest);
    }
    return t;
  }

  function findCovering(tokens: readonly string[]): Template | undefined {
    let best: Template | undefined;
    for (const t of byLength.get(tokens.length) ?? []) {
      if ((best === undefined || t.constants > best.constants) && covers(t.tokens, tokens)) best = t;
    }
    return best;
  }

  function evictIfFull(): void {
    if (byId.size <= maxTemplates) return;
    const all = [...byId.values()].sort((a, b) => a.lastSeen - b.lastSeen);
    const drop = all.slice(0, Math.max(1, Math.ceil(maxTemplates * 0.05)));
    for (const t of drop) {
      unindex(t);
      t.alive = false;
    }
    cache.clear();
  }

  function remember(key: string, t: Template): void {
    if (cache.size >= maxCache) cache.clear();
    cache.set(key, t);
  }

  function add(message: string): TemplateMatch {
    sequence++;
    const line = tokenizeMessage(message);
    const key = line.tokens.join(KEY_SEPARATOR);
    let t = cache.get(key);
    if (t !== undefined && !t.alive) {
      t = byId.get(resolve(t.id));
      if (t === undefined) cache.delete(key);
    }
    let isNew = false;
    if (t === undefined) {
      t = findCovering(line.tokens);
      if (t === undefined) {
        const id = uniqueId(templateIdOf(renderTokens(line.tokens, line.spaceBefore)));
        t = { id, tokens: line.tokens.slice(), spaceBefore: line.spaceBefore, count: 0, lastSeen: sequence, born: sequence, constants: 0, text: '', alive: true, holeKeys: [] };
        t.text = renderTokens(t.tokens, t.spaceBefore);
        t.constants = t.tokens.reduce((n, tok) => (tok === WILDCARD ? n : n + 1), 0);
        index(t);
        const survivor = generalise(t);
        isNew = survivor === t;
        t = survivor;
        evictIfFull();
      }
      remember(key, t);
    }
    t.count++;
    t.lastSeen = sequence;
    const parameters: string[] = [];
    for (let i = 0; i < t.tokens.length; i++) if (t.tokens[i] === WILDCARD) parameters.push(line.raw[i] ?? '');
    return { templateId: t.id, template: t.text, isNew, parameters };
  }

  function uniqueId(id: string): string {
    // A merged-away or live id is never reused for a different template.
    let candidate = id;
    for (let n = 2; byId.has(candidate) || aliases.has(candidate); n++) candidate = `${id}-${n}`;
    return candidate;
  }

  function templateOf(id: string): string | undefined {
    const t = byId.get(resolve(id));
    return t?.text;
  }

  function templates(): MinedTemplate[] {
    return [...byId.values()].map((t) => ({ templateId: t.id, template: t.text, count: t.count }));
  }

  function snapshot(): TemplateMinerSnapshot {
    return {
      version: 1,
      sequence,
      templates: [...byId.values()].map((t) => ({ id: t.id, tokens: t.tokens.slice(), spaceBefore: t.spaceBefore.slice(), count: t.count, lastSeen: t.lastSeen, born: t.born })),
      aliases: [...aliases.entries()],
    };
  }

  if (from) {
    sequence = from.sequence;
    for (const [a, b] of from.aliases) aliases.set(a, b);
    for (const s of from.templates) {
      const constants = s.tokens.reduce((n, tok) => (tok === WILDCARD ? n : n + 1), 0);
      index({ id: s.id, tokens: s.tokens.slice(), spaceBefore: s.spaceBefore.slice(), count: s.count, lastSeen: s.lastSeen, born: s.born, constants, text: renderTokens(s.tokens, s.spaceBefore), alive: true, holeKeys: [] });
    }
  }

  return { add, resolve, templateOf, templates, snapshot };
}

/** Restores a miner from `snapshot()` output (e.g. read back from JSON). */
export function restoreTemplateMiner(snapshot: TemplateMinerSnapshot, options: TemplateMinerOptions = {}): TemplateMiner {
  return createTemplateMiner(options, snapshot);
}

/** True when every constant of `general` equals the token at the same place in `specific`. */
function covers(general: readonly string[], specific: readonly string[]): boolean {
  if (general.length !== specific.length) return false;
  for (let i = 0; i < general.length; i++) {
    const g = general[i];
    if (g !== WILDCARD && g !== specific[i]) return false;
  }
  return true;
}
