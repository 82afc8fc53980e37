// Issue 17 in the practitioner's app: how a link's sending is told, which addresses the dialog
// sends on, and that every refusal and state has words in nb, nn and en.
import { describe, expect, it } from 'vitest'
import { REMOTE_LINK_STATES as LINK_STATES } from '../../src/core/remote-link-codes.ts'
import type { DeliveryView as RemoteDelivery } from '../../src/core/remote-links.ts'
import { initI18n, loadRemoteLinkWords } from '../../src/i18n/index.ts'
import {
  canRemind,
  cleanAddress,
  deliveriesToTell,
  deliveryState,
  type RemoteLinkView,
} from '../../src/state/remote-link-rules.ts'
import { SyncHttpError } from '../../src/sync/index.ts'
import { remoteErrorText } from '../../src/ui/clients/remote/remote-errors.ts'

const delivery = (over: Partial<RemoteDelivery>): RemoteDelivery => ({
  kind: 'link',
  status: 'pending',
  attempts: 0,
  lastError: null,
  at: '2026-11-28T10:00:00.000Z',
  ...over,
})

const link = (over: Partial<RemoteLinkView>): RemoteLinkView => ({
  id: 'l1',
  clientId: 'c1',
  episodeId: 'e1',
  session: 3,
  instrumentId: 'ORS',
  rater: 'client',
  locale: 'nb',
  channel: 'email',
  state: 'waiting',
  createdAt: '2026-11-28T10:00:00.000Z',
  expiresAt: '2026-12-05T10:00:00.000Z',
  completedAt: null,
  administrationId: null,
  reminderSentAt: null,
  deliveries: [],
  ...over,
})

describe('a link’s sending, as the practitioner is told it', () => {
  it('a first try on its way is "sending", a failed try that will be made again "retrying"', () => {
    expect(deliveryState(delivery({}))).toBe('sending')
    expect(deliveryState(delivery({ attempts: 2, lastError: 'no answer' }))).toBe('retrying')
    expect(deliveryState(delivery({ status: 'sent', attempts: 1 }))).toBe('sent')
    expect(deliveryState(delivery({ status: 'failed', attempts: 5 }))).toBe('failed')
  })

  it('tells the latest try of each message, link first, and nothing once the link no longer waits or was only shown', () => {
    const waiting = link({
      deliveries: [
        delivery({ kind: 'reminder', status: 'sent', at: '2026-11-29T10:00:00.000Z' }),
        delivery({ kind: 'code', status: 'failed', at: '2026-11-28T10:00:01.000Z' }),
        delivery({ kind: 'link', status: 'pending', at: '2026-11-28T10:00:00.000Z' }),
        delivery({ kind: 'link', status: 'sent', at: '2026-11-28T10:05:00.000Z' }),
      ],
    })
    expect(deliveriesToTell(waiting).map((d) => `${d.kind}:${d.status}`)).toEqual([
      'link:sent',
      'code:failed',
      'reminder:sent',
    ])
    expect(deliveriesToTell({ ...waiting, state: 'completed' })).toEqual([])
    expect(deliveriesToTell({ ...waiting, channel: 'show' })).toEqual([])
  })

  it('one reminder, by e-mail or SMS, while the link waits', () => {
    expect(canRemind(link({}))).toBe(true)
    expect(canRemind(link({ channel: 'sms' }))).toBe(true)
    expect(canRemind(link({ channel: 'show' }))).toBe(false)
    expect(canRemind(link({ reminderSentAt: '2026-11-29T10:00:00.000Z' }))).toBe(false)
    for (const state of LINK_STATES.filter((s) => s !== 'waiting')) {
      expect(canRemind(link({ state }))).toBe(false)
    }
  })
})

describe('the address the dialog sends on', () => {
  it.each([
    ['email', ' kari@example.no ', 'kari@example.no'],
    ['email', 'kari@example', null],
    ['email', 'kari example.no', null],
    ['email', '', null],
    ['sms', '912 34 567', '91234567'],
    ['sms', '+47 912-34-567', '+4791234567'],
    ['sms', '0047 91234567', '004791234567'],
    ['sms', '1234', null],
    ['sms', 'kari@example.no', null],
  ] as const)('%s "%s" → %s', (channel, typed, sent) => {
    expect(cleanAddress(channel, typed)).toBe(sent)
  })
})

describe('words for remote links in nb, nn and en', () => {
  it('every state, channel and refusal has its own words in each language (no key shown as it is)', async () => {
    const i18n = await initI18n('nb')
    await loadRemoteLinkWords()
    const refusals = [
      'episode_ended',
      'episode_unknown',
      'client_unknown',
      'channel_off',
      'delivery_invalid',
      'rater_not_allowed',
      'link_not_waiting',
      'link_unknown',
      'reminder_already_sent',
      'reminder_not_possible',
    ]
    for (const locale of ['nb', 'nn', 'en'] as const) {
      await i18n.changeLanguage(locale)
      const seen = new Set<string>()
      for (const code of refusals) {
        const words = remoteErrorText(new SyncHttpError(409, code, { error: code }), i18n.t)
        expect(words).not.toMatch(/remote\.|Ukjent svar|Unknown answer/)
        seen.add(words)
      }
      expect(seen.size).toBe(refusals.length)
      for (const state of LINK_STATES) {
        expect(i18n.t(`remote.state.${state}`, { time: 'x' })).not.toContain('remote.')
      }
      expect(i18n.t('collectedBy.remote')).toBe(
        locale === 'en' ? 'Completed remotely' : 'Fjernutfylt',
      )
    }
    await i18n.changeLanguage('nb')
    expect(
      remoteErrorText(new SyncHttpError(409, 'episode_ended', { error: 'episode_ended' }), i18n.t),
    ).toBe('Forløpet er avsluttet. Start et nytt forløp før du sender en lenke.')
  })
})
