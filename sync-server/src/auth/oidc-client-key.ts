// The private key Linja signs its client assertions with (private_key_jwt, as HelseID requires): read and checked at start, imported for openid-client.
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export type ClientKeyAlg = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'ES512'

export interface ClientKey {
  /** The private key as a JWK, with no `alg`, `kid` or `use` (WebCrypto imports it as it is). */
  jwk: JsonWebKey
  alg: ClientKeyAlg
  /** The JWK's `kid`, sent in the assertion's header so the provider picks the matching public key. */
  kid: string | null
}

/** Node's curve names. */
const EC_ALG: Record<string, ClientKeyAlg> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
}

/**
 * LINJA_OIDC_PRIVATE_KEY_FILE: one private JWK (HelseID's self-service gives one), a JWK set
 * holding one key, or a PEM private key. null with the problem added when it cannot be used.
 */
export function clientKeyFrom(file: string, cwd: string, problems: string[]): ClientKey | null {
  const name = 'LINJA_OIDC_PRIVATE_KEY_FILE'
  let text: string
  try {
    text = readFileSync(resolve(cwd, file), 'utf8').trim()
  } catch (error) {
    problems.push(
      `${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${file}; check the path and that the server's user may read it`,
    )
    return null
  }
  let key: KeyObject
  let given: JsonWebKey & { alg?: unknown; kid?: unknown } = {}
  try {
    if (text.startsWith('{')) {
      const parsed = JSON.parse(text) as JsonWebKey & { keys?: unknown }
      const keys = Array.isArray(parsed.keys) ? parsed.keys : [parsed]
      if (keys.length !== 1) throw new Error('a key set must hold exactly one key')
      given = keys[0] as JsonWebKey
      if (typeof given.d !== 'string') throw new Error('it is a public key')
      key = createPrivateKey({ key: given, format: 'jwk' })
    } else {
      key = createPrivateKey(text)
    }
  } catch (error) {
    problems.push(
      `${name} (${file}) must hold a private key as a JWK (with "d") or as PEM: ${error instanceof Error ? error.message : 'unreadable'}`,
    )
    return null
  }
  const chosen = algFor(key, given.alg)
  if ('problem' in chosen) {
    problems.push(`${name} (${file}): ${chosen.problem}`)
    return null
  }
  const {
    alg: _a,
    kid: _k,
    use: _u,
    key_ops: _o,
    ...jwk
  } = key.export({
    format: 'jwk',
  }) as JsonWebKey & { alg?: string; kid?: string; use?: string }
  return { jwk, alg: chosen.alg, kid: typeof given.kid === 'string' ? given.kid : null }
}

/** The signing algorithm: the JWK's own `alg`, else RS256 for RSA (HelseID's example) or ES* by curve. */
function algFor(key: KeyObject, given: unknown): { alg: ClientKeyAlg } | { problem: string } {
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048)
      return { problem: 'an RSA key must have at least 2048 bits' }
    if (given === undefined) return { alg: 'RS256' }
    if (given === 'RS256' || given === 'PS256') return { alg: given }
    return { problem: `"alg" ${String(given)} is not RS256 or PS256` }
  }
  if (key.asymmetricKeyType === 'ec') {
    const alg = EC_ALG[details.namedCurve ?? '']
    if (!alg)
      return { problem: `the curve ${details.namedCurve ?? '?'} is not P-256, P-384 or P-521` }
    if (given === undefined || given === alg) return { alg }
    return { problem: `"alg" ${String(given)} does not fit the key's curve (${alg})` }
  }
  return {
    problem: `a ${key.asymmetricKeyType ?? 'unknown'} key cannot sign client assertions here (use RSA or EC)`,
  }
}

/** The key as WebCrypto's CryptoKey, for openid-client's PrivateKeyJwt. */
export async function importClientKey(key: ClientKey): Promise<CryptoKey> {
  const algorithm =
    key.alg === 'RS256'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
      : key.alg === 'PS256'
        ? { name: 'RSA-PSS', hash: 'SHA-256' }
        : { name: 'ECDSA', namedCurve: String(key.jwk.crv) }
  return crypto.subtle.importKey('jwk', key.jwk, algorithm, false, ['sign'])
}
