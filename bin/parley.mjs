#!/usr/bin/env node
// `parley`, installed (package.json's bin): the built command line (out/main/cli.js, made by `npm run build`), or
// from a clone that was not built, its source through tsx.
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const built = new URL('../out/main/cli.js', import.meta.url)
if (existsSync(built)) {
  await import(built.href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(new URL('../src/main/cli/main.ts', import.meta.url).pathname).href)
}
