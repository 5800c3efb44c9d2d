// Builds the dashboard (src/web) into dist/web, which the server serves with an SPA fallback.
// `npm run dev:web` proxies the API to a running `parallax serve` on port 3000 (PARALLAX_API to change).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, '../../dist/web'),
    emptyOutDir: true,
    // The manifest lets bench/web-size.ts follow exactly what each view loads.
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/api': process.env.PARALLAX_API ?? 'http://127.0.0.1:3000',
      '/s/': process.env.PARALLAX_API ?? 'http://127.0.0.1:3000',
    },
  },
});
