import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

// The layer lines of docs/architecture.md live in eslint.config.js; these probes prove they hold.
const cwd = fileURLToPath(new URL('..', import.meta.url))
const eslint = new ESLint({ cwd })

interface Problem {
  ruleId: string | null
  message: string
}

/** Lints `code` as if it were saved at `filePath` (the file need not exist) and returns every problem found. */
async function lint(filePath: string, code: string): Promise<Problem[]> {
  const [result] = await eslint.lintText(code, { filePath })
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`)
  return result.messages.map(({ ruleId, message }) => ({ ruleId, message }))
}

function restricted(message: RegExp): Problem {
  return { ruleId: 'no-restricted-imports', message: expect.stringMatching(message) as string }
}

describe('layer lines', () => {
  it("src/main/core may not import 'electron'", async () => {
    const problems = await lint(
      'src/main/core/agent/lint-probe.ts',
      "import { app } from 'electron'\nexport const name = app.name\n"
    )
    expect(problems).toEqual([restricted(/src\/main\/core may not import 'electron'/)])
  })

  it("src/shared may not import 'electron'", async () => {
    const problems = await lint(
      'src/shared/lint-probe.ts',
      "import type { IpcRenderer } from 'electron'\nexport type Probe = IpcRenderer\n"
    )
    expect(problems).toEqual([restricted(/src\/shared may not import 'electron'/)])
  })

  it("the renderer may not import 'node:fs'", async () => {
    const problems = await lint(
      'src/renderer/src/lint-probe.ts',
      "import { readFileSync } from 'node:fs'\nexport const read = readFileSync\n"
    )
    expect(problems).toEqual([restricted(/src\/renderer may not import 'node:\*'.*Node builtins/)])
  })

  it('src/main/core may not reach src/main/desktop by a relative path', async () => {
    const problems = await lint(
      'src/main/core/agent/lint-probe.ts',
      "import { createMainWindow } from '../../desktop/window'\nexport const open = createMainWindow\n"
    )
    expect(problems).toEqual([restricted(/src\/main\/core may not import from src\/main\/desktop/)])
  })

  it('the renderer may not reach src/main by a relative path', async () => {
    const problems = await lint(
      'src/renderer/src/chat/lint-probe.ts',
      "import { contentTypeFor } from '../../../main/host/static-files'\nexport const type = contentTypeFor\n"
    )
    expect(problems).toEqual([restricted(/src\/renderer may not import from src\/main:/)])
  })

  it("src/main/desktop may import 'electron' and node builtins", async () => {
    const problems = await lint(
      'src/main/desktop/lint-probe.ts',
      "import { app } from 'electron'\nimport { readFileSync } from 'node:fs'\nexport const probe = [app, readFileSync]\n"
    )
    expect(problems).toEqual([])
  })

  it('the renderer may import from src/shared', async () => {
    const problems = await lint(
      'src/renderer/src/chat/lint-probe.ts',
      "import type { ParleyApi } from '../../../shared'\nexport type Probe = ParleyApi\n"
    )
    expect(problems).toEqual([])
  })

  it("a renderer file named like a layer is not mistaken for one ('../main' is src/renderer/src/main.tsx)", async () => {
    const problems = await lint(
      'src/renderer/src/chat/lint-probe.ts',
      "import '../main'\n"
    )
    expect(problems).toEqual([])
  })
})
