/**
 * Security headers for every response, through `hono/secure-headers`.
 *
 * Pages are cached and shared, so the policy holds nothing per request: no
 * nonce. The one script is allowed by its hash; styles come from the site.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { SUPPORT_SCRIPT_HASH } from '../region/banner-script.ts';

/** The Content-Security-Policy directives of every page (tests read the header each response sends). */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  // The banner's dismiss script, by hash: never a per-request nonce, since pages are cached.
  scriptSrc: [SUPPORT_SCRIPT_HASH],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'https:'],
  baseUri: ["'none'"],
  // The search form submits to this site, and nowhere else.
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  // No script may write HTML from strings: only Trusted Types could, and none are allowed.
  requireTrustedTypesFor: ["'script'"],
  trustedTypes: ["'none'"],
};

export const securityHeaders = secureHeaders({
  contentSecurityPolicy: CONTENT_SECURITY_POLICY,
  referrerPolicy: 'strict-origin-when-cross-origin',
  // Framing is refused by the CSP's frame-ancestors, which every current browser honours.
  xFrameOptions: false,
  originAgentCluster: false,
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  permissionsPolicy: {
    camera: [], microphone: [], geolocation: [], payment: [], usb: [], browsingTopics: [],
  },
  // Headers for browsers long gone (IE's X-Download-Options, X-Frame-Options and XSS
  // filter, Flash's cross-domain policies) or of no use here (DNS prefetch control,
  // Origin-Agent-Cluster): not sent. Every header costs on every response.
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  xDnsPrefetchControl: false,
});

/**
 * Media get their own policy: an SVG opened on its own must not run script on
 * our origin, and images are public, so other sites (social cards, feed
 * readers) may show them. Registered before {@link securityHeaders}, so it
 * runs after it and has the last word.
 */
export const mediaHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Content-Security-Policy', MEDIA_CONTENT_SECURITY_POLICY);
  c.res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
};

export const MEDIA_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
