/**
 * The response-cache tags of the tracker's read API, in one place: routes declare them, mutations
 * invalidate exactly the ones whose data they changed.
 *
 * - `events`: every list of events (list, search, feeds, exports): event rows and their approved links;
 * - `event:<id>`: one event's page;
 * - `evidence`: the observations list;
 * - `index`: anything computed from the ledger (index, history, custom weights, signpost progress, forecast status);
 * - `signposts`, `signpost:<code>`: the signpost directory and one signpost's page;
 * - `changelog`, `forecasts`: those lists.
 */
export const CacheTags = {
  events: 'events',
  event: (id: number | string) => `event:${id}`,
  evidence: 'evidence',
  index: 'index',
  signposts: 'signposts',
  signpost: (code: string) => `signpost:${code}`,
  changelog: 'changelog',
  forecasts: 'forecasts',
} as const;

/** Tags a change of the evidence ledger invalidates. */
export function ledgerChangeTags(change: {
  eventIds?: readonly number[];
  signposts?: readonly string[];
  /** The change can move scores (A/B observations approved, retracted or imported). */
  scoring: boolean;
  changelog: boolean;
}): string[] {
  const tags = new Set<string>([CacheTags.events, CacheTags.evidence]);
  for (const id of change.eventIds ?? []) tags.add(CacheTags.event(id));
  for (const code of change.signposts ?? []) tags.add(CacheTags.signpost(code));
  if (change.scoring) {
    tags.add(CacheTags.index);
    tags.add(CacheTags.signposts);
    tags.add(CacheTags.forecasts);
  }
  if (change.changelog) tags.add(CacheTags.changelog);
  return [...tags];
}
