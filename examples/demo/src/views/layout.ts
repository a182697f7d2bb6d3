import { type Html, html } from '../html.ts';
import { clockTime, durationText, relative } from '../times.ts';

export interface Flash {
  kind: 'info' | 'error';
  text: string;
}

/** What every page shows around its content. */
export interface PageFrame {
  title: string;
  /** Which nav entry is the current page. */
  path: string;
  userName: string | undefined;
  flash: Flash | undefined;
  /** The session's deadlines, once it exists. */
  deadlines:
    | { absolute: number; idle: number | null; lifetimeMs: number; idleMs: number }
    | undefined;
  storeLabel: string;
}

function navLink(path: string, current: string, label: string): Html {
  return html`<li><a href="${path}" ${current === path ? html`aria-current="page"` : ''}>${label}</a></li>`;
}

function deadlines(frame: PageFrame): Html {
  const d = frame.deadlines;
  if (!d) {
    return html`<p>No session yet: one starts when this site first has something to remember.</p>`;
  }
  return html`<dl>
    <dt>Absolute deadline</dt>
    <dd data-deadline="absolute"><time datetime="${new Date(d.absolute).toISOString()}">${clockTime(d.absolute)}</time>
      (${relative(d.absolute)}; lifetime ${durationText(d.lifetimeMs)}, however active you are)</dd>
    <dt>Idle deadline</dt>
    <dd data-deadline="idle">${
      d.idle === null
        ? 'none (idle timeout off)'
        : html`<time datetime="${new Date(d.idle).toISOString()}">${clockTime(d.idle)}</time>
      (${relative(d.idle)}; idle timeout ${durationText(d.idleMs)}, extended by every request)`
    }</dd>
  </dl>`;
}

export function layout(frame: PageFrame, content: Html): Html {
  const signedIn = frame.userName !== undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · hallpass demo</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
  <div class="bar">
    <a class="brand" href="/">hallpass demo</a>
    <nav aria-label="Main">
      <ul>
        ${navLink('/', frame.path, 'Home')}
        ${signedIn ? navLink('/sessions', frame.path, 'Your sessions') : ''}
      </ul>
    </nav>
    <div class="who">
      ${
        signedIn
          ? html`<span>Signed in as <strong data-user>${frame.userName}</strong></span>
      <form class="inline" method="post" action="/signout"><button type="submit">Sign out</button></form>`
          : html`<a class="button" href="/signin">Sign in</a>`
      }
    </div>
  </div>
</header>
<main id="main">
  ${frame.flash ? html`<p class="flash ${frame.flash.kind}" role="status" data-flash>${frame.flash.text}</p>` : ''}
  ${content}
</main>
<section class="deadlines" aria-labelledby="deadlines-title">
  <h2 id="deadlines-title">This session</h2>
  ${deadlines(frame)}
  <p>Sessions are kept in: <strong data-store>${frame.storeLabel}</strong>.</p>
</section>
</body>
</html>`;
}
