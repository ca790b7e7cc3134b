// Batch use of the online miner (the `vigil patterns` command and the benchmark): every line goes
// through the same add() as live ingest, then a final pass maps each line to the template its
// first template was merged into, so lines seen before a generalisation land in the same group.
import type { TemplateMiner, TemplateMinerOptions } from './templateMiner.js';
import { createTemplateMiner } from './templateMiner.js';

export interface LineAssignment {
  /** Final template id per input line, in input order. */
  templateIds: string[];
  /** Final template text per template id. */
  templateText: Map<string, string>;
  miner: TemplateMiner;
}

export interface MineLinesOptions extends TemplateMinerOptions {
  /** Called every `progressEvery` lines with the number of lines done. */
  onProgress?: (linesDone: number) => void;
  progressEvery?: number;
}

export function mineLines(lines: Iterable<string>, options: MineLinesOptions = {}): LineAssignment {
  const miner = createTemplateMiner(options);
  const online: string[] = [];
  const every = options.progressEvery ?? 100_000;
  for (const line of lines) {
    online.push(miner.add(line).templateId);
    if (options.onProgress && online.length % every === 0) options.onProgress(online.length);
  }
  const finalOf = new Map<string, string>();
  const templateText = new Map<string, string>();
  const templateIds = online.map((id) => {
    let final = finalOf.get(id);
    if (final === undefined) {
      final = miner.resolve(id);
      finalOf.set(id, final);
      if (!templateText.has(final)) templateText.set(final, miner.templateOf(final) ?? '');
    }
    return final;
  });
  return { templateIds, templateText, miner };
}
