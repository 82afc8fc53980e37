// Stored passwords: scrypt at full cost in the server itself (the in-process suites lower it for speed), and verification follows each hash's own cost.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../sync-server/src/auth/passwords.ts'

const run = promisify(execFile)

describe('password hashing', () => {
  it('a server process stores passwords at scrypt cost 16384, r 8, p 1', async () => {
    const script = `import('./sync-server/src/auth/passwords.ts').then(async (m) => console.log(await m.hashPassword('correct horse')))`
    const { stdout } = await run('node', ['--import', 'tsx', '-e', script], { cwd: process.cwd() })
    expect(stdout.trim()).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
  }, 30_000)

  it('verifies a hash by the cost it carries, and refuses a wrong password', async () => {
    const low = await hashPassword('correct horse')
    expect(low.startsWith('scrypt$1024$')).toBe(true)
    expect(await verifyPassword('correct horse', low)).toBe(true)
    expect(await verifyPassword('correct horsE', low)).toBe(false)
  })
})
