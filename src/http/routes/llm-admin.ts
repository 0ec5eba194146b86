import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';

/** Exactly the seed guide's fields. */
const BudgetStatus = z.object({
  date: z.string(),
  llm_spend_usd: z.number(),
  embedding_spend_usd: z.number(),
  total_spend_usd: z.number(),
  warning_threshold_usd: z.number(),
  hard_limit_usd: z.number(),
  at_warning: z.boolean(),
  blocked: z.boolean(),
});

/** Admin views of the LLM layer: today's budget, and an on-demand event analysis. */
export const llmAdminRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { audit, llmTasks } = ctx.services;

  app.get(
    '/v1/admin/llm-budget',
    {
      config: { policy: { auth: 'admin' } },
      schema: {
        tags: ['admin'],
        summary: "Today's LLM and embedding spend against the warning and hard limits (UTC day); 503 when the budget store is unreachable",
        response: { 200: BudgetStatus },
      },
    },
    async (req) => audit.audited({ req, action: 'read_llm_budget', resource_type: 'llm_budget' }, () => ctx.llm.budget.status()),
  );

  app.post(
    '/v1/admin/events/:id/analyse',
    {
      config: { policy: { auth: 'admin', rateLimit: 'strict' } },
      schema: {
        tags: ['admin'],
        summary: 'Run the LLM event analysis now (consensus when two providers are configured); 503 when the budget is exhausted',
        params: z.object({
          id: z
            .string()
            .regex(/^\d{1,9}$/, 'id must be a positive integer')
            .transform(Number),
        }),
        response: { 200: z.object({ event_id: z.number().int(), analysis: z.record(z.string(), z.unknown()) }) },
      },
    },
    async (req) => {
      const analysis = await audit.audited(
        { req, action: 'analyse_event', resource_type: 'event', resource_id: req.params.id },
        () => llmTasks.analyseEvent(req.params.id, { requestId: req.id, failOnBudget: true }),
        (a) => ({ details: { method: a.method } }),
      );
      return { event_id: req.params.id, analysis };
    },
  );
};
