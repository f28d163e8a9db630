import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        // Three Node entries share out/main: the Electron app, the browser-mode server and the command line.
        input: {
          index: resolve(root, 'src/main/index.ts'),
          web: resolve(root, 'src/main/web.ts'),
          cli: resolve(root, 'src/main/cli/main.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload can `require` only 'electron' and a few builtins, so everything else it uses
      // (zod, src/shared) is bundled into one CommonJS file: no externals, no chunks.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: {
          format: 'cjs',
          entryFileNames: '[name].cjs',
          codeSplitting: false
        }
      }
    }
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    build: {
      rolldownOptions: {
        input: resolve(root, 'src/renderer/index.html'),
        // The window starts in stages, each chunk evaluated in a task of its own (src/renderer/src/boot/stages.ts):
        // these libraries get chunks of their own, so that each stage evaluates one of them and no stage all.
        output: {
          codeSplitting: {
            groups: [
              { name: 'zod', test: /node_modules[\\/]zod[\\/]/, priority: 4 },
              { name: 'react-dom', test: /node_modules[\\/](react-dom|scheduler)[\\/]/, priority: 2 },
              { name: 'react', test: /node_modules[\\/]react[\\/]/, priority: 3 },
              { name: 'react-virtuoso', test: /node_modules[\\/]react-virtuoso[\\/]/, priority: 1 }
            ]
          }
        }
      },
      // Fonts (KaTeX's) stay files: Vite would inline the smallest as data: URLs, which the page's
      // Content-Security-Policy (font-src falls back to default-src 'self') refuses to load.
      assetsInlineLimit: (filePath) => (/\.(woff2?|ttf|otf|eot)$/.test(filePath) ? false : undefined),
      // electron-vite leaves the renderer unminified: 2.7 MB for the window to parse and compile at every start.
      // PARLEY_NO_MINIFY=1 keeps the names, for reading a profile of the window.
      minify: !process.env['PARLEY_NO_MINIFY']
    },
    plugins: [react()]
  }
})
