import { type Html, html } from '../html.ts';
import type { DemoUser } from '../users.ts';

export function signInPage(users: readonly DemoUser[], passwordHint: string): Html {
  return html`<h1>Sign in</h1>
<form method="post" action="/signin">
  <div class="field">
    <label for="username">User name</label>
    <input id="username" name="username" autocomplete="username" required autofocus>
  </div>
  <div class="field">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
  </div>
  <button type="submit">Sign in</button>
</form>
<h2>Demo accounts</h2>
<p class="hint">User names: ${users.map((user, i) => html`${i > 0 ? ', ' : ''}<code>${user.id}</code>`)}.
The password of every demo account is <code>${passwordHint}</code>; the server keeps only scrypt hashes.</p>`;
}
