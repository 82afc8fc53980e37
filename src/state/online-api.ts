// Calls to server screens that need a connection (administration, supervision, reports), with
// the device session's access token, refreshed when it has expired.
import { authorisedCaller } from '../sync/authorised.ts'
import { errorBody, errorFromAnswer, networkError } from '../sync/errors.ts'
import { httpTransport } from '../sync/index.ts'
import { database } from './database.ts'

const call = () => authorisedCaller(database(), httpTransport(), () => new Date())

async function request<T>(
  path: string,
  init: { method?: string; body?: unknown },
  parse: (text: string) => unknown,
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
      // Linja's error answers are JSON {error, message}, a proxy's may not be; a good answer is parsed as asked.
      body = response.ok ? parse(text) : errorBody(text)
    } catch (error) {
      throw networkError(error)
    }
    if (!response.ok) {
      throw errorFromAnswer(response.status, body, response.headers.get('retry-after'))
    }
    return body as T
  })
}

export function apiJson<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  return request<T>(path, init, (text) => (text === '' ? null : (JSON.parse(text) as unknown)))
}

/** For answers that are files (CSV): the text as it came. */
export function apiText(path: string): Promise<string> {
  return request<string>(path, {}, (text) => text)
}
