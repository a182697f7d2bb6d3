import { type Html, html } from '../html.ts';

export function errorPage(status: number): Html {
  const unavailable = status === 503;
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${unavailable ? 'Service unavailable' : 'Error'} · hallpass demo</title>
<link rel="stylesheet" href="/style.css"></head>
<body><main id="main">
<h1>${unavailable ? 'The session store is unavailable' : 'Something went wrong'}</h1>
<p>${unavailable ? 'Sessions cannot be read or saved right now. Nothing was changed; please try again in a moment.' : 'The request failed. Nothing was changed.'}</p>
<p><a href="/">Back to the home page</a></p>
</main></body></html>`;
}
