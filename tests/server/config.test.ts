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
    [{ PUBLIC_URL: 'linja.kommune.no' }, /PUBLIC_URL must be a full address/],
    [{ PUBLIC_URL: 'http://linja.kommune.no' }, /PUBLIC_URL must start with https/],
    [{ PUBLIC_URL: 'https://linja.kommune.no/?x=1' }, /PUBLIC_URL must be .* without \? or #/],
    [{ SMTP_URL: 'smtp://mail:587', SMTP_FROM: 'l@k.no' }, /PUBLIC_URL must be set when SMTP_URL/],
    [
      { SMTP_URL: 'smtp://mail:587', PUBLIC_URL: 'https://l.no' },
      /Set both SMTP_URL and SMTP_FROM/,
    ],
    [
      { SMTP_URL: 'mail:587', SMTP_FROM: 'l@k.no', PUBLIC_URL: 'https://l.no' },
      /SMTP_URL must look like/,
    ],
    [
      { SMTP_URL: 'smtp://m', SMTP_FROM: 'linja', PUBLIC_URL: 'https://l.no' },
      /SMTP_FROM must be an e-mail/,
    ],
    [
      { SMS_GATEWAY_URL: 'https://sms.example/send', PUBLIC_URL: 'https://l.no' },
      /SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN and SMS_SENDER together/,
    ],
    [
      {
        SMS_GATEWAY_URL: 'http://sms.example/send',
        SMS_GATEWAY_TOKEN: 't',
        SMS_SENDER: 'Kommunen',
        PUBLIC_URL: 'https://l.no',
      },
      /SMS_GATEWAY_URL must start with https/,
    ],
    [
      {
        SMS_GATEWAY_URL: 'https://sms.example',
        SMS_GATEWAY_TOKEN: 't',
        SMS_SENDER: 'Linja kommune helse',
        PUBLIC_URL: 'https://l.no',
      },
      /SMS_SENDER must be a name of at most 11/,
    ],
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

  it('remote-form sending: off without its settings; PUBLIC_URL loses a trailing slash', () => {
    expect(loadConfig({})).toMatchObject({ publicUrl: null, smtp: null, sms: null })
    expect(
      loadConfig({
        PUBLIC_URL: 'https://linja.kommune.no/',
        SMTP_URL: 'smtp://mail.kommune.no:587',
        SMTP_FROM: 'Linja <linja@kommune.no>',
        SMS_GATEWAY_URL: 'https://sms.kommune.no/send',
        SMS_GATEWAY_TOKEN: 'gateway-token',
        SMS_SENDER: 'Kommunen',
      }),
    ).toMatchObject({
      publicUrl: 'https://linja.kommune.no',
      smtp: { url: 'smtp://mail.kommune.no:587', from: 'Linja <linja@kommune.no>' },
      sms: { url: 'https://sms.kommune.no/send', token: 'gateway-token', sender: 'Kommunen' },
    })
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
