/**
 * The site's language (`SITE_LANGUAGE`): every interface string from the
 * messages module, dates and numbers in the site's locale, `<html lang>` the
 * site's, and content in another language marked with its own `lang` (and
 * `dir` for a right-to-left script).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, messagesFor, textDirection, type Messages } from '../../../src/views/messages.ts';
import { articleFile, fetchApp, seedArticle } from '../support/helpers.ts';

const ENGLISH = messagesFor('en');

/** English interface strings a page in another language must not show. */
const ENGLISH_CHROME = ['Skip to main content', 'Search articles', 'Latest news', 'min read', 'Sitemap', 'Atom feed', 'Hide this message for 30 days', 'Sections'];

function as(language: string) {
  return { bindings: { ...env, SITE_LANGUAGE: language } };
}

beforeAll(async () => {
  await seedArticle('world/rooftop-library', articleFile(`
title: مكتبة على سطح بناية
date: 2026-11-20T09:00:00Z
standfirst: سكان الحي يفتحون مكتبة للأطفال.
section: world
authors: [Layla Haddad]
language: ar
`, 'بدأت الفكرة قبل عامين.\n'));
  await seedArticle('world/in-french', articleFile(`
title: Les trains de nuit reviennent
date: 2026-11-19T09:00:00Z
section: world
language: fr
`, 'Le premier train part ce soir.\n'));
  await seedArticle('world/in-english', articleFile('title: Night trains return\ndate: 2026-11-18T09:00:00Z\nsection: world'));
});

describe('the messages module', () => {
  for (const [language, strings] of Object.entries(LANGUAGES)) {
    it(`has every English string in ${language}`, () => {
      const missing = Object.keys(ENGLISH).filter((key) => !(key in strings));
      expect(missing).toEqual([]);
      for (const key of Object.keys(strings) as (keyof Messages)[]) expect(typeof strings[key], key).toBe(typeof ENGLISH[key]);
    });
  }

  it('falls back to English for a string a language leaves out', () => {
    LANGUAGES.xx = { tagline: 'Tagline in xx' };
    try {
      const partial = messagesFor('xx');
      expect(partial.tagline).toBe('Tagline in xx');
      expect(partial.skipLink).toBe(ENGLISH.skipLink);
      expect(partial.results(3, false)).toBe('3 results');
    } finally {
      delete LANGUAGES.xx;
    }
  });

  it('knows which scripts run right to left', () => {
    expect(['ar', 'he', 'fa-IR', 'ur', 'az-Arab'].map(textDirection)).toEqual(['rtl', 'rtl', 'rtl', 'rtl', 'rtl']);
    expect(['en', 'fr-CA', 'zh-Hant', 'ku-Latn', 'tr'].map(textDirection)).toEqual(['ltr', 'ltr', 'ltr', 'ltr', 'ltr']);
  });
});

describe('a site in French', () => {
  it('writes the whole interface in French, with <html lang="fr">', async () => {
    const res = await fetchApp('/articles/world/in-english', { ...as('fr'), headers: { 'CF-IPCountry': 'FR' } });
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<a class="skip-link" href="#main">Aller au contenu principal</a>');
    expect(html).toContain('>Monde</a>');
    expect(html).toContain('<time datetime="2026-11-18T09:00:00Z">18 novembre 2026 à 09:00 UTC</time>');
    expect(html).toContain('1 min de lecture');
    expect(html).toContain('aria-label="Masquer ce message pendant 30 jours"');
    for (const english of ENGLISH_CHROME) expect(html, english).not.toContain(english);
    // The English article carries its own language inside the French page.
    expect(html).toContain('<article class="article" lang="en"');
    expect(html).toContain('<div class="article-meta" lang="fr">');
  });

  it('marks nothing on an article in the site language', async () => {
    const html = await (await fetchApp('/articles/world/in-french', as('fr'))).text();
    expect(html).toContain('<article class="article" aria-labelledby="article-title">');
  });

  it('writes lists, search, errors and feeds in French too', async () => {
    const list = await (await fetchApp('/sections/world', as('fr'))).text();
    expect(list).toContain('<h1 class="page-title">Monde</h1>');
    const search = await (await fetchApp('/search?q=trains', as('fr'))).text();
    expect(search).toMatch(/\d+ résultats?</);
    expect(search).toContain('Résultats de recherche pour');
    const missing = await fetchApp('/articles/world/nowhere', as('fr'));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Nous ne trouvons pas cette page');
    const feed = await (await fetchApp('/feed.xml', as('fr'))).text();
    expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">');
    expect(feed).toContain('<subtitle>Les derniers articles de Broadsheet</subtitle>');
    const corrections = await (await fetchApp('/corrections', as('fr'))).text();
    expect(corrections).toContain('Aucune correction n’a été publiée.');
  });

  it('writes numbers in the site locale', () => {
    expect(messagesFor('fr').results(5000, true)).toBe(`5${'\u202f'}000+ résultats`);
    expect(messagesFor('es').results(1, false)).toBe('1 resultado');
    expect(ENGLISH.results(5000, true)).toBe('5,000+ results');
  });
});

describe('a site in Spanish', () => {
  it('writes the interface in Spanish, dates included', async () => {
    const html = await (await fetchApp('/articles/world/in-english', as('es'))).text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('Ir al contenido principal');
    expect(html).toContain('18 de noviembre de 2026');
    for (const english of ENGLISH_CHROME) expect(html, english).not.toContain(english);
  });
});

describe('an article in a right-to-left language', () => {
  it('carries lang="ar" and dir="rtl" on its content, in a left-to-right page', async () => {
    const html = await (await fetchApp('/articles/world/rooftop-library')).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<article class="article" lang="ar" dir="rtl" aria-labelledby="article-title">');
    // The interface inside it stays English, left to right.
    expect(html).toContain('<div class="article-meta" lang="en" dir="ltr">');
  });

  it('marks its card on a list, and its entry in the feed', async () => {
    const list = await (await fetchApp('/sections/world')).text();
    expect(list).toMatch(/<h2 id="card-world--rooftop-library" lang="ar" dir="rtl"><a href="\/articles\/world\/rooftop-library">/);
    const feed = await (await fetchApp('/sections/world/feed.xml')).text();
    expect(feed).toContain('<entry xml:lang="ar">\n<title>مكتبة على سطح بناية</title>');
  });
});

describe('SITE_LANGUAGE', () => {
  it('refuses a language the site does not ship, with an uncached 500', async () => {
    const res = await fetchApp('/', as('de'));
    expect(res.status).toBe(500);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });
});
