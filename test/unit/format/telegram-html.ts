/**
 * A strict checker for Telegram's HTML parse mode, so tests can say "this is
 * a message Telegram accepts" without a Bot API: only Telegram's tags,
 * balanced, no tags inside pre/code, only the four named entities or numeric
 * ones, no bare `<`, `>` or `&`, no lone surrogates, within 4,096 code units.
 */
const TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a", "tg-spoiler", "blockquote", "span"]);
const ENTITY = /^&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/;
const TAG = /^<(\/?)([a-zA-Z-]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/;

export function telegramHtmlProblems(html: string, limit = 4096): string[] {
  const problems: string[] = [];
  if (html.length > limit) problems.push(`length ${html.length} > ${limit}`);
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(html)) problems.push("lone surrogate");
  const stack: string[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === "<") {
      const m = TAG.exec(html.slice(i, i + 300));
      if (!m) {
        problems.push(`bare '<' at ${i}: ${JSON.stringify(html.slice(i, i + 20))}`);
        i++;
        continue;
      }
      const [token, closing, rawName, attrs] = m;
      const name = rawName!.toLowerCase();
      if (!TAGS.has(name)) problems.push(`tag <${name}> is not Telegram's`);
      if (closing) {
        if (stack.at(-1) !== name) problems.push(`</${name}> closes <${stack.at(-1) ?? "nothing"}>`);
        else stack.pop();
      } else {
        const attrList = (attrs ?? "").trim();
        if (name === "a" ? !/^href="[^"]*"$/.test(attrList) : name === "span" ? attrList !== 'class="tg-spoiler"' : attrList !== "" && !(name === "blockquote" && attrList === "expandable"))
          problems.push(`bad attributes on <${name}>: ${attrList}`);
        const inside = stack.at(-1);
        if ((inside === "pre" && name !== "code") || inside === "code") problems.push(`<${name}> inside <${inside}>`);
        stack.push(name);
      }
      i += token!.length;
      continue;
    }
    if (ch === "&") {
      const m = ENTITY.exec(html.slice(i, i + 12));
      if (!m) problems.push(`bare '&' at ${i}: ${JSON.stringify(html.slice(i, i + 12))}`);
      i += m ? m[0].length : 1;
      continue;
    }
    if (ch === ">") problems.push(`bare '>' at ${i}`);
    i++;
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.map((t) => `<${t}>`).join("")}`);
  return problems;
}

/** The text a chat shows: tags dropped, entities decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");
}
