/**
 * Security headers for every response, through `hono/secure-headers`.
 *
 * Pages are cached and shared, so the policy holds nothing per request: no
 * nonce. The one script is allowed by its hash; styles come from the site.
 */
import { secureHeaders } from 'hono/secure-headers';
import { SUPPORT_SCRIPT_HASH } from './banner-script.ts';

/** The Content-Security-Policy directives, exported so tests can check them. */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  // The banner's dismiss script, by hash: never a per-request nonce, since pages are cached.
  scriptSrc: [SUPPORT_SCRIPT_HASH],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'https:'],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  // No script may write HTML from strings: only Trusted Types could, and none are allowed.
  requireTrustedTypesFor: ["'script'"],
  trustedTypes: ["'none'"],
};

export const securityHeaders = secureHeaders({
  contentSecurityPolicy: CONTENT_SECURITY_POLICY,
  referrerPolicy: 'strict-origin-when-cross-origin',
  xFrameOptions: 'DENY',
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  permissionsPolicy: {
    camera: [], microphone: [], geolocation: [], payment: [], usb: [], browsingTopics: [],
  },
  // Routes that need their own policy (media) set it themselves.
  overwrite: false,
});
