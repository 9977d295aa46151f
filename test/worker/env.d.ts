declare module 'cloudflare:workers' {
  namespace Cloudflare {
    interface Exports {
      default: { fetch(request: Request): Promise<Response> };
    }
  }
}
export {};
