import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../../..')

export interface ServerProcess {
  url: string
  dataDir: string
  child: ChildProcess
  output: () => string
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
  cleanup: () => Promise<void>
}

/** Runs the real server (built app + SQLite in a temp folder) as a child process on a free port. */
export async function startServer(
  env: Record<string, string> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'linja-e2e-')),
  port = 0,
): Promise<ServerProcess> {
  // node itself runs the server (tsx as a loader), so a signal reaches the server, not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (d) => {
    out += String(d)
  })
  child.stderr?.on('data', (d) => {
    out += String(d)
  })
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000)
    const onData = () => {
      const m = /running at (http:\/\/localhost:\d+)\//.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolvePromise(m[1])
      }
    }
    child.stdout?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}`))
    })
  })
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<number | null>((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop(child.exitCode)
      child.once('exit', (code) => resolveStop(code))
      child.kill(signal)
    })
  return {
    url,
    dataDir,
    child,
    output: () => out,
    stop,
    cleanup: async () => {
      await stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
