import { ENDINGS, type Ending, type EpisodeRecord } from '../../core/index.ts'
import {
  type Administration,
  type Client,
  type Episode,
  toCoreEpisode,
} from '../../storage/index.ts'

export { ENDINGS, type Ending }

/** The core's view of the episode for charts, or null when there is none. */
export function toCoreEpisodeSafe(
  episode: Episode | null,
  client: Client,
  records: Administration[],
): EpisodeRecord | null {
  return episode ? toCoreEpisode(episode, client, records) : null
}
