/**
 * Generated feeds for crash tests and the ingestion bench: `n` RSS items with unique links, one in three
 * carrying a benchmark score the rule extractor reads.
 */
export function generateRss(n: number, opts: { host?: string; titlePrefix?: string } = {}): string {
  const host = opts.host ?? 'news.example';
  const prefix = opts.titlePrefix ?? 'Lab update';
  const items: string[] = [];
  const day = Date.UTC(2025, 0, 1);
  for (let i = 0; i < n; i++) {
    const score = `${50 + (i % 40)}.${i % 10}%`;
    const summary =
      i % 3 === 0
        ? `Model ${i} scores ${score} on SWE-bench Verified, the lab says.`
        : `Notes from the lab, part ${i}: progress on tooling &amp; evaluation.`;
    items.push(
      `<item><title>${prefix} ${i}</title><link>https://${host}/item/${i}</link>` +
        `<description>${summary}</description><pubDate>${new Date(day + (i % 300) * 86_400_000).toUTCString()}</pubDate></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Generated</title><link>https://${host}/</link><description>g</description>${items.join('')}</channel></rss>`;
}
