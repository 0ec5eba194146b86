import type { Command } from 'commander';
import { z } from 'zod';
import { fail, printJson, withContext } from './run.js';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('create, list and revoke API keys');
  keys
    .command('create')
    .description('create a key; its secret is printed once')
    .requiredOption('--name <name>', 'who or what the key is for')
    .option('--role <role>', 'reader or admin', 'reader')
    .option('--rate-limit <n>', 'requests per minute for this key')
    .action(async (opts: { name: string; role: string; rateLimit?: string }) => {
      const parsed = z
        .object({
          name: z.string().trim().min(1).max(100),
          role: z.enum(['reader', 'admin']),
          rateLimit: z.coerce.number().int().positive().optional(),
        })
        .safeParse(opts);
      if (!parsed.success) fail(`invalid option: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
      await withContext(async (ctx) => {
        const created = await ctx.services.apiKeys.create({
          name: parsed.data.name,
          role: parsed.data.role,
          rate_limit_per_minute: parsed.data.rateLimit ?? null,
        });
        printJson({ ...created.key, secret: created.secret });
      });
    });
  keys
    .command('list')
    .description('list keys (never their secrets)')
    .option('--all', 'include revoked keys')
    .action(async (opts: { all?: boolean }) => {
      await withContext(async (ctx) => printJson(await ctx.services.apiKeys.list({ limit: 100, includeRevoked: opts.all })));
    });
  keys
    .command('revoke <id>')
    .description('revoke a key by id')
    .action(async (id: string) => {
      if (!/^\d+$/.test(id)) fail('id must be a positive integer');
      await withContext(async (ctx) => {
        const revoked = await ctx.services.apiKeys.revoke(Number(id));
        if (!revoked) fail(`no active key with id ${id}`);
        printJson(revoked);
      });
    });
}
