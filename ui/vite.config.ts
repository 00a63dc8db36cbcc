import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The UI is served by the kiosk from ui/dist; the Fluent catalogs live in ../assets/i18n,
// shared with the Rust side, and are bundled as raw text.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 1420, strictPort: true, fs: { allow: ['..'] } },
  build: {
    target: 'safari15',
    outDir: 'dist',
    emptyOutDir: true,
    // Fonts and images stay files: the CSP allows 'self', no inline data beyond what Vite needs.
    assetsInlineLimit: 0,
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
