import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The Secretariat console (DESIGN §10): Preact, built to static files with relative addresses, so
 * the same build is served at `/console/` in local mode and at the root of CloudFront. No inline
 * script or style in the output (the CSP forbids both); no third-party assets at run time.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  resolve: {
    alias: { '#shared': fileURLToPath(new URL('../shared', import.meta.url)) },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2022',
    // Inlined assets become data: URLs; the modulepreload polyfill would be inline script.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
});
