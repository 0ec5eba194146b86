import type { SourceConfig, SourceModule } from '../source.js';
import { arxivSource } from './arxiv.js';
import { epochModelsSource } from './epoch-models.js';
import { feedSource } from './feed.js';
import { leaderboardSource } from './leaderboard.js';

const MODULES = {
  feed: feedSource,
  arxiv: arxivSource,
  leaderboard: leaderboardSource,
  epoch_models: epochModelsSource,
} as const;

/** The module that reads a source of this kind. */
export function sourceModule(config: SourceConfig): SourceModule {
  return MODULES[config.kind] as unknown as SourceModule;
}
