/**
 * FNV-1a over a string, as 8 hex digits: cheap and synchronous, for versioning
 * things we control (templates, stylesheet, banner copy). Content from editors
 * is versioned with SHA-256 instead (see `contentHash` in `storage/kv-format.ts`).
 */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
