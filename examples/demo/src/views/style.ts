/** The whole stylesheet, served as /style.css (a file of its own, so the CSP can forbid inline styles). */
export const STYLESHEET = `
:root {
  color-scheme: light;
  --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --paper: #ffffff; --wash: #f6f8fa;
  --accent: #0b5cad; --accent-ink: #ffffff; --good: #116329; --good-wash: #dafbe1;
  --bad: #a40e26; --bad-wash: #ffebe9; --focus: #f0b400;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--wash); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--paper); padding: .5rem 1rem; }
.skip:focus { left: 1rem; }
header { background: var(--ink); color: #fff; }
header .bar { max-width: 60rem; margin: 0 auto; padding: .75rem 1.25rem; display: flex;
  align-items: center; gap: 1.5rem; flex-wrap: wrap; }
header .brand { font-weight: 700; font-size: 1.15rem; color: #fff; text-decoration: none; }
header nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; align-items: center; }
header nav a { color: #fff; }
header nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
header .who { margin-left: auto; display: flex; gap: .75rem; align-items: center; }
main { max-width: 60rem; margin: 1.5rem auto; padding: 1.5rem 1.25rem; background: var(--paper);
  border: 1px solid var(--line); border-radius: 8px; }
h1 { margin-top: 0; font-size: 1.6rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; }
.flash { padding: .75rem 1rem; border-radius: 6px; margin-bottom: 1.25rem; border: 1px solid; }
.flash.info { background: var(--good-wash); border-color: var(--good); color: var(--good); }
.flash.error { background: var(--bad-wash); border-color: var(--bad); color: var(--bad); }
.counter { font-size: 2.5rem; font-weight: 700; margin: .25rem 0; }
form.inline { display: inline; margin: 0; }
button, .button { font: inherit; padding: .45rem .9rem; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--accent); color: var(--accent-ink); cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary { background: var(--paper); color: var(--accent); }
button.danger { background: var(--paper); color: var(--bad); border-color: var(--bad); }
header button { background: transparent; border-color: #fff; color: #fff; padding: .25rem .7rem; }
button:disabled { opacity: .5; cursor: not-allowed; }
.field { display: grid; gap: .25rem; margin-bottom: 1rem; max-width: 22rem; }
.field input { font: inherit; padding: .5rem .6rem; border: 1px solid var(--muted); border-radius: 6px; }
.hint { color: var(--muted); font-size: .95rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding-bottom: .5rem; }
th, td { text-align: left; padding: .6rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .85rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
tr.current { background: #eef6ff; }
.badge { display: inline-block; font-size: .8rem; font-weight: 600; padding: .05rem .5rem; border-radius: 999px;
  background: var(--accent); color: var(--accent-ink); margin-left: .4rem; }
.ua { display: block; color: var(--muted); font-size: .8rem; word-break: break-all; max-width: 24rem; }
.deadlines { max-width: 60rem; margin: 0 auto 2rem; padding: 0 1.25rem; color: var(--muted); font-size: .95rem; }
.deadlines dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
.deadlines dt { font-weight: 600; color: var(--ink); }
.deadlines dd { margin: 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
code { background: var(--wash); padding: .05rem .3rem; border-radius: 4px; }
`;
