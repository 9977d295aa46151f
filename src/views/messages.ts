/**
 * Every string the interface shows, in each language the site can be set to
 * (`SITE_LANGUAGE`). Pure data: pages take their strings from here and
 * nowhere else, so a language is one object below and nothing more.
 *
 * English is complete by definition; every other language is checked
 * against it by a test, and any string a language leaves out falls back to
 * English at run time (see {@link messagesFor}), so a page never shows a
 * gap. Adding a language: copy `fr`, translate each value, add it to
 * {@link LANGUAGES}, and run the tests.
 */

/** Strings, and the few that are made from a value (a count, a name, a page number). */
export interface Messages {
  /** The `Intl` locale dates and numbers are written in. */
  locale: string;
  /** Shown in the masthead under the site's name. */
  tagline: string;
  skipLink: string;
  searchLabel: string;
  searchPlaceholder: string;
  searchButton: string;
  sectionsNav: string;
  editionsNav: string;
  footerNav: string;
  latest: string;
  latestNews: string;
  atomFeed: string;
  sitemap: string;
  correctionsLink: string;
  footerNote: (site: string) => string;
  /** Names of sections, by their slug; a section not here is named from its slug. */
  sections: Record<string, string>;

  pages: string;
  newer: string;
  older: string;
  pageOf: (page: number, count: number) => string;
  pageNumber: (page: number) => string;
  /** A title with its page number: "Latest news, page 2". */
  titledPage: (title: string, page: number) => string;

  by: string;
  and: string;
  minutesRead: (minutes: number) => string;
  updated: string;
  topics: string;
  corrections: string;
  correctedNotice: string;
  previewLabel: string;
  previewDraft: string;
  previewPublished: string;
  previewDoNotShare: string;
  openInGallery: string;
  galleryImage: (n: number) => string;

  topic: string;
  author: string;
  authorsOwnPage: (name: string) => string;
  nothingPublished: string;
  frontTitle: (site: string) => string;
  latestDescription: (site: string) => string;
  sectionDescription: (section: string, site: string) => string;
  topicTitle: (topic: string) => string;
  topicDescription: (topic: string, site: string) => string;
  authorDescription: (author: string, site: string) => string;
  editionDescription: (edition: string, site: string) => string;
  allLatest: string;

  search: string;
  searchResultsFor: string;
  searchFormLabel: string;
  results: (count: number, more: boolean) => string;
  noResults: string;
  searchWords: string;
  searchStart: string;
  searchDescription: (site: string) => string;
  searchTitle: (query: string) => string;

  gallery: string;
  galleryTitle: (title: string) => string;
  galleryDescription: (title: string) => string;
  backToArticle: string;
  imageCount: (count: number) => string;
  imageOf: (n: number, count: number) => string;
  previous: string;
  next: string;
  imageWord: string;
  galleryNav: (n: number, count: number) => string;
  galleryStrip: string;

  notFoundTitle: string;
  notFoundHeading: string;
  notFoundText: string;
  notFoundLatest: string;
  notFoundSitemap: string;
  errorKicker: (status: number) => string;
  goneTitle: string;
  goneHeading: string;
  goneText: string;
  goneReason: string;
  goneCorrections: string;
  previewUnavailable: string;
  previewExpired: string;
  previewInvalid: string;
  previewHelp: string;
  goToLatest: string;
  limitedTitle: string;
  limitedHeading: string;
  limitedText: (seconds: number) => string;
  limitedStillWorks: string;
  unavailableTitle: string;
  unavailableHeading: string;
  unavailableText: string;
  errorTitle: string;
  errorHeading: string;
  errorText: string;

  bannerDismiss: string;

  feedSubtitle: (site: string, scope?: string) => string;
  correctionsDescription: (site: string) => string;
  correctionsIntro: (site: string) => string;
  correctionsNone: string;
  correctionTo: string;
  correctionFeedTitle: (title: string) => string;
}

const plural = (locale: string, count: number, one: string, other: string) =>
  new Intl.PluralRules(locale).select(count) === 'one' ? one : other;

const en: Messages = {
  locale: 'en-GB',
  tagline: 'Independent journalism, free to read',
  skipLink: 'Skip to main content',
  searchLabel: 'Search articles',
  searchPlaceholder: 'Search articles',
  searchButton: 'Search',
  sectionsNav: 'Sections',
  editionsNav: 'Editions',
  footerNav: 'Footer',
  latest: 'Latest',
  latestNews: 'Latest news',
  atomFeed: 'Atom feed',
  sitemap: 'Sitemap',
  correctionsLink: 'Corrections',
  footerNote: (site) => `${site} is independent and free to read, paid for by readers who choose to support it.`,
  sections: {},

  pages: 'Pages',
  newer: '← Newer',
  older: 'Older →',
  pageOf: (page, count) => `Page ${page} of ${count}`,
  pageNumber: (page) => `page ${page}`,
  titledPage: (title, page) => `${title}, page ${page}`,

  by: 'By',
  and: 'and',
  minutesRead: (minutes) => `${minutes} min read`,
  updated: 'Updated',
  topics: 'Topics',
  corrections: 'Corrections',
  correctedNotice: 'This article has been corrected',
  previewLabel: 'Preview.',
  previewDraft: 'This draft is not published: readers cannot see it.',
  previewPublished: 'This is how the published article looks.',
  previewDoNotShare: 'Do not share this link.',
  openInGallery: 'Open image in gallery',
  galleryImage: (n) => `, image ${n}`,

  topic: 'Topic',
  author: 'Author',
  authorsOwnPage: (name) => `${name}’s own page`,
  nothingPublished: 'Nothing has been published yet.',
  frontTitle: (site) => `${site}: latest news`,
  latestDescription: (site) => `The latest reporting from ${site}.`,
  sectionDescription: (section, site) => `The latest ${section.toLowerCase()} reporting from ${site}.`,
  topicTitle: (topic) => `${topic}: the latest`,
  topicDescription: (topic, site) => `The latest reporting on ${topic} from ${site}.`,
  authorDescription: (author, site) => `Articles by ${author} for ${site}.`,
  editionDescription: (edition, site) => `The ${edition} of ${site}: the day’s news, chosen by its editors.`,
  allLatest: 'All the latest news',

  search: 'Search',
  searchResultsFor: 'Search results for',
  searchFormLabel: 'Search for words in headlines, summaries and articles',
  results: (count, more) => `${count.toLocaleString('en-GB')}${more ? '+' : ''} ${count === 1 && !more ? 'result' : 'results'}`,
  noResults: 'No published article contains all of these words. Try fewer or different words.',
  searchWords: 'Searches look for words: letters and numbers. Try a word or two.',
  searchStart: 'Type a word or two above and press Search.',
  searchDescription: (site) => `Search ${site}.`,
  searchTitle: (query) => `${query}: search`,

  gallery: 'Gallery',
  galleryTitle: (title) => `Gallery: ${title}`,
  galleryDescription: (title) => `The pictures of “${title}”, full size.`,
  backToArticle: 'Back to the article',
  imageCount: (count) => `${count} ${count === 1 ? 'image' : 'images'}`,
  imageOf: (n, count) => `${n} of ${count}`,
  previous: '← Previous',
  next: 'Next',
  imageWord: 'image',
  galleryNav: (n, count) => `Image ${n} of ${count}`,
  galleryStrip: 'Images, one at a time: scroll sideways, or use the arrow keys or the links under each image',

  notFoundTitle: 'Page not found',
  notFoundHeading: 'We can’t find that page',
  notFoundText: 'The link may be mistyped, or the article may have moved or been withdrawn. These might help:',
  notFoundLatest: 'The latest news',
  notFoundSitemap: 'Every article, in the sitemap',
  errorKicker: (status) => `Error ${status}`,
  goneTitle: 'Article removed',
  goneHeading: 'This article has been removed',
  goneText: 'The article that was published at this address has been taken down, and it will not come back at this link.',
  goneReason: 'The reason given:',
  goneCorrections: 'Every correction we publish is listed on our corrections page.',
  previewUnavailable: 'Preview unavailable',
  previewExpired: 'This preview link has expired',
  previewInvalid: 'This preview link is not valid',
  previewHelp: 'Preview links work for a limited time and only exactly as they were sent. Ask the editor for a new one, or publish again to print fresh links.',
  goToLatest: 'Go to the latest news',
  limitedTitle: 'Too many searches',
  limitedHeading: 'Too many searches, too quickly',
  limitedText: (seconds) => `To keep search fast for everyone, each reader can run a limited number of new searches a minute. Please try again in ${seconds} seconds.`,
  limitedStillWorks: 'Everything else works as usual: the latest news, the sections, and searches that were run recently.',
  unavailableTitle: 'Temporarily unavailable',
  unavailableHeading: 'This page is temporarily unavailable',
  unavailableText: 'We could not reach our article store. Please try again in a moment.',
  errorTitle: 'Something went wrong',
  errorHeading: 'Sorry, this page could not be shown',
  errorText: 'Something went wrong on our side. The problem has been logged.',

  bannerDismiss: 'Hide this message for 30 days',

  feedSubtitle: (site, scope) => `The latest ${scope ? `${scope} ` : ''}reporting from ${site}`,
  correctionsDescription: (site) => `Every correction ${site} has made to its published articles, newest first.`,
  correctionsIntro: (site) => `When ${site} gets something wrong, we correct the article and say so on it. This page lists every correction, newest first.`,
  correctionsNone: 'No corrections have been published.',
  correctionTo: 'Correction to',
  correctionFeedTitle: (title) => `Correction: ${title}`,
};

const fr: Messages = {
  locale: 'fr-FR',
  tagline: 'Un journalisme indépendant, en accès libre',
  skipLink: 'Aller au contenu principal',
  searchLabel: 'Rechercher des articles',
  searchPlaceholder: 'Rechercher des articles',
  searchButton: 'Rechercher',
  sectionsNav: 'Rubriques',
  editionsNav: 'Éditions',
  footerNav: 'Pied de page',
  latest: 'À la une',
  latestNews: 'Dernières nouvelles',
  atomFeed: 'Flux Atom',
  sitemap: 'Plan du site',
  correctionsLink: 'Corrections',
  footerNote: (site) => `${site} est indépendant et gratuit, financé par les lecteurs qui choisissent de le soutenir.`,
  sections: { world: 'Monde', politics: 'Politique', science: 'Sciences', local: 'Local', culture: 'Culture', business: 'Économie', opinion: 'Opinions' },

  pages: 'Pages',
  newer: '← Plus récents',
  older: 'Plus anciens →',
  pageOf: (page, count) => `Page ${page} sur ${count}`,
  pageNumber: (page) => `page ${page}`,
  titledPage: (title, page) => `${title}, page ${page}`,

  by: 'Par',
  and: 'et',
  minutesRead: (minutes) => `${minutes} min de lecture`,
  updated: 'Mis à jour le',
  topics: 'Sujets',
  corrections: 'Corrections',
  correctedNotice: 'Cet article a été corrigé',
  previewLabel: 'Aperçu.',
  previewDraft: 'Ce brouillon n’est pas publié : les lecteurs ne peuvent pas le voir.',
  previewPublished: 'Voici l’article tel qu’il sera publié.',
  previewDoNotShare: 'Ne partagez pas ce lien.',
  openInGallery: 'Ouvrir l’image dans la galerie',
  galleryImage: (n) => `, image ${n}`,

  topic: 'Sujet',
  author: 'Auteur',
  authorsOwnPage: (name) => `La page de ${name}`,
  nothingPublished: 'Rien n’a encore été publié.',
  frontTitle: (site) => `${site} : dernières nouvelles`,
  latestDescription: (site) => `Les derniers articles de ${site}.`,
  sectionDescription: (section, site) => `Les derniers articles de la rubrique ${section} de ${site}.`,
  topicTitle: (topic) => `${topic} : les derniers articles`,
  topicDescription: (topic, site) => `Les derniers articles de ${site} sur ${topic}.`,
  authorDescription: (author, site) => `Les articles de ${author} pour ${site}.`,
  editionDescription: (edition, site) => `${edition} de ${site} : l’actualité du jour, choisie par la rédaction.`,
  allLatest: 'Toutes les dernières nouvelles',

  search: 'Recherche',
  searchResultsFor: 'Résultats de recherche pour',
  searchFormLabel: 'Rechercher des mots dans les titres, les chapôs et les articles',
  results: (count, more) => `${count.toLocaleString('fr-FR')}${more ? '+' : ''} ${plural('fr-FR', count, 'résultat', 'résultats')}`,
  noResults: 'Aucun article publié ne contient tous ces mots. Essayez avec moins de mots, ou d’autres.',
  searchWords: 'La recherche porte sur des mots : des lettres et des chiffres. Essayez un ou deux mots.',
  searchStart: 'Saisissez un ou deux mots ci-dessus, puis appuyez sur Rechercher.',
  searchDescription: (site) => `Rechercher dans ${site}.`,
  searchTitle: (query) => `${query} : recherche`,

  gallery: 'Galerie',
  galleryTitle: (title) => `Galerie : ${title}`,
  galleryDescription: (title) => `Les images de « ${title} », en grand format.`,
  backToArticle: 'Retour à l’article',
  imageCount: (count) => `${count} ${plural('fr-FR', count, 'image', 'images')}`,
  imageOf: (n, count) => `${n} sur ${count}`,
  previous: '← Précédente',
  next: 'Suivante',
  imageWord: 'image',
  galleryNav: (n, count) => `Image ${n} sur ${count}`,
  galleryStrip: 'Les images, une à la fois : faites défiler sur le côté, ou utilisez les flèches du clavier ou les liens sous chaque image',

  notFoundTitle: 'Page introuvable',
  notFoundHeading: 'Nous ne trouvons pas cette page',
  notFoundText: 'Le lien est peut-être mal saisi, ou l’article a été déplacé ou retiré. Ces liens peuvent vous aider :',
  notFoundLatest: 'Les dernières nouvelles',
  notFoundSitemap: 'Tous les articles, dans le plan du site',
  errorKicker: (status) => `Erreur ${status}`,
  goneTitle: 'Article retiré',
  goneHeading: 'Cet article a été retiré',
  goneText: 'L’article publié à cette adresse a été retiré et ne sera plus disponible à ce lien.',
  goneReason: 'Motif indiqué :',
  goneCorrections: 'Toutes nos corrections sont publiées sur notre page des corrections.',
  previewUnavailable: 'Aperçu indisponible',
  previewExpired: 'Ce lien d’aperçu a expiré',
  previewInvalid: 'Ce lien d’aperçu n’est pas valide',
  previewHelp: 'Les liens d’aperçu fonctionnent pendant une durée limitée, et seulement tels qu’ils ont été envoyés. Demandez-en un nouveau à la rédaction, ou publiez à nouveau pour en obtenir.',
  goToLatest: 'Voir les dernières nouvelles',
  limitedTitle: 'Trop de recherches',
  limitedHeading: 'Trop de recherches en trop peu de temps',
  limitedText: (seconds) => `Pour que la recherche reste rapide pour tous, chaque lecteur peut lancer un nombre limité de recherches par minute. Réessayez dans ${seconds} secondes.`,
  limitedStillWorks: 'Tout le reste fonctionne normalement : les dernières nouvelles, les rubriques, et les recherches lancées récemment.',
  unavailableTitle: 'Momentanément indisponible',
  unavailableHeading: 'Cette page est momentanément indisponible',
  unavailableText: 'Nous n’avons pas pu joindre notre base d’articles. Réessayez dans un instant.',
  errorTitle: 'Une erreur s’est produite',
  errorHeading: 'Désolé, cette page n’a pas pu être affichée',
  errorText: 'Une erreur s’est produite de notre côté. Le problème a été enregistré.',

  bannerDismiss: 'Masquer ce message pendant 30 jours',

  feedSubtitle: (site, scope) => `Les derniers articles${scope ? ` (${scope})` : ''} de ${site}`,
  correctionsDescription: (site) => `Toutes les corrections apportées par ${site} à ses articles publiés, des plus récentes aux plus anciennes.`,
  correctionsIntro: (site) => `Quand ${site} se trompe, nous corrigeons l’article et l’indiquons sur celui-ci. Cette page recense toutes les corrections, des plus récentes aux plus anciennes.`,
  correctionsNone: 'Aucune correction n’a été publiée.',
  correctionTo: 'Correction de',
  correctionFeedTitle: (title) => `Correction : ${title}`,
};

const es: Messages = {
  locale: 'es-ES',
  tagline: 'Periodismo independiente y de libre acceso',
  skipLink: 'Ir al contenido principal',
  searchLabel: 'Buscar artículos',
  searchPlaceholder: 'Buscar artículos',
  searchButton: 'Buscar',
  sectionsNav: 'Secciones',
  editionsNav: 'Ediciones',
  footerNav: 'Pie de página',
  latest: 'Lo último',
  latestNews: 'Últimas noticias',
  atomFeed: 'Canal Atom',
  sitemap: 'Mapa del sitio',
  correctionsLink: 'Correcciones',
  footerNote: (site) => `${site} es independiente y de libre acceso, y lo financian los lectores que deciden apoyarlo.`,
  sections: { world: 'Internacional', politics: 'Política', science: 'Ciencia', local: 'Local', culture: 'Cultura', business: 'Economía', opinion: 'Opinión' },

  pages: 'Páginas',
  newer: '← Más recientes',
  older: 'Más antiguos →',
  pageOf: (page, count) => `Página ${page} de ${count}`,
  pageNumber: (page) => `página ${page}`,
  titledPage: (title, page) => `${title}, página ${page}`,

  by: 'Por',
  and: 'y',
  minutesRead: (minutes) => `${minutes} min de lectura`,
  updated: 'Actualizado el',
  topics: 'Temas',
  corrections: 'Correcciones',
  correctedNotice: 'Este artículo ha sido corregido',
  previewLabel: 'Vista previa.',
  previewDraft: 'Este borrador no está publicado: los lectores no pueden verlo.',
  previewPublished: 'Así se ve el artículo publicado.',
  previewDoNotShare: 'No comparta este enlace.',
  openInGallery: 'Abrir la imagen en la galería',
  galleryImage: (n) => `, imagen ${n}`,

  topic: 'Tema',
  author: 'Autor',
  authorsOwnPage: (name) => `La página de ${name}`,
  nothingPublished: 'Todavía no se ha publicado nada.',
  frontTitle: (site) => `${site}: últimas noticias`,
  latestDescription: (site) => `Lo último de ${site}.`,
  sectionDescription: (section, site) => `Lo último de la sección ${section} de ${site}.`,
  topicTitle: (topic) => `${topic}: lo último`,
  topicDescription: (topic, site) => `Lo último de ${site} sobre ${topic}.`,
  authorDescription: (author, site) => `Artículos de ${author} para ${site}.`,
  editionDescription: (edition, site) => `${edition} de ${site}: las noticias del día, elegidas por la redacción.`,
  allLatest: 'Todas las últimas noticias',

  search: 'Búsqueda',
  searchResultsFor: 'Resultados de la búsqueda de',
  searchFormLabel: 'Buscar palabras en titulares, entradillas y artículos',
  results: (count, more) => `${count.toLocaleString('es-ES')}${more ? '+' : ''} ${plural('es-ES', count, 'resultado', 'resultados')}`,
  noResults: 'Ningún artículo publicado contiene todas estas palabras. Pruebe con menos palabras o con otras.',
  searchWords: 'La búsqueda encuentra palabras: letras y números. Pruebe con una o dos palabras.',
  searchStart: 'Escriba una o dos palabras arriba y pulse Buscar.',
  searchDescription: (site) => `Buscar en ${site}.`,
  searchTitle: (query) => `${query}: búsqueda`,

  gallery: 'Galería',
  galleryTitle: (title) => `Galería: ${title}`,
  galleryDescription: (title) => `Las imágenes de «${title}», a tamaño completo.`,
  backToArticle: 'Volver al artículo',
  imageCount: (count) => `${count} ${plural('es-ES', count, 'imagen', 'imágenes')}`,
  imageOf: (n, count) => `${n} de ${count}`,
  previous: '← Anterior',
  next: 'Siguiente',
  imageWord: 'imagen',
  galleryNav: (n, count) => `Imagen ${n} de ${count}`,
  galleryStrip: 'Las imágenes, de una en una: desplácese hacia los lados, o use las flechas del teclado o los enlaces bajo cada imagen',

  notFoundTitle: 'Página no encontrada',
  notFoundHeading: 'No encontramos esa página',
  notFoundText: 'Puede que el enlace esté mal escrito, o que el artículo se haya movido o retirado. Esto puede ayudarle:',
  notFoundLatest: 'Las últimas noticias',
  notFoundSitemap: 'Todos los artículos, en el mapa del sitio',
  errorKicker: (status) => `Error ${status}`,
  goneTitle: 'Artículo retirado',
  goneHeading: 'Este artículo ha sido retirado',
  goneText: 'El artículo publicado en esta dirección se ha retirado y no volverá a estar disponible en este enlace.',
  goneReason: 'Motivo indicado:',
  goneCorrections: 'Todas nuestras correcciones figuran en nuestra página de correcciones.',
  previewUnavailable: 'Vista previa no disponible',
  previewExpired: 'Este enlace de vista previa ha caducado',
  previewInvalid: 'Este enlace de vista previa no es válido',
  previewHelp: 'Los enlaces de vista previa funcionan durante un tiempo limitado y solo tal como se enviaron. Pida uno nuevo a la redacción, o vuelva a publicar para obtenerlos.',
  goToLatest: 'Ir a las últimas noticias',
  limitedTitle: 'Demasiadas búsquedas',
  limitedHeading: 'Demasiadas búsquedas en poco tiempo',
  limitedText: (seconds) => `Para que la búsqueda siga siendo rápida para todos, cada lector puede hacer un número limitado de búsquedas por minuto. Vuelva a intentarlo dentro de ${seconds} segundos.`,
  limitedStillWorks: 'Todo lo demás funciona con normalidad: las últimas noticias, las secciones y las búsquedas hechas recientemente.',
  unavailableTitle: 'No disponible temporalmente',
  unavailableHeading: 'Esta página no está disponible temporalmente',
  unavailableText: 'No hemos podido acceder a nuestro archivo de artículos. Vuelva a intentarlo en un momento.',
  errorTitle: 'Algo ha fallado',
  errorHeading: 'Lo sentimos, no se ha podido mostrar esta página',
  errorText: 'Algo ha fallado por nuestra parte. El problema ha quedado registrado.',

  bannerDismiss: 'Ocultar este mensaje durante 30 días',

  feedSubtitle: (site, scope) => `Lo último${scope ? ` (${scope})` : ''} de ${site}`,
  correctionsDescription: (site) => `Todas las correcciones de ${site} a sus artículos publicados, de la más reciente a la más antigua.`,
  correctionsIntro: (site) => `Cuando ${site} se equivoca, corregimos el artículo y lo indicamos en él. Esta página recoge todas las correcciones, de la más reciente a la más antigua.`,
  correctionsNone: 'No se ha publicado ninguna corrección.',
  correctionTo: 'Corrección de',
  correctionFeedTitle: (title) => `Corrección: ${title}`,
};

/** Every interface language, by its `SITE_LANGUAGE` value. English is the fallback for any string another leaves out. */
export const LANGUAGES: Record<string, Partial<Messages>> = { en, fr, es };

const complete = new Map<string, Messages>();

/** The strings for `language` (a key of {@link LANGUAGES}), with English for any it lacks. */
export function messagesFor(language: string): Messages {
  let found = complete.get(language);
  if (!found) {
    found = { ...en, ...LANGUAGES[language] } as Messages;
    complete.set(language, found);
  }
  return found;
}

/** Languages written right to left, by primary subtag, and scripts that are. */
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);
const RTL_SCRIPTS = new Set(['arab', 'adlm', 'hebr', 'nkoo', 'rohg', 'syrc', 'thaa']);
const LTR_SCRIPTS = new Set(['latn', 'cyrl']);

/** The direction text in a BCP 47 language is written in: `rtl` for Arabic, Hebrew, Persian, Urdu and their kin. */
export function textDirection(tag: string): 'ltr' | 'rtl' {
  const [language = '', ...rest] = tag.toLowerCase().split('-');
  const script = rest.find((part) => part.length === 4);
  if (script && RTL_SCRIPTS.has(script)) return 'rtl';
  if (script && LTR_SCRIPTS.has(script)) return 'ltr';
  return RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
}

/** True when two language tags name the same language (`en` and `en-GB` do). */
export function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase().split('-')[0] === b.toLowerCase().split('-')[0];
}
