// Remote links in server tests: a practitioner's client to send a link for, the client's three
// public calls, a real SMTP server that keeps what it receives, and an SMS gateway the test steers.
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { caseOps, Device } from './ops.ts'
import type { Session } from './world.ts'

export const PROTOCOL_2 = { 'x-linja-protocol': '2' }

/** A client with an open episode and one ORS, pushed from the practitioner's tablet. */
export async function clientOf(
  app: FastifyInstance,
  who: Session,
  code = `RM-${randomUUID().slice(0, 6)}`,
) {
  const device = new Device()
  const { client, episode, ops } = caseOps(device, who.personId, code)
  const res = await app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: who.headers,
    payload: device.body(ops),
  })
  if (res.statusCode !== 200) throw new Error(`push: ${res.statusCode} ${res.body}`)
  return { client, episode, device, code }
}

export function linkBody(
  clientId: string,
  episodeId: string,
  delivery: Record<string, unknown> = { channel: 'show', code: 'tell' },
  extra: Record<string, unknown> = {},
) {
  return {
    clientId,
    episodeId,
    session: 2,
    instrumentId: 'ORS',
    rater: 'client',
    locale: 'nb',
    delivery,
    ...extra,
  }
}

export interface Created {
  link: {
    id: string
    state: string
    expiresAt: string
    deliveries: { kind: string; status: string; attempts: number; lastError: string | null }[]
  }
  url: string
  shortCode: string
  code: string
}

export async function sendLink(app: FastifyInstance, who: Session, body: object): Promise<Created> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/remote-links',
    headers: who.headers,
    payload: body,
  })
  if (res.statusCode !== 201) throw new Error(`send link: ${res.statusCode} ${res.body}`)
  return res.json<Created>()
}

export function tokenOf(url: string): string {
  const token = new URL(url).hash.slice(1)
  if (token.length !== 43) throw new Error(`no token in ${url}`)
  return token
}

/** One of the public calls, as the client's page makes it (no sign-in). */
export function publicCall(
  app: FastifyInstance,
  what: 'status' | 'open' | 'form' | 'answer',
  payload: object,
) {
  return app.inject({ method: 'POST', url: `/api/remote/${what}`, payload })
}

export const ORS_MARKS = {
  'ors.individually': 6.3,
  'ors.interpersonally': 7,
  'ors.socially': 5.5,
  'ors.overall': 6.8,
}

/** Opens the link with its code and sends the marks; the answer's reply. */
export async function answer(
  app: FastifyInstance,
  token: string,
  code: string,
  items: object = ORS_MARKS,
) {
  const opened = await publicCall(app, 'open', { token, code })
  if (opened.statusCode !== 200) throw new Error(`open: ${opened.statusCode} ${opened.body}`)
  const { formToken } = opened.json<{ formToken: string }>()
  return publicCall(app, 'answer', { token, formToken, items })
}

export async function linksOf(app: FastifyInstance, who: Session, clientId: string) {
  const res = await app.inject({
    method: 'GET',
    url: `/api/remote-links?clientId=${clientId}`,
    headers: who.headers,
  })
  if (res.statusCode !== 200) throw new Error(`list: ${res.statusCode} ${res.body}`)
  return res.json<{ links: Created['link'][] }>().links
}

/** Waits until `check` holds (the outbox sends in the background); fails after `ms`. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  ms = 5_000,
): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await read()
    if (check(value)) return value
    if (Date.now() > until) throw new Error(`not within ${ms} ms: ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export interface ReceivedMail {
  to: string
  subject: string
  text: string
}

/** A real SMTP server on a free local port (no TLS, no sign-in) that parses every message it takes. */
export async function smtpServer(): Promise<{
  url: string
  mails: ReceivedMail[]
  close: () => Promise<void>
}> {
  const mails: ReceivedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to
          mails.push({ to: to?.text ?? '', subject: mail.subject ?? '', text: mail.text ?? '' })
          callback()
        })
        .catch(callback)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export interface GatewayRequest {
  authorization: string | undefined
  body: { to: string; from: string; text: string }
}

/** An HTTP SMS gateway on a free local port answering each request with the next status given. */
export async function smsGateway(statuses: () => number) {
  const requests: GatewayRequest[] = []
  const server: Server = createServer((req, res) => {
    let data = ''
    req.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8')
    })
    req.on('end', () => {
      requests.push({ authorization: req.headers.authorization, body: JSON.parse(data) })
      res.writeHead(statuses(), { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/send`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
