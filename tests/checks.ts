// `npm test`'s checks before the tests, side by side on the machine's cores: the two typechecks, lint and the build. Each one's output is printed whole when it ends; any failure fails the run.
import { spawn } from 'node:child_process'

const checks: [string, string[]][] = [
  ['typecheck (app and server)', ['tsc', '-p', 'tsconfig.json']],
  ['typecheck (core)', ['tsc', '-p', 'src/core/tsconfig.json']],
  ['lint', ['biome', 'check', '.']],
  ['build', ['vite', 'build']],
]

const results = await Promise.all(
  checks.map(
    ([name, [command = '', ...args]]) =>
      new Promise<{ name: string; code: number; output: string; seconds: number }>((resolve) => {
        const started = Date.now()
        const child = spawn('npx', ['--no-install', command, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        const output: Buffer[] = []
        child.stdout.on('data', (chunk: Buffer) => output.push(chunk))
        child.stderr.on('data', (chunk: Buffer) => output.push(chunk))
        child.on('close', (code) => {
          const result = {
            name,
            code: code ?? 1,
            output: Buffer.concat(output).toString(),
            seconds: (Date.now() - started) / 1000,
          }
          console.log(
            `== ${name}: ${result.code === 0 ? 'ok' : 'FAILED'} in ${result.seconds.toFixed(0)} s`,
          )
          if (result.code !== 0 || process.env.CHECKS_VERBOSE) console.log(result.output)
          resolve(result)
        })
      }),
  ),
)
if (results.some((r) => r.code !== 0)) process.exit(1)
