import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The web app (src/web) builds to dist/web, which the API server serves. The output must run under
 * `script-src 'self'; style-src 'self'`: only external module scripts and stylesheets, and no
 * assets inlined as data: URLs.
 */
export default defineConfig({
  root: path.join(here, 'src/web'),
  base: '/',
  publicDir: path.join(here, 'src/web/public'),
  plugins: [react()],
  build: {
    outDir: path.join(here, 'dist/web'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // Every supported browser has modulepreload; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
    // dist/web/.vite/manifest.json tells bench/web-size.ts which chunks the first load needs (never served).
    manifest: true,
  },
  server: {
    // `npx vite` serves the app with hot reload and sends API calls to `npm run dev` on :8000.
    proxy: {
      '/v1': 'http://localhost:8000',
      '/health': 'http://localhost:8000',
      '/docs': 'http://localhost:8000',
      '/openapi.json': 'http://localhost:8000',
    },
  },
});
