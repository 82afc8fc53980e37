// Remote forms (a link the client opens on their own phone or computer): the API's bodies and
// answers as TypeBox schemas, the one declaration the server validates with and the app's types.
import { type Static, type TSchema, Type } from 'typebox'
import { RecordId } from './record-schemas.ts'
import {
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
  REMOTE_CHANNELS,
  REMOTE_LINK_STATES,
} from './remote-link-codes.ts'
import { INSTRUMENT_IDS, RATERS } from './types.ts'

const CLOSED = { additionalProperties: false } as const
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])
/** A language tag: nb, nn, en, or a text pack's language (so, ar, pt-BR …). */
export const RemoteLocale = Type.String({
  minLength: 2,
  maxLength: 20,
  pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
})
/** 32 random bytes, base64url. */
export const RemoteToken = Type.String({
  minLength: 43,
  maxLength: 43,
  pattern: '^[A-Za-z0-9_-]{43}$',
})
/** Ten Crockford characters, with an optional dash or space in the middle; any case. */
export const ShortCode = Type.String({
  minLength: 10,
  maxLength: 12,
  pattern: '^[0-9A-Za-z]{5}[ -]?[0-9A-Za-z]{5}$',
})
export const RemoteCode = Type.String({ minLength: 6, maxLength: 6, pattern: '^[0-9]{6}$' })
/** An e-mail address or a phone number (+47 …): kept only until the message is sent. */
export const DeliveryAddress = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: '^[^\\u0000\\r\\n]+$',
})

export const RemoteDelivery = Type.Object(
  {
    channel: Type.Enum(REMOTE_CHANNELS),
    to: Type.Optional(DeliveryAddress),
    /** 'tell': the practitioner gives the code; 'message': a second message carries it. */
    code: Type.Union([Type.Literal('tell'), Type.Literal('message')]),
  },
  CLOSED,
)

export const CreateRemoteLinkBody = Type.Object(
  {
    clientId: RecordId,
    episodeId: RecordId,
    session: Type.Integer({ minimum: 1, maximum: 10000 }),
    instrumentId: Type.Enum(INSTRUMENT_IDS),
    rater: Type.Enum(RATERS),
    locale: RemoteLocale,
    delivery: RemoteDelivery,
  },
  CLOSED,
)

export const DeliveryView = Type.Object(
  {
    kind: Type.Enum(DELIVERY_KINDS),
    status: Type.Enum(DELIVERY_STATUSES),
    attempts: Type.Integer(),
    /** In words fit for the practitioner; never the address. */
    lastError: Nullable(Type.String()),
    at: Type.String(),
  },
  CLOSED,
)

export const RemoteLinkView = Type.Object(
  {
    id: Type.String(),
    clientId: Type.String(),
    episodeId: Type.String(),
    session: Type.Integer(),
    instrumentId: Type.Enum(INSTRUMENT_IDS),
    rater: Type.Enum(RATERS),
    locale: Type.String(),
    channel: Type.Enum(REMOTE_CHANNELS),
    state: Type.Enum(REMOTE_LINK_STATES),
    createdAt: Type.String(),
    expiresAt: Type.String(),
    completedAt: Nullable(Type.String()),
    administrationId: Nullable(Type.String()),
    reminderSentAt: Nullable(Type.String()),
    deliveries: Type.Array(DeliveryView),
  },
  CLOSED,
)

export const CreatedRemoteLink = Type.Object(
  {
    link: RemoteLinkView,
    /** `${PUBLIC_URL}/r/#<token>`: given once, here, never again. */
    url: Type.String(),
    /** XXXXX-XXXXX. */
    shortCode: Type.String(),
    /** The six digits asked before the form is shown. */
    code: Type.String(),
  },
  CLOSED,
)

export const RemoteChannels = Type.Object({ email: Type.Boolean(), sms: Type.Boolean() }, CLOSED)

/** The link a public request names: its token (from the URL's fragment) or its short code. */
const LinkRef = {
  token: Type.Optional(RemoteToken),
  shortCode: Type.Optional(ShortCode),
}
export const RemoteStatusBody = Type.Object(LinkRef, CLOSED)
/**
 * The language the client chose on the page: nb, nn, en or the link's own (a text pack's); the
 * form's wording comes in it, and the answer records it. Absent: the link's language.
 */
const ChosenLocale = Type.Optional(
  Type.String({ minLength: 2, maxLength: 35, pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$' }),
)
export const RemoteOpenBody = Type.Object(
  { ...LinkRef, code: RemoteCode, locale: ChosenLocale },
  CLOSED,
)
/** The opened form again, in another language (the client switched it): no code asked again. */
export const RemoteFormBody = Type.Object(
  { ...LinkRef, formToken: RemoteToken, locale: ChosenLocale },
  CLOSED,
)
export const RemoteAnswerBody = Type.Object(
  {
    ...LinkRef,
    formToken: RemoteToken,
    items: Type.Record(Type.String({ maxLength: 40 }), Type.Number(), { maxProperties: 20 }),
    locale: ChosenLocale,
  },
  CLOSED,
)

export const RemoteStatusReply = Type.Object(
  {
    state: Type.Literal('waiting'),
    organisation: Type.String(),
    expiresAt: Type.String(),
    locale: Type.String(),
  },
  CLOSED,
)

export const RemoteFormItem = Type.Object(
  {
    id: Type.String(),
    label: Type.String(),
    description: Type.Optional(Type.String()),
    lowAnchor: Type.String(),
    highAnchor: Type.String(),
  },
  CLOSED,
)

export const RemoteForm = Type.Object(
  {
    instrumentId: Type.Enum(INSTRUMENT_IDS),
    instrumentVersion: Type.String(),
    locale: Type.String(),
    rater: Type.Enum(RATERS),
    title: Type.String(),
    /** Null with Linja's working labels (no licensed instructions loaded). */
    instructions: Type.Union([Type.String(), Type.Null()]),
    items: Type.Array(RemoteFormItem),
    faces: Type.Boolean(),
  },
  CLOSED,
)

export const RemoteOpenReply = Type.Object(
  { formToken: Type.String(), expiresAt: Type.String(), form: RemoteForm },
  CLOSED,
)
export const RemoteFormReply = Type.Object({ form: RemoteForm }, CLOSED)
export const RemoteAnswerReply = Type.Object({ state: Type.Literal('completed') }, CLOSED)

export type CreateRemoteLinkBody = Static<typeof CreateRemoteLinkBody>
export type RemoteLinkView = Static<typeof RemoteLinkView>
export type CreatedRemoteLink = Static<typeof CreatedRemoteLink>
export type RemoteStatusReply = Static<typeof RemoteStatusReply>
export type RemoteOpenReply = Static<typeof RemoteOpenReply>
export type RemoteForm = Static<typeof RemoteForm>
export type RemoteAnswerBody = Static<typeof RemoteAnswerBody>
export type RemoteFormBody = Static<typeof RemoteFormBody>
export type DeliveryView = Static<typeof DeliveryView>
