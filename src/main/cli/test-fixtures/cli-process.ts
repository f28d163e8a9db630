import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

/** The variables a person runs both the app and the command with (a folder with no settings file of its own). */
export const launchEnv = (url: string): Record<string, string> => ({ PARLEY_PROVIDER_URL: url, PARLEY_MODEL: 'large', PARLEY_SMALL_MODEL: 'large' })

/** What a `parley` process did: its exit status and its output. */
export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** `parley` as a script runs it: its own process (through tsx, from the source), every one killed by `killAll`. */
export class CliProcesses {
  private readonly children: ChildProcess[] = []
  private readonly entry = join(import.meta.dirname, '..', 'main.ts')

  /** `parley …args` with `env` over this process's variables; resolves once it has closed. */
  run(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
    const child = spawn(process.execPath, ['--import', 'tsx', this.entry, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    this.children.push(child)
    let out = ''
    let err = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout: out, stderr: err })))
  }

  /** Kills every process still running (after each test). */
  killAll(): void {
    for (const child of this.children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
}
