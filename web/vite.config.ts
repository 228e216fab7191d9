// Builds the console into dist/: hashed assets under dist/assets/ (served immutable by
// src/server/static_files.cc) and a gzip sibling of every text file, so that the server sends
// compressed files without compressing at request time.
import { gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

function gzipSiblings(): Plugin {
  return {
    name: 'ucsc-gzip-siblings',
    apply: 'build',
    closeBundle() {
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const p = join(dir, name);
          if (statSync(p).isDirectory()) walk(p);
          else if (/\.(js|css|html|svg|json)$/.test(name)) {
            writeFileSync(p + '.gz', gzipSync(readFileSync(p), { level: 9 }));
          }
        }
      };
      walk('dist');
    },
  };
}

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 400,
  },
  plugins: [gzipSiblings()],
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: { include: ['src/**/*.test.ts'] },
} as never);
