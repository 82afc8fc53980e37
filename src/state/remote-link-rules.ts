// What the practitioner's screens decide about remote links without the server: the words a
// link's sending is told in, and which addresses the dialog sends on.
import type { InstrumentId, Rater } from '../core/types.ts'

export const REMOTE_CHANNELS = ['email', 'sms', 'show'] as const
export type RemoteChannel = (typeof REMOTE_CHANNELS)[number]

export const LINK_STATES = ['waiting', 'completed', 'expired', 'revoked', 'locked'] as const
export type RemoteLinkState = (typeof LINK_STATES)[number]

export interface RemoteDelivery {
  kind: 'link' | 'code' | 'reminder'
  status: 'pending' | 'sent' | 'failed'
  attempts: number
  /** Why the last try failed, in words for the practitioner; never the address. */
  lastError: string | null
  at: string
}

/** One link as the server shows it (the contract's RemoteLinkView). */
export interface RemoteLinkView {
  id: string
  clientId: string
  episodeId: string
  session: number
  instrumentId: InstrumentId
  rater: Rater
  locale: string
  channel: RemoteChannel
  state: RemoteLinkState
  createdAt: string
  expiresAt: string
  completedAt: string | null
  administrationId: string | null
  reminderSentAt: string | null
  deliveries: RemoteDelivery[]
}

/** How one message is getting on, as the practitioner is told it. */
export type DeliveryState = 'sending' | 'retrying' | 'sent' | 'failed'

export function deliveryState(delivery: RemoteDelivery): DeliveryState {
  if (delivery.status === 'sent') return 'sent'
  if (delivery.status === 'failed') return 'failed'
  // Still pending: a first try on its way, or tries that failed and will be made again.
  return delivery.attempts > 0 ? 'retrying' : 'sending'
}

/**
 * The messages worth telling about: the latest of each kind (a retried message is one message),
 * and only while the link waits: once used, revoked or expired its sending no longer matters.
 */
export function deliveriesToTell(link: RemoteLinkView): RemoteDelivery[] {
  if (link.state !== 'waiting' || link.channel === 'show') return []
  const latest = new Map<RemoteDelivery['kind'], RemoteDelivery>()
  for (const d of link.deliveries) {
    const seen = latest.get(d.kind)
    if (!seen || seen.at <= d.at) latest.set(d.kind, d)
  }
  const order: RemoteDelivery['kind'][] = ['link', 'code', 'reminder']
  return order.flatMap((kind) => latest.get(kind) ?? [])
}

/** Whether sending is still under way, so the screen asks again in a moment. */
export function stillSending(link: RemoteLinkView): boolean {
  return deliveriesToTell(link).some((d) => d.status === 'pending')
}

/** A reminder can be sent once, by the channel the link went by, while the link waits. */
export function canRemind(link: RemoteLinkView): boolean {
  return link.state === 'waiting' && link.channel !== 'show' && link.reminderSentAt === null
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * The address as it is sent (spaces and dashes dropped from a phone number), or null when it is
 * not one the channel can use: the dialog says so before asking the server.
 */
export function cleanAddress(channel: 'email' | 'sms', typed: string): string | null {
  const text = typed.trim()
  if (channel === 'email') return text.length <= 254 && EMAIL.test(text) ? text : null
  const number = text.replace(/[\s-]/g, '')
  // Eight digits (a Norwegian mobile number) or an international number with its country code.
  return /^(\d{8}|\+\d{8,15}|00\d{8,15})$/.test(number) ? number : null
}

/** "ABCDE-FGHJK": the short code in two halves, however the server wrote it. */
export function formatShortCode(code: string): string {
  const plain = code.replace(/[\s-]/g, '').toUpperCase()
  return plain.length === 10 ? `${plain.slice(0, 5)}-${plain.slice(5)}` : code
}
