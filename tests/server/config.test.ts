import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../sync-server/src/config.ts'

describe('loadConfig', () => {
  it('defaults to port 8080, ./data and SQLite', () => {
    const c = loadConfig({}, '/srv/linja')
    expect(c.port).toBe(8080)
    expect(c.dataDir).toBe('/srv/linja/data')
    expect(c.databaseUrl).toBeNull()
    expect(c.staticDir).toBe('/srv/linja/dist')
  })

  it('takes PORT, DATA_DIR and a postgres DATABASE_URL', () => {
    const c = loadConfig(
      {
        PORT: '9000',
        DATA_DIR: '/var/lib/linja',
        DATABASE_URL: 'postgres://u@h/db',
        LINJA_TOKEN_SECRET: 'a-shared-secret-of-at-least-32-chars',
        LINJA_SECRETS_KEY: 'another-shared-secret-of-32-chars-or-more',
      },
      '/x',
    )
    expect(c).toMatchObject({
      port: 9000,
      dataDir: '/var/lib/linja',
      databaseUrl: 'postgres://u@h/db',
    })
  })

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ PORT: '-1' }, /PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ LINJA_ADMIN_PASSWORD: 'short' }, /LINJA_ADMIN_PASSWORD must be at least 10/],
    [{ LINJA_DEMO: 'yes' }, /LINJA_DEMO must be 1 or 0/],
    [{ LINJA_DEMO_PASSWORD: 'short' }, /LINJA_DEMO_PASSWORD must be at least 10/],
    [{ LINJA_LOGIN_RATE_LIMIT: '0' }, /LINJA_LOGIN_RATE_LIMIT must be a whole number/],
    [{ TRUST_PROXY: 'proxy.kommune.no' }, /TRUST_PROXY must be .*"proxy.kommune.no"/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY must be .*"10.0.0.0\/33"/],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY must be/],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })

  it('14.5: TRUST_PROXY is off by default and takes addresses, CIDR ranges and loopback', () => {
    expect(loadConfig({}).trustProxy).toEqual([])
    expect(
      loadConfig({ TRUST_PROXY: ' 10.0.0.5, 192.168.1.0/24,::1,fd00::/8 , loopback' }).trustProxy,
    ).toEqual(['10.0.0.5', '192.168.1.0/24', '::1', 'fd00::/8', 'loopback'])
  })

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'x', DATABASE_URL: 'mysql://y' })
      expect.unreachable()
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2)
    }
  })

  it('issue 16: LINJA_SCIM_TOKEN turns SCIM on; too short or equal to the token secret stops the start', () => {
    expect(loadConfig({}).scimToken).toBeNull()
    const token = 'a-scim-bearer-secret-of-32-characters'
    expect(loadConfig({ LINJA_SCIM_TOKEN: ` ${token} ` }).scimToken).toBe(token)
    expect(() => loadConfig({ LINJA_SCIM_TOKEN: 'short' })).toThrow(
      /LINJA_SCIM_TOKEN must hold at least 32/,
    )
    expect(() => loadConfig({ LINJA_SCIM_TOKEN: token, LINJA_TOKEN_SECRET: token })).toThrow(
      /LINJA_SCIM_TOKEN must differ from the token secret/,
    )
  })
})
