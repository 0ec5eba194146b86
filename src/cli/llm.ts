import type { Command } from 'commander';
import { LLM_JOBS, llmJob } from '../jobs/llm-jobs.js';
import { fail, printJson, withContext } from './run.js';

/**
 * `budget`: today's LLM budget as JSON, the same document as GET /v1/admin/llm-budget (exit 1 with a
 * message when the budget store is unreachable). `llm run <job>`: runs one LLM job now, in this process.
 */
export function registerLlm(program: Command): void {
  program
    .command('budget')
    .description("print today's LLM budget (same JSON as GET /v1/admin/llm-budget)")
    .action(async () => {
      await withContext(async (ctx) => printJson(await ctx.llm.budget.status()));
    });

  const llm = program.command('llm').description('LLM jobs: embeddings, event analysis, mapping assist, weekly digest');
  llm
    .command('jobs')
    .description('list the LLM jobs and their schedules')
    .action(() => printJson(LLM_JOBS.map((j) => ({ name: j.name, schedule: j.schedule, description: j.description }))));
  llm
    .command('run <job>')
    .description(`run one LLM job now (${LLM_JOBS.map((j) => j.name).join(', ')})`)
    .action(async (name: string) => {
      const job = llmJob(name) ?? llmJob(`llm.${name}`);
      if (!job) fail(`unknown job "${name}"; one of: ${LLM_JOBS.map((j) => j.name).join(', ')}`);
      await withContext(async (ctx) => printJson({ job: job.name, result: (await job.run(ctx)) ?? null }));
    });
}
