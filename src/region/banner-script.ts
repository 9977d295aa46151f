/**
 * The one script on the site: it lets a reader hide the support banner for 30
 * days, and reports the dismissal (an image request to the banner's
 * `data-beacon`, which the CSP's img-src allows). The choice lives in localStorage, never in a cookie, so the HTML stays
 * identical for everyone and cacheable. Without JavaScript the banner simply
 * stays, and its dismiss button (shown only by this script) never appears.
 *
 * It is inline, in the head, so a hidden banner never flashes, and allowed by
 * the hash below in the Content-Security-Policy. A test recomputes the hash,
 * so editing the script without updating it fails the build.
 */
export const SUPPORT_SCRIPT =
  '(function(){var d=document.documentElement,k="broadsheet:support-hidden-until";d.classList.add("js");try{if(Number(localStorage.getItem(k))>Date.now())d.classList.add("support-hidden")}catch(e){}document.addEventListener("click",function(e){var t=e.target;var b=t instanceof Element&&t.closest("[data-support-dismiss]");if(!b)return;try{localStorage.setItem(k,String(Date.now()+2592e6))}catch(e){}var u=b.getAttribute("data-beacon");if(u)(new Image).src=u;d.classList.add("support-hidden");var f=document.querySelector(".site-footer a");if(f)f.focus()})})();';

/** `'sha256-…'` of {@link SUPPORT_SCRIPT}, for `script-src`. */
export const SUPPORT_SCRIPT_HASH = "'sha256-7R49myZJymznnQ3a4mELT2xhYz28wGY2dFhuE8J2qN0='";
