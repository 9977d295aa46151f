/** The Cron Trigger: one bounded, resumable step of reconciling the D1 index with KV (see `reconcile.ts`). */
import { getConfig } from '../config.ts';
import { StorageUnavailableError } from '../storage/failures.ts';
import { indexDb } from '../storage/index-db.ts';
import { reconcile } from './reconcile.ts';

export async function reconcileOnSchedule(_controller: ScheduledController, env: Env): Promise<void> {
  const config = getConfig(env);
  try {
    const report = await reconcile(env.ARTICLES, indexDb(env.INDEX, config.d1TimeoutMs), {
      pages: config.reconcilePages,
      reads: config.reconcileReads,
      kvOptions: config.kvOptions,
      context: { writer: 'cron', trustMs: config.indexTrustMs },
    });
    console.log(JSON.stringify({ event: 'index.reconcile', ...report }));
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    console.error(JSON.stringify({ event: 'index.reconcile_failed', error: error.message }));
  }
}
