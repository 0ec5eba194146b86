import type { FeedSource, SourceModule } from '../source.js';
import { DocumentError, fetchMain } from '../source.js';
import { asArray, attr, child, parseXml, text } from './xml.js';
import { normaliseTextEntry, resolveLink, type TextEntry } from './text-entry.js';

/** The alternate (HTML) link of an Atom entry, else its first link. */
function atomLink(links: unknown[]): string {
  const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate' && attr(l, 'href'));
  return attr(alternate ?? links[0], 'href') ?? '';
}

function rssEntry(item: unknown, documentUrl: string): TextEntry {
  const guid = child(item, 'guid');
  const guidUrl = attr(guid, 'isPermaLink') === 'false' ? '' : text(guid);
  const link = text(child(item, 'link')) || (/^https?:\/\//.test(guidUrl) ? guidUrl : '');
  return {
    title: text(child(item, 'title')),
    link: resolveLink(link, documentUrl),
    summary: text(child(item, 'description')) || text(child(item, 'encoded')),
    date: text(child(item, 'pubDate')) || text(child(item, 'date')),
  };
}

function atomEntry(entry: unknown, documentUrl: string): TextEntry {
  return {
    title: text(child(entry, 'title')),
    link: resolveLink(atomLink(asArray(child(entry, 'link'))), documentUrl),
    summary: text(child(entry, 'summary')) || text(child(entry, 'content')),
    date: text(child(entry, 'published')) || text(child(entry, 'updated')),
  };
}

/**
 * RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 feeds: lab blogs (tier B) and press (tier C). Each entry becomes
 * a text item; values are read from its title and summary by the rule extractor.
 */
export const feedSource: SourceModule<FeedSource, TextEntry> = {
  fetch: (config, ctx) => fetchMain(config.url, config, ctx),

  parse(docs) {
    const doc = parseXml(docs.main.body);
    const at = docs.main.url;
    const rss = child(doc, 'rss');
    if (rss) return asArray(child(child(rss, 'channel'), 'item')).map((i) => rssEntry(i, at));
    const rdf = child(doc, 'RDF');
    if (rdf) return asArray(child(rdf, 'item')).map((i) => rssEntry(i, at));
    const feed = child(doc, 'feed');
    if (feed !== undefined) return asArray(child(feed, 'entry')).map((e) => atomEntry(e, at));
    throw new DocumentError(`not an RSS or Atom feed (root element: ${Object.keys(doc).find((k) => !k.startsWith('?')) ?? 'none'})`);
  },

  normalise: (entry, config, fetchedAt) => normaliseTextEntry(entry, config, fetchedAt),
};
