// Node module hooks (module.register) that let Vigil import journey files written in TypeScript
// without a build step: `.ts` files are transpiled on load, `vigil-qa/journeys` resolves to this
// running Vigil (so a checks directory needs no node_modules of its own), an import of
// `./x.js` from a .ts file finds `./x.ts` (the NodeNext convention), and a reload marker on a
// journey's URL is passed to the local files it imports so an edited helper is reloaded too.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isTypeScript, transpileJourney, typescript } from './transpile.js';

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
}
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
interface LoadResult {
  format: string;
  source?: string | ArrayBuffer | Uint8Array;
  shortCircuit?: boolean;
}

let apiUrl = '';
export const reloadParam = 'vigil-reload';

export function initialize(data: { apiUrl: string }): void {
  apiUrl = data.apiUrl;
}

const isLocalFile = (url: string): boolean => url.startsWith('file:') && !url.includes('/node_modules/');

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: (s: string, c: ResolveContext) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  if (specifier === 'vigil-qa/journeys') return { url: apiUrl, shortCircuit: true };
  let resolved: ResolveResult;
  try {
    resolved = await nextResolve(specifier, context);
  } catch (err) {
    const parent = context.parentURL;
    if (!parent || !isLocalFile(parent) || !isTypeScript(new URL(parent).pathname) || !/^\.{1,2}\/.*\.m?js$/.test(specifier)) throw err;
    resolved = await nextResolve(specifier.replace(/js$/, 'ts'), context);
  }
  const marker = context.parentURL && isLocalFile(context.parentURL) ? new URL(context.parentURL).searchParams.get(reloadParam) : null;
  if (marker && isLocalFile(resolved.url)) {
    const url = new URL(resolved.url);
    url.searchParams.set(reloadParam, marker);
    return { ...resolved, url: url.href };
  }
  return resolved;
}

export async function load(
  url: string,
  context: { format?: string | null },
  nextLoad: (u: string, c: { format?: string | null }) => Promise<LoadResult>,
): Promise<LoadResult> {
  if (!isLocalFile(url) || !isTypeScript(new URL(url).pathname)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code, errors } = transpileJourney(typescript(), await readFile(path, 'utf8'), path);
  if (errors.length) throw new SyntaxError(`${path}:${errors[0]!.line} ${errors[0]!.message}`);
  return { format: 'module', source: code, shortCircuit: true };
}
