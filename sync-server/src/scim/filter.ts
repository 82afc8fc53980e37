// The one filter form SCIM clients such as Entra ID send to match a resource: `attribute eq "value"`.
import { Refusal } from '../refusal.ts'

export interface EqFilter {
  /** The attribute name, lower-cased (SCIM attribute names are case-insensitive). */
  attribute: string
  value: string
}

const EQ = /^\s*([A-Za-z][\w.]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i

/** `userName eq "kari@kommune.no"` → { attribute: 'username', value }; anything else is invalidFilter. */
export function parseEqFilter(filter: string, allowed: readonly string[]): EqFilter {
  const match = EQ.exec(filter)
  const attribute = match?.[1]?.toLowerCase()
  if (!match || attribute === undefined || !allowed.includes(attribute)) {
    throw new Refusal(
      400,
      'invalidFilter',
      `Only filters of the form <attribute> eq "<value>" on ${allowed.join(', ')} are supported.`,
    )
  }
  return { attribute, value: (match[2] ?? '').replace(/\\(.)/g, '$1') }
}
