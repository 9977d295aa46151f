// Every workerd test file starts with the index schema applied to its own local D1.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

await applyD1Migrations(env.INDEX, env.TEST_MIGRATIONS);
