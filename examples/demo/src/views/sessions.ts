import type { UserSessionInfo } from '@hallpass/core';
import { deviceLabel } from '../device.ts';
import { type Html, html } from '../html.ts';
import { dateTime, relative } from '../times.ts';

function row(session: UserSessionInfo): Html {
  const device = deviceLabel(session.userAgent);
  return html`<tr data-session-id="${session.id}" ${session.current ? html`class="current" data-current` : ''}>
  <td>${device}${session.current ? html`<span class="badge">This device</span>` : ''}
    <span class="ua">${session.userAgent ?? ''}${session.ip ? ` · ${session.ip}` : ''}</span></td>
  <td>${dateTime(session.createdAt)}</td>
  <td>${dateTime(session.lastSeenAt)}<br><span class="hint">${relative(session.lastSeenAt)}</span></td>
  <td>${dateTime(session.expiresAt)}<br><span class="hint">${relative(session.expiresAt)}</span></td>
  <td>${
    session.current
      ? html`<span class="hint">Use “Sign out”</span>`
      : html`<form class="inline" method="post" action="/sessions/revoke">
      <input type="hidden" name="id" value="${session.id}">
      <button class="danger" type="submit" aria-label="Revoke the session on ${device}, created ${dateTime(session.createdAt)}">Revoke</button>
    </form>`
  }</td>
</tr>`;
}

export function sessionsPage(sessions: readonly UserSessionInfo[]): Html {
  const others = sessions.filter((session) => !session.current).length;
  return html`<h1>Your sessions</h1>
<p>Every browser signed in to your account. Revoking one ends it on the server: its next request is signed out, whatever its cookie says.</p>
<table>
  <caption>${sessions.length} active ${sessions.length === 1 ? 'session' : 'sessions'}</caption>
  <thead><tr>
    <th scope="col">Device</th><th scope="col">Created</th><th scope="col">Last seen</th>
    <th scope="col">Expires</th><th scope="col"><span class="visually-hidden">Action</span></th>
  </tr></thead>
  <tbody>${sessions.map(row)}</tbody>
</table>
<form method="post" action="/sessions/revoke-others">
  <button class="secondary" type="submit" ${others === 0 ? 'disabled' : ''}>Sign out everywhere else (${others})</button>
</form>`;
}
