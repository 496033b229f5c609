/** Builds the admin UI into dist/, which Roster serves at / (api/routes/start-page.ts). */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  // `npm run dev -w packages/web` proxies the API to a running `npm start`.
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/provision': 'http://127.0.0.1:8080' } },
});
