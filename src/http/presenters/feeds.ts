import { z } from 'zod';
import { XMLBuilder } from 'fast-xml-parser';
import { TIERS } from '../../domain/catalog.js';
import type { EventJson } from './event.js';

/** Feeds of the events list: JSON Feed 1.1 and Atom 1.0 (RFC 4287), both with next-page links. */

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';
const TITLE = 'AGI Tracker: evidence';
const FEED_ID = 'urn:agi-tracker:feed:events';

export interface FeedPage {
  items: EventJson[];
  /** Path and query of this page and of the next one (relative: the server does not trust Host for links). */
  selfPath: string;
  nextPath: string | null;
  tiers: string[];
}

const eventUrn = (id: number) => `urn:agi-tracker:event:${id}`;

function description(e: EventJson): string {
  const links = e.observations.map((o) => `${o.signpost} = ${o.value} (${o.status})`);
  const tier = `Tier ${e.tier}${e.verified ? '' : ' (unverified)'}; ${e.publisher}`;
  return [e.summary, tier, links.length ? `Signposts: ${links.join('; ')}` : ''].filter(Boolean).join('\n\n');
}

export const JsonFeedSchema = z.object({
  version: z.literal(JSON_FEED_VERSION),
  title: z.string(),
  description: z.string(),
  feed_url: z.string(),
  next_url: z.string().optional(),
  language: z.string(),
  items: z.array(
    z.object({
      id: z.string(),
      url: z.string(),
      title: z.string(),
      content_text: z.string(),
      summary: z.string(),
      date_published: z.string(),
      authors: z.array(z.object({ name: z.string() })),
      tags: z.array(z.string()),
      _agi_tracker: z.object({ event_id: z.number().int(), tier: z.enum(TIERS), verified: z.boolean(), source_type: z.string() }),
    }),
  ),
});

export function jsonFeed(p: FeedPage): z.infer<typeof JsonFeedSchema> {
  return {
    version: JSON_FEED_VERSION,
    title: TITLE,
    description: `Evidence events of tiers ${p.tiers.join(', ')}, newest first.`,
    feed_url: p.selfPath,
    ...(p.nextPath ? { next_url: p.nextPath } : {}),
    language: 'en',
    items: p.items.map((e) => ({
      id: eventUrn(e.id),
      url: e.url,
      title: e.title,
      content_text: description(e),
      summary: e.summary,
      date_published: e.published_at,
      authors: [{ name: e.publisher }],
      tags: [`tier:${e.tier}`, ...new Set(e.observations.map((o) => o.signpost))],
      _agi_tracker: { event_id: e.id, tier: e.tier, verified: e.verified, source_type: e.source_type },
    })),
  };
}

/** XML 1.0 forbids most control characters even when escaped; drop them and lone surrogates. */
function xmlText(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true,
  processEntities: true,
});

export function atomFeed(p: FeedPage, updated: string): string {
  const links = [
    { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': xmlText(p.selfPath) },
    ...(p.nextPath ? [{ '@_rel': 'next', '@_type': 'application/atom+xml', '@_href': xmlText(p.nextPath) }] : []),
  ];
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    feed: {
      '@_xmlns': 'http://www.w3.org/2005/Atom',
      id: FEED_ID,
      title: TITLE,
      subtitle: xmlText(`Evidence events of tiers ${p.tiers.join(', ')}, newest first.`),
      updated,
      link: links,
      author: { name: 'AGI Tracker' },
      entry: p.items.map((e) => ({
        id: eventUrn(e.id),
        title: { '@_type': 'text', '#text': xmlText(e.title) },
        link: { '@_rel': 'alternate', '@_href': xmlText(e.url) },
        published: e.published_at,
        updated: e.retracted_at ?? e.published_at,
        author: { name: xmlText(e.publisher) },
        category: [{ '@_term': `tier:${e.tier}` }, ...[...new Set(e.observations.map((o) => o.signpost))].map((c) => ({ '@_term': c }))],
        summary: { '@_type': 'text', '#text': xmlText(description(e)) },
      })),
    },
  };
  return builder.build(doc) as string;
}
