// Calls to server screens that need a connection (administration now; supervision and reports
// later), with the device session's access token, refreshed when it has expired.
import { authorisedCaller } from '../sync/authorised.ts'
import { errorFromAnswer, networkError } from '../sync/errors.ts'
import { httpTransport } from '../sync/index.ts'
import { database } from './database.ts'

const call = () => authorisedCaller(database(), httpTransport(), () => new Date())

export async function apiJson<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  return call()(async (token) => {
    let response: Response
    let body: unknown
    try {
      response = await fetch(path, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? null : JSON.stringify(init.body),
      })
      const text = await response.text()
      body = text === '' ? null : (JSON.parse(text) as unknown)
    } catch (error) {
      throw networkError(error)
    }
    if (!response.ok) throw errorFromAnswer(response.status, body)
    return body as T
  })
}
