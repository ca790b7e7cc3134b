// Builds the web UI into ui/dist, which `vigil start` serves (src/ui-server) and the npm package
// ships. Preact's JSX through the bundler's automatic runtime: no plugin needed.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 400 },
});
