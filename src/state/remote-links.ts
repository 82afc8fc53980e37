// A client's remote links (forms the client fills in on their own phone or computer), asked of the
// server when shown: nothing about them, and never the address they went to, is kept on the device.
import type { Static } from 'typebox'
import type {
  CreatedRemoteLink,
  CreateRemoteLinkBody,
  RemoteChannels as RemoteChannelsSchema,
  RemoteLinkView,
} from '../core/remote-links.ts'
import { apiJson } from './online-api.ts'

export type { CreatedRemoteLink }
export type NewRemoteLink = CreateRemoteLinkBody
/** Which channels the server is set up for; showing a QR code always works. */
export type RemoteChannels = Static<typeof RemoteChannelsSchema>

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
