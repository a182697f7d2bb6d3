import { type Html, html } from '../html.ts';

export function homePage(visits: number, userName: string | undefined): Html {
  return html`<h1>${userName ? `Welcome back, ${userName}` : 'Welcome'}</h1>
<p id="visits-label">Page loads in this session:</p>
<p class="counter" aria-describedby="visits-label" data-visits>${visits}</p>
<p>The count lives on the server, in the session store; your browser only holds a random token in an <code>HttpOnly</code> cookie.</p>
${
  userName
    ? html`<p><a href="/sessions">See every device you are signed in on</a>, revoke one, or sign out everywhere else.</p>`
    : html`<p><a href="/signin">Sign in</a> as one of the demo users, then sign in again from another browser (or a private window) to see both devices listed.</p>`
}
<h2>What to try</h2>
<ul>
  <li>Sign in: the session token changes, so a token planted before sign-in is worthless.</li>
  <li>Sign in from a second browser, then revoke it from <em>Your sessions</em>: its next request is signed out.</li>
  <li>Wait past the idle deadline below without loading a page: the session ends.</li>
</ul>`;
}
