// Online log template miner: assigns each message to a template as it arrives (one pass, no
// look-ahead), generalising templates when a position turns out to vary, with stable ids, bounded
// memory and a JSON snapshot so the live engine can restart without renumbering its patterns.
import { WILDCARD, renderTokens, tokenizeMessage } from './tokenize.js';
import { templateIdOf } from './templateId.js';

export interface TemplateMinerOptions {
  /** Most templates kept; the least recently seen are dropped beyond it. Default 5000. */
  maxTemplates?: number;
  /**
   * Distinct constants at one position, all else equal, that make the position a parameter.
   * Default 4, chosen by leave-one-system-out cross-validation on Loghub (bench/patterns.ts).
   */
  siblingsToGeneralise?: number;
  /** Most masked lines remembered for the fast exact path. Default 50,000. */
  maxCacheEntries?: number;
  /** Most merged-away ids remembered so old ids still resolve. Default 20,000. */
  maxAliases?: number;
  /** Tokens mined per message; the rest of a longer message is one trailing parameter. Default 256. */
  maxTokens?: number;
  /**
   * Drain's similarity rule: a line no template covers joins the most similar template of its
   * length and first word when at least this share of its positions are equal constants; the
   * positions that differ become parameters. 1 turns the rule off. Default chosen by
   * leave-one-system-out cross-validation on Loghub (bench/patterns.ts).
   */
  similarityThreshold?: number;
}

export interface TemplateMatch {
  templateId: string;
  template: string;
  /**
   * True when this message created the template. A word parameter makes a few templates before
   * its position generalises (see `variantOf`).
   */
  isNew: boolean;
  /** Messages of this template so far, this one included. */
  count: number;
  /**
   * Set on a new template that differs from an older one at one word only (not the first): most
   * likely a parameter value not yet recognised as one (a user or host name), so a new-pattern
   * detector may hold back on it.
   */
  variantOf?: string;
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
}

const KEY_SEPARATOR = '\u0000';
const FIRST_WORD_MIN_CONSTANTS = 4;
const JOINT_EVIDENCE_FACTOR = 3;
export const DEFAULT_SIMILARITY = 1;
export const DEFAULT_SIBLINGS = 4;

export function createTemplateMiner(options: TemplateMinerOptions = {}, from?: TemplateMinerSnapshot): TemplateMiner {
  const maxTemplates = options.maxTemplates ?? 5000;
  const siblings = Math.max(2, options.siblingsToGeneralise ?? DEFAULT_SIBLINGS);
  const maxCache = options.maxCacheEntries ?? 50_000;
  const maxAliases = options.maxAliases ?? 20_000;
  const maxTokens = Math.max(2, options.maxTokens ?? 256);
  const similarity = options.similarityThreshold ?? DEFAULT_SIMILARITY;

  const byId = new Map<string, Template>();
  const byLength = new Map<number, Template[]>();
  // Same length and first token: where a line looks for a template that covers it.
  const byHead = new Map<string, Template[]>();
  const cache = new Map<string, Template>();
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

  function headKey(tokens: readonly string[], first: string): string {
    return `${tokens.length}${KEY_SEPARATOR}${first}`;
  }

  function index(t: Template): void {
    byId.set(t.id, t);
    pushTo(byLength, t.tokens.length, t);
    pushTo(byHead, headKey(t.tokens, t.tokens[0] ?? ''), t);
  }

  function unindex(t: Template): void {
    byId.delete(t.id);
    removeFrom(byLength, t.tokens.length, t);
    removeFrom(byHead, headKey(t.tokens, t.tokens[0] ?? ''), t);
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
    into.constants = countConstants(tokens);
    index(into);
    // The wider template may now cover others of the same length: fold them in too.
    const covered = (byLength.get(tokens.length) ?? []).filter((t) => t !== into && covers(tokens, t.tokens));
    if (covered.length > 0) merge(into, covered, tokens);
  }

  /**
   * When enough templates are equal except at the same one or two positions, those positions are
   * parameters: a word that takes many values there is data, not part of the statement.
   */
  function siblingGroups(t: Template): Map<string, Template[]> {
    const groups = new Map<string, Template[]>();
    for (const u of byLength.get(t.tokens.length) ?? []) {
      if (u === t) continue;
      const positions = differingPositions(t.tokens, u.tokens, 2);
      if (positions === undefined) continue;
      const key = positions.join(',');
      const group = groups.get(key);
      if (group) group.push(u);
      else groups.set(key, [u]);
    }
    return groups;
  }

  function generalise(t: Template): Template {
    for (const [key, group] of siblingGroups(t)) {
      const positions = key.split(',').map(Number);
      // Two positions varying together need more evidence than one.
      if (group.length + 1 < siblings * (positions.length === 1 ? 1 : JOINT_EVIDENCE_FACTOR)) continue;
      let oldest = t;
      for (const u of group) if (u.born < oldest.born || (u.born === oldest.born && u.id < oldest.id)) oldest = u;
      const tokens = oldest.tokens.slice();
      for (const p of positions) tokens[p] = WILDCARD;
      // The first word names the event far more often than it varies (Drain's prefix rule), so it
      // is generalised only in long templates whose other words identify the event on their own.
      if (positions[0] === 0 && countConstants(tokens) < FIRST_WORD_MIN_CONSTANTS) continue;
      merge(oldest, [t, ...group], tokens);
      return generalise(oldest);
    }
    return t;
  }

  /**
   * A new template more general than older ones (its masks cover their words) is the same
   * statement: they merge, and the oldest id survives with the general tokens.
   */
  function absorbCovered(t: Template): Template {
    const covered = (byLength.get(t.tokens.length) ?? []).filter((u) => u !== t && covers(t.tokens, u.tokens));
    if (covered.length === 0) return t;
    let oldest = covered[0]!;
    for (const u of covered) if (u.born < oldest.born) oldest = u;
    merge(oldest, [t, ...covered], t.tokens.slice());
    return oldest;
  }

  /** The oldest template that differs from a new one at a single word (not the first). */
  function variantParent(t: Template): string | undefined {
    let parent: Template | undefined;
    for (const [key, group] of siblingGroups(t)) {
      if (key.includes(',') || key === '0') continue;
      for (const u of group) if (parent === undefined || u.born < parent.born) parent = u;
    }
    return parent?.id;
  }

  function findCovering(tokens: readonly string[]): Template | undefined {
    let best: Template | undefined;
    for (const head of [tokens[0] ?? '', WILDCARD]) {
      for (const t of byHead.get(headKey(tokens, head)) ?? []) {
        if ((best === undefined || t.constants > best.constants) && covers(t.tokens, tokens)) best = t;
      }
    }
    return best;
  }

  /** Drain's step: the most similar template with the line's length and first word, if similar enough. */
  function findSimilar(tokens: readonly string[]): Template | undefined {
    if (similarity >= 1) return undefined;
    let best: Template | undefined;
    let bestScore = -1;
    for (const t of byHead.get(headKey(tokens, tokens[0] ?? '')) ?? []) {
      let equal = 0;
      for (let i = 0; i < tokens.length; i++) if (t.tokens[i] !== WILDCARD && t.tokens[i] === tokens[i]) equal++;
      const score = equal / tokens.length;
      if (score > bestScore || (score === bestScore && best !== undefined && t.born < best.born)) {
        best = t;
        bestScore = score;
      }
    }
    return best !== undefined && bestScore >= similarity ? best : undefined;
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
    const line = tokenizeMessage(message, maxTokens);
    const key = line.tokens.join(KEY_SEPARATOR);
    let t = cache.get(key);
    if (t !== undefined && !t.alive) {
      t = byId.get(resolve(t.id));
      if (t === undefined) cache.delete(key);
    }
    let isNew = false;
    let variantOf: string | undefined;
    if (t === undefined) {
      t = findCovering(line.tokens);
      const similar = t === undefined ? findSimilar(line.tokens) : undefined;
      if (similar !== undefined) {
        const tokens = similar.tokens.map((tok, i) => (tok === line.tokens[i] ? tok : WILDCARD));
        merge(similar, [], tokens);
        t = generalise(similar);
      } else if (t === undefined) {
        const id = uniqueId(templateIdOf(renderTokens(line.tokens, line.spaceBefore)));
        t = {
          id,
          tokens: line.tokens.slice(),
          spaceBefore: line.spaceBefore,
          count: 0,
          lastSeen: sequence,
          born: sequence,
          constants: 0,
          text: '',
          alive: true,
        };
        t.text = renderTokens(t.tokens, t.spaceBefore);
        t.constants = countConstants(t.tokens);
        index(t);
        const survivor = generalise(absorbCovered(t));
        isNew = survivor === t;
        if (isNew) variantOf = variantParent(t);
        t = survivor;
        evictIfFull();
      }
      remember(key, t);
    }
    t.count++;
    t.lastSeen = sequence;
    const parameters: string[] = [];
    for (let i = 0; i < t.tokens.length; i++) if (t.tokens[i] === WILDCARD) parameters.push(line.raw[i] ?? '');
    const match: TemplateMatch = { templateId: t.id, template: t.text, isNew, count: t.count, parameters };
    if (variantOf !== undefined) match.variantOf = variantOf;
    return match;
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
      templates: [...byId.values()].map((t) => ({
        id: t.id,
        tokens: t.tokens.slice(),
        spaceBefore: t.spaceBefore.slice(),
        count: t.count,
        lastSeen: t.lastSeen,
        born: t.born,
      })),
      aliases: [...aliases.entries()],
    };
  }

  if (from) {
    if (from.version !== 1) throw new Error(`template miner snapshot version ${String(from.version)} is not supported (expected 1)`);
    sequence = from.sequence;
    for (const [a, b] of from.aliases) aliases.set(a, b);
    for (const s of from.templates) {
      const constants = countConstants(s.tokens);
      index({
        id: s.id,
        tokens: s.tokens.slice(),
        spaceBefore: s.spaceBefore.slice(),
        count: s.count,
        lastSeen: s.lastSeen,
        born: s.born,
        constants,
        text: renderTokens(s.tokens, s.spaceBefore),
        alive: true,
      });
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

function countConstants(tokens: readonly string[]): number {
  let n = 0;
  for (const tok of tokens) if (tok !== WILDCARD) n++;
  return n;
}

/** The positions where two equally long token lists differ, or undefined when more than `max`. */
function differingPositions(a: readonly string[], b: readonly string[], max: number): number[] | undefined {
  const positions: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (positions.length === max) return undefined;
    positions.push(i);
  }
  return positions.length > 0 ? positions : undefined;
}

function pushTo<K>(map: Map<K, Template[]>, key: K, t: Template): void {
  const list = map.get(key);
  if (list) list.push(t);
  else map.set(key, [t]);
}

function removeFrom<K>(map: Map<K, Template[]>, key: K, t: Template): void {
  const list = map.get(key);
  if (!list) return;
  const i = list.indexOf(t);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) map.delete(key);
}
