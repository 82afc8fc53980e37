import { loadRemoteLinkWords } from '../../../i18n/index.ts'

/** The remote-link section with its words: both load when a client's page first shows it. */
export async function loadRemoteLinks() {
  const [module] = await Promise.all([import('./RemoteLinks.tsx'), loadRemoteLinkWords()])
  return { default: module.RemoteLinks }
}
