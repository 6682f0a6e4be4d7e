/** Browsers ask for /favicon.ico where a page names no icon (the API reference at /docs): the app's icon is an SVG. */
export function GET(request: Request): Response {
  return Response.redirect(new URL('/icon.svg', request.url), 308);
}
