/**
 * A tool's guidance is authored as a Markdown-style list ("- item" per line). The page shows it as a
 * real list: one item per "- " line; a line without a marker continues the item before it (or starts
 * one if it comes first); blank lines and stray whitespace are dropped. Plain text only — never HTML.
 */
export function guidanceItems(text: string | null | undefined): string[] {
  if (!text) return [];
  const items: string[] = [];
  let continuation = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "") {
      continuation = false;
      continue;
    }
    const marker = /^[-*・]\s*/.exec(line);
    const body = marker ? line.slice(marker[0].length).trim() : line;
    if (body === "") continue;
    if (!marker && continuation && items.length > 0) items[items.length - 1] += ` ${body}`;
    else items.push(body);
    continuation = true;
  }
  return items;
}
