/** Generated articles for load and benchmarks; no Node APIs, so workerd can use it too. */

/** A plausible article of roughly `bytes` bytes of markdown. */
export function generatedArticle(n: number, bytes = 6000, section = 'generated'): string {
  const paragraph = `Paragraph text for story ${n}, with *some emphasis*, a [link](https://example.com/${n}) and \`code\`. ` +
    'Reporters spoke to residents, checked the figures twice and asked the council for comment before publishing. ';
  const paragraphs: string[] = [];
  for (let size = 0; size < bytes; size += paragraph.length + 2) {
    paragraphs.push(paragraphs.length % 6 === 5 ? `## Section ${paragraphs.length}` : paragraph);
  }
  const day = String(1 + (n % 28)).padStart(2, '0');
  return `---\ntitle: Generated story ${n}\ndate: 2026-10-${day}T${String(n % 24).padStart(2, '0')}:00:00Z\nstandfirst: A generated story for load and benchmarks.\nsection: ${section}\n---\n\n${paragraphs.join('\n\n')}\n`;
}
