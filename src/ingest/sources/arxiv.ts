import type { ArxivSource, SourceModule } from '../source.js';
import { DocumentError, fetchMain } from '../source.js';
import { asArray, attr, child, parseXml, text } from './xml.js';
import { normaliseTextEntry, resolveLink, type TextEntry } from './text-entry.js';

/**
 * The arXiv API (an Atom feed of search results). Entries are papers (tier A); the abstract is the
 * summary. arXiv reports a bad query as a feed whose single entry is an error: that is a document error,
 * not a paper.
 */
export const arxivSource: SourceModule<ArxivSource, TextEntry> = {
  fetch: (config, ctx) => fetchMain(config.url, { min_interval_ms: config.min_interval_ms ?? 3_000 }, ctx),

  parse(docs) {
    const feed = child(parseXml(docs.main.body), 'feed');
    if (feed === undefined) throw new DocumentError('not an Atom feed: the arXiv API answers with <feed>');
    const entries = asArray(child(feed, 'entry'));
    const error = entries.find((e) => text(child(e, 'id')).includes('/api/errors'));
    if (error) throw new DocumentError(`arXiv API error: ${text(child(error, 'summary')) || text(child(error, 'title'))}`);
    return entries.map((e) => {
      const links = asArray(child(e, 'link'));
      const html = links.find((l) => attr(l, 'rel') === 'alternate' || attr(l, 'type') === 'text/html');
      const abs = attr(html, 'href') ?? text(child(e, 'id'));
      return {
        title: text(child(e, 'title')),
        // The API still names papers with http:// links; arxiv.org serves them over https.
        link: resolveLink(abs, docs.main.url).replace(/^http:\/\/arxiv\.org\//, 'https://arxiv.org/'),
        summary: text(child(e, 'summary')),
        date: text(child(e, 'published')) || text(child(e, 'updated')),
      };
    });
  },

  normalise: (entry, config, fetchedAt) => normaliseTextEntry(entry, config, fetchedAt),
};
