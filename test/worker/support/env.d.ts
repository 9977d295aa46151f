import type { D1Migration } from 'cloudflare:test';

declare module 'cloudflare:workers' {
  namespace Cloudflare {
    interface Exports {
      default: {
        fetch(request: Request): Promise<Response>;
        scheduled(controller: ScheduledController): Promise<void>;
      };
    }
  }
}

declare global {
  namespace Cloudflare {
    interface Env {
      /** The migrations in `migrations/`, read by vitest.config.ts. */
      TEST_MIGRATIONS: D1Migration[];
      /** The CommonMark spec's examples, read by vitest.config.ts from the `commonmark-spec` package. */
      COMMONMARK_EXAMPLES: { markdown: string; html: string; section: string; number: number }[];
      /** Image bytes, base64, made by vitest.config.ts: a 1600×2000 JPEG photograph, a 900×600 PNG, and the JPEG cut short. */
      TEST_IMAGES: { jpeg: string; png: string; truncated: string };
    }
  }
}
