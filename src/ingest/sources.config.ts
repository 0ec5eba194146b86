import { parseSources, type SourceConfig, type SourceConfigInput } from './source.js';

/**
 * The ingestion sources: real public endpoints, each with the evidence tier of what it publishes
 * (SPEC section 4: A papers and official leaderboards, B official lab announcements, C press).
 * Validated at load; tests point them at a local fixture server with `rebaseSources`.
 * Metric codes are the catalog's (`catalog/metrics.json`); a source whose metric the catalog lacks
 * fails its run with that reason.
 */

/** arXiv API search: the three categories, narrowed to abstracts that name a tracked benchmark or compute. */
function arxivQuery(categories: string[], phrases: string[]): string {
  const cats = categories.map((c) => `cat:${c}`).join(' OR ');
  const terms = phrases.map((p) => `abs:"${p}"`).join(' OR ');
  const params = new URLSearchParams({
    search_query: `(${cats}) AND (${terms})`,
    sortBy: 'submittedDate',
    sortOrder: 'descending',
    max_results: '100',
  });
  return `https://export.arxiv.org/api/query?${params.toString()}`;
}

const labFeed = (id: string, name: string, url: string, publisher: string): SourceConfigInput => ({
  id,
  name,
  kind: 'feed',
  url,
  tier: 'B',
  publisher,
  source_type: 'lab_post',
  keep: 'all',
});

const pressFeed = (id: string, name: string, url: string, publisher: string): SourceConfigInput => ({
  id,
  name,
  kind: 'feed',
  url,
  tier: 'C',
  publisher,
  source_type: 'press',
  keep: 'with_values',
});

const SOURCES: SourceConfigInput[] = [
  {
    id: 'arxiv',
    name: 'arXiv (cs.AI, cs.CL, cs.LG)',
    kind: 'arxiv',
    url: arxivQuery(
      ['cs.AI', 'cs.CL', 'cs.LG'],
      ['SWE-bench', 'OSWorld', 'WebArena', 'GPQA', 'Last Exam', 'ARC-AGI', 'training compute', 'FLOP'],
    ),
    tier: 'A',
    publisher: 'arXiv',
    // arXiv's API terms ask for no more than one request every three seconds.
    min_interval_ms: 3_000,
  },

  labFeed('openai-news', 'OpenAI News', 'https://openai.com/news/rss.xml', 'OpenAI'),
  labFeed('google-deepmind-blog', 'Google DeepMind Blog', 'https://deepmind.google/blog/rss.xml', 'Google DeepMind'),
  labFeed('google-ai-blog', 'Google: AI', 'https://blog.google/technology/ai/rss/', 'Google'),
  labFeed('google-research-blog', 'Google Research Blog', 'https://research.google/blog/rss/', 'Google Research'),
  labFeed('microsoft-research', 'Microsoft Research Blog', 'https://www.microsoft.com/en-us/research/feed/', 'Microsoft Research'),
  labFeed('hugging-face-blog', 'Hugging Face Blog', 'https://huggingface.co/blog/feed.xml', 'Hugging Face'),
  labFeed('nvidia-blog', 'NVIDIA Blog', 'https://blogs.nvidia.com/feed/', 'NVIDIA'),

  pressFeed(
    'mit-technology-review-ai',
    'MIT Technology Review: AI',
    'https://www.technologyreview.com/topic/artificial-intelligence/feed',
    'MIT Technology Review',
  ),
  pressFeed('the-verge-ai', 'The Verge: AI', 'https://www.theverge.com/rss/ai-artificial-intelligence/index.xml', 'The Verge'),
  pressFeed('ars-technica-ai', 'Ars Technica: AI', 'https://arstechnica.com/ai/feed/', 'Ars Technica'),
  pressFeed('techcrunch-ai', 'TechCrunch: AI', 'https://techcrunch.com/category/artificial-intelligence/feed/', 'TechCrunch'),
  pressFeed('venturebeat-ai', 'VentureBeat: AI', 'https://venturebeat.com/category/ai/feed/', 'VentureBeat'),

  {
    id: 'swe-bench-verified',
    name: 'SWE-bench Verified leaderboard',
    kind: 'leaderboard',
    // The data file the official leaderboard page (swebench.com) renders.
    url: 'https://raw.githubusercontent.com/SWE-bench/swe-bench.github.io/master/data/leaderboards.json',
    tier: 'A',
    publisher: 'SWE-bench',
    format: 'json',
    benchmark: 'SWE-bench Verified',
    metric: 'swe_bench_verified',
    rows: 'leaderboards[name=Verified].results',
    fields: {
      model: ['name'],
      score: ['resolved'],
      date: ['date'],
      url: 'https://github.com/SWE-bench/experiments/tree/main/evaluation/verified/{folder}',
    },
    score_scale: 'percent',
    page: 'https://www.swebench.com/',
  },
  {
    id: 'arc-agi-1',
    name: 'ARC Prize leaderboard: ARC-AGI-1 (semi-private)',
    kind: 'leaderboard',
    // The files the official leaderboard page (arcprize.org/leaderboard) renders.
    url: 'https://arcprize.org/media/data/leaderboard/evaluations.json',
    tier: 'A',
    publisher: 'ARC Prize',
    format: 'json',
    benchmark: 'ARC-AGI-1',
    metric: 'arc_agi_1',
    filter: [{ field: 'datasetId', equals: 'v1_Semi_Private' }],
    fields: { model: ['modelId'], score: ['score'], date: ['date', 'submissionDate'] },
    score_scale: 'fraction',
    page: 'https://arcprize.org/leaderboard',
    names: { url: 'https://arcprize.org/media/data/leaderboard/models.json', id: 'id', name: 'displayName' },
  },
  {
    id: 'arc-agi-2',
    name: 'ARC Prize leaderboard: ARC-AGI-2 (semi-private)',
    kind: 'leaderboard',
    url: 'https://arcprize.org/media/data/leaderboard/evaluations.json',
    tier: 'A',
    publisher: 'ARC Prize',
    format: 'json',
    benchmark: 'ARC-AGI-2',
    metric: 'arc_agi_2',
    filter: [{ field: 'datasetId', equals: 'v2_Semi_Private' }],
    fields: { model: ['modelId'], score: ['score'], date: ['date', 'submissionDate'] },
    score_scale: 'fraction',
    page: 'https://arcprize.org/leaderboard',
    names: { url: 'https://arcprize.org/media/data/leaderboard/models.json', id: 'id', name: 'displayName' },
  },
  {
    id: 'webarena',
    name: 'WebArena leaderboard',
    kind: 'leaderboard',
    // CSV export of the leaderboard spreadsheet linked from webarena.dev.
    url: 'https://docs.google.com/spreadsheets/d/1M801lEpBbKSNwP-vDBkC_pF7LdyGU1f_ufZb_NWNBZQ/export?format=csv&gid=0',
    tier: 'A',
    publisher: 'WebArena',
    format: 'csv',
    benchmark: 'WebArena',
    metric: 'webarena',
    fields: { model: ['Model'], score: ['Success Rate (%)'], date: ['Release Date', 'Date', 'a'] },
    score_scale: 'percent',
    page: 'https://webarena.dev/',
  },
  {
    id: 'gpqa-diamond-epoch',
    name: 'GPQA Diamond (Epoch AI Benchmarking Hub runs)',
    kind: 'leaderboard',
    // GPQA has no official leaderboard; Epoch AI runs it on every notable model with a published,
    // reproducible setup and publishes every run.
    url: 'https://epoch.ai/data/benchmarks.csv',
    tier: 'A',
    publisher: 'Epoch AI',
    format: 'csv',
    benchmark: 'GPQA Diamond',
    metric: 'gpqa_diamond',
    filter: [{ field: 'task', starts_with: 'GPQA diamond' }],
    fields: {
      model: ['Unique display name', 'Display name', 'Model', 'model'],
      score: ['mean_score', 'Best score (across scorers)', 'best_score'],
      date: ['Release date', 'started_at'],
    },
    score_scale: 'fraction',
    page: 'https://epoch.ai/benchmarks/gpqa-diamond',
  },
  {
    id: 'epoch-notable-models',
    name: 'Epoch AI: notable AI models (training compute)',
    kind: 'epoch_models',
    url: 'https://epoch.ai/data/notable_ai_models.csv',
    tier: 'A',
    publisher: 'Epoch AI',
    metric: 'training_compute_flop',
    min_value: 1e24,
    page: 'https://epoch.ai/data/notable-ai-models',
  },
];

/**
 * What the brief names but has no machine-readable official source we can read, and where that
 * evidence comes from instead. Shown by `agi-tracker ingest --list` and in docs/ingestion.md.
 */
export const UNAVAILABLE_SOURCES: ReadonlyArray<{ name: string; reason: string }> = [
  {
    name: 'OSWorld leaderboard',
    reason:
      'official data is published only as XLSX (os-world.github.io/static/data/osworld_verified_results.xlsx) and no spreadsheet reader is a dependency; OSWorld results arrive through lab posts and arXiv papers',
  },
  {
    name: "Humanity's Last Exam leaderboard",
    reason:
      'no official machine-readable data (lastexam.ai and Scale show rendered tables only); HLE results arrive through lab posts and arXiv papers',
  },
  {
    name: 'Anthropic news',
    reason:
      'no official RSS or Atom feed is linked from anthropic.com/news; the guessed /rss.xml and /news/rss.xml have been reported to answer 404',
  },
  { name: 'Meta AI blog', reason: 'no official RSS or Atom feed found for ai.meta.com/blog' },
  { name: 'Mistral AI news', reason: 'no official RSS or Atom feed found for mistral.ai/news' },
];

/** The configured sources, validated. */
export function defaultSources(): SourceConfig[] {
  return parseSources(SOURCES);
}
