// Builds the store's screens into ui/dist, which the hub serves itself (hub-app/src/http/screens.ts):
// one HTML page per screen (kiosk/index.html -> /kiosk/, cashier/index.html -> /cashier/,
// cleaner/index.html -> /cleaner/, owner/index.html -> /owner/), their scripts and styles under
// /assets/. The customer's pages
// (h5/index.html -> /h5/) come from the same build; the cloud serves those (cloud-service/src/http/pages.ts).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    // The kiosk runs on the store's own Chromium (Electron): no legacy browsers to carry.
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    // dist/.vite/manifest.json: each page's chunks and the ones it loads later, for the bundle
    // budget (scripts/bundle-size.mjs); the hub serves only the pages and /assets.
    manifest: true,
    rollupOptions: {
      input: {
        kiosk: resolve(root, 'kiosk/index.html'),
        cashier: resolve(root, 'cashier/index.html'),
        cleaner: resolve(root, 'cleaner/index.html'),
        owner: resolve(root, 'owner/index.html'),
        h5: resolve(root, 'h5/index.html'),
        platform: resolve(root, 'platform/index.html'),
      },
    },
  },
  server: {
    // `npm run dev -w @roomhub/ui`: the pages from Vite, the API from the hub started by npm start.
    proxy: { '/api': process.env.HUB_URL ?? 'http://127.0.0.1:8080' },
  },
});
