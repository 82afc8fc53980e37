// The administration's sections, each at its own address under /admin (the menu lists them in this order).
export const ADMIN_SECTIONS = [
  'staff',
  'units',
  'directory',
  'tablets',
  'settings',
  'text-packs',
  'audit',
  'access-log',
] as const
export type AdminSection = (typeof ADMIN_SECTIONS)[number]

export const isAdminSection = (s: string | undefined): s is AdminSection =>
  (ADMIN_SECTIONS as readonly string[]).includes(s ?? '')

/** i18n key of each section's name in the menu. */
export const SECTION_LABEL: Record<AdminSection, string> = {
  staff: 'adminNav.staff',
  units: 'adminNav.units',
  directory: 'adminNav.directory',
  tablets: 'adminNav.tablets',
  settings: 'adminNav.settings',
  'text-packs': 'adminNav.textPacks',
  audit: 'adminNav.audit',
  'access-log': 'adminNav.accessLog',
}
