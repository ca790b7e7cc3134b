// The built UI (ui/dist, made by `npm run build`, shipped in the npm package): files read once and
// kept in memory with their gzip, since the whole app is a few hundred kilobytes.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface Asset {
  body: Buffer;
  gzip: Buffer;
  contentType: string;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** dist/src/ui-server → the package root → ui/dist, in the repository and in the installed package. */
export const defaultUiDir = (): string => resolve(dirname(fileURLToPath(import.meta.url)), '../../../ui/dist');

export class UiAssets {
  private readonly cache = new Map<string, Asset | null>();

  constructor(readonly dir: string = defaultUiDir()) {}

  get built(): boolean {
    return existsSync(join(this.dir, 'index.html'));
  }

  /** A file under the UI folder by its relative path; names are checked, so `..` cannot escape. */
  get(relative: string): Asset | undefined {
    if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)?$/.test(relative) || relative.includes('..')) return undefined;
    if (this.cache.has(relative)) return this.cache.get(relative) ?? undefined;
    const path = join(this.dir, relative);
    let asset: Asset | null = null;
    if (existsSync(path)) {
      const body = readFileSync(path);
      const ext = relative.slice(relative.lastIndexOf('.'));
      asset = { body, gzip: gzipSync(body, { level: 9 }), contentType: contentTypes[ext] ?? 'application/octet-stream' };
    }
    this.cache.set(relative, asset);
    return asset ?? undefined;
  }
}
