// Vite builds the console into dist/, which the hub serves at / (ncbnet serve --console-dir).
// `vite dev` and `vite preview` proxy the API to a running hub (NCBNET_HUB, default the demo's
// https://127.0.0.1:8443, self-signed) and send the same Content-Security-Policy as the hub,
// so that a violation shows up while developing, not in production.
import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const hub = process.env.NCBNET_HUB ?? 'https://127.0.0.1:8443';
const proxy = {
  '/v1': { target: hub, secure: false, changeOrigin: true },
  '/healthz': { target: hub, secure: false, changeOrigin: true },
};
const headers = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

export default defineConfig({
  plugins: [preact({ prerender: { enabled: false } })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline data: URIs for scripts; small assets may be inlined only as images/fonts.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: { proxy, headers },
  preview: { proxy, headers },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
