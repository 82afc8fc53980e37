// A client's remote links (forms the client fills in on their own phone or computer), asked of the
// server when shown: nothing about them, and never the address they went to, is kept on the device.
import type { InstrumentId, Rater } from '../core/types.ts'
import { apiJson } from './online-api.ts'
import type { RemoteLinkView } from './remote-link-rules.ts'

/** Which channels the server is set up for; showing a QR code always works. */
export interface RemoteChannels {
  email: boolean
  sms: boolean
}

export interface NewRemoteLink {
  clientId: string
  episodeId: string
  session: number
  instrumentId: InstrumentId
  rater: Rater
  /** nb, nn, en, or a language the organisation's text pack adds. */
  locale: string
  delivery:
    | { channel: 'show'; code: 'tell' }
    | { channel: 'email' | 'sms'; to: string; code: 'tell' | 'message' }
}

/** The answer to a new link: the address, short code and 6-digit code come this once, never again. */
export interface CreatedRemoteLink {
  link: RemoteLinkView
  url: string
  shortCode: string
  code: string
}

export function fetchRemoteChannels(): Promise<RemoteChannels> {
  return apiJson<RemoteChannels>('/api/remote-links/channels')
}

export async function fetchRemoteLinks(clientId: string): Promise<RemoteLinkView[]> {
  const answer = await apiJson<{ links: RemoteLinkView[] }>(
    `/api/remote-links?clientId=${encodeURIComponent(clientId)}`,
  )
  return answer.links
}

export function createRemoteLink(input: NewRemoteLink): Promise<CreatedRemoteLink> {
  return apiJson<CreatedRemoteLink>('/api/remote-links', { method: 'POST', body: input })
}

export async function revokeRemoteLink(id: string): Promise<RemoteLinkView> {
  const answer = await apiJson<{ link: RemoteLinkView }>(
    `/api/remote-links/${encodeURIComponent(id)}/revoke`,
    { method: 'POST', body: {} },
  )
  return answer.link
}

/** The one reminder; the address is asked again because the server never keeps it. */
export async function remindRemoteLink(id: string, to: string): Promise<RemoteLinkView> {
  const answer = await apiJson<{ link: RemoteLinkView }>(
    `/api/remote-links/${encodeURIComponent(id)}/remind`,
    { method: 'POST', body: { to } },
  )
  return answer.link
}
