import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { healthRoutes } from './health.js';
import { webRoutes } from './web.js';
import { ingestRoutes } from './ingest.js';
import { apiKeyRoutes } from './api-keys.js';
import { auditLogRoutes } from './audit-logs.js';
import { indexRoutes } from './agi-index.js';
import { signpostRoutes } from './signposts.js';
import { eventRoutes } from './events.js';
import { evidenceRoutes } from './evidence.js';
import { changelogRoutes } from './changelog.js';
import { forecastRoutes } from './forecasts.js';
import { feedRoutes } from './feeds.js';
import { exportRoutes } from './exports.js';
import { curationRoutes } from './curation.js';
import { docsRoutes } from './docs.js';
import { chatRoutes } from './chat.js';
import { semanticSearchRoutes } from './semantic-search.js';
import { llmAdminRoutes } from './llm-admin.js';

/** Every resource's routes, one plugin per file. */
export async function registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(healthRoutes, { ctx });
  await app.register(apiKeyRoutes, { ctx });
  await app.register(auditLogRoutes, { ctx });
  await app.register(indexRoutes, { ctx });
  await app.register(signpostRoutes, { ctx });
  await app.register(eventRoutes, { ctx });
  await app.register(evidenceRoutes, { ctx });
  await app.register(changelogRoutes, { ctx });
  await app.register(forecastRoutes, { ctx });
  await app.register(feedRoutes, { ctx });
  await app.register(exportRoutes, { ctx });
  await app.register(curationRoutes, { ctx });
  await app.register(docsRoutes);
  await app.register(chatRoutes, { ctx });
  await app.register(semanticSearchRoutes, { ctx });
  await app.register(llmAdminRoutes, { ctx });
  await app.register(ingestRoutes, { ctx });
  // The web app (dist/web) answers only GET paths outside /v1 that no API route claims.
  await app.register(webRoutes, { ctx });
}
