// The public notices page (src/public/): a build of its own into dist-public/, for /public/.
// The demo hub serves it there (ncbnet demo --public-dir); in production a public web server
// serves these files at /public/ and proxies /v1/public/ to the hub (docs/console.md, "The
// public notices page"). Another path: NCBNET_PUBLIC_BASE=/notices/ npm run build:public.
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { CONTENT_SECURITY_POLICY } from './vite.config';

const hub = process.env.NCBNET_HUB ?? 'https://127.0.0.1:8443';
const base = process.env.NCBNET_PUBLIC_BASE ?? '/public/';
const proxy = { '/v1/public': { target: hub, secure: false, changeOrigin: true } };
const headers = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

export default defineConfig({
  root: fileURLToPath(new URL('./src/public/', import.meta.url)),
  base,
  publicDir: false,
  plugins: [preact({ prerender: { enabled: false } })],
  build: {
    outDir: fileURLToPath(new URL('./dist-public/', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: { proxy, headers },
  preview: { proxy, headers },
});
