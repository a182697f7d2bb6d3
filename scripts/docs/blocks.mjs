// Fenced code blocks of a Markdown file, with the HTML comment markers written just before them:
//
//   <!-- fragment: why it cannot stand alone -->      not type-checked (a reason is required)
//   <!-- prelude: express-app -->                      scripts/docs/preludes/<name>.ts comes first
//   <!-- requests: GET / 200; POST /login user=alice 303 -->   what to send a complete example, in
//        order, with the session cookie carried along; an optional form body (urlencoded) goes
//        before the status (default: GET / 200)
import { readFileSync } from 'node:fs';

const FENCE = /^(\s*)(```+|~~~+)\s*([\w+-]*)/;
const MARKER = /^<!--\s*(fragment|prelude|requests):\s*(.*?)\s*-->$/;

/** Every fenced block: { file, line (of the code's first line), lang, code, section, markers }. */
export function extractBlocks(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (heading) section = heading[1].trim();
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end].trim().startsWith(fence)) end++;
    blocks.push({
      file,
      line: start + 1,
      lang: open[3].toLowerCase() === 'typescript' ? 'ts' : open[3].toLowerCase(),
      code: `${lines.slice(start, end).join('\n')}\n`,
      section,
      markers: markersBefore(lines, i),
    });
    i = end;
  }
  return blocks;
}

function markersBefore(lines, fenceIndex) {
  const markers = {};
  for (let j = fenceIndex - 1; j >= 0; j--) {
    const text = lines[j].trim();
    if (text === '') continue;
    const match = MARKER.exec(text);
    if (!match) {
      if (/^<!--.*-->$/.test(text)) continue; // another tool's marker may sit in between
      break;
    }
    markers[match[1]] = match[2];
  }
  return markers;
}

/** `GET / 200; POST /x a=1 303` -> [{ method, path, form?, status }]. */
export function parseRequests(text) {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const words = part.split(/\s+/);
      const [method, path] = words;
      const status = words.at(-1);
      const form = words.length === 4 ? words[2] : undefined;
      if (!method || !path || words.length > 4 || !/^\d{3}$/.test(status ?? '')) {
        throw new Error(`requests marker: "${part}" is not "METHOD /path [form] STATUS"`);
      }
      return { method, path, status: Number(status), ...(form ? { form } : {}) };
    });
}
