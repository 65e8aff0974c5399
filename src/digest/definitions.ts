import type { Definition, Nodes, RootContent } from "mdast";

/** A line that may hold a link reference definition, possibly inside a quote or a list. */
const MAYBE_DEFINITION = /^[ \t>*+\-\d.)]*\[(?:[^\]\\\n]|\\.)+\]:/m;
/** Definitions beyond this much text are left to the piece that holds them. */
const MAX_SHARED_DEFINITIONS_CHARS = 64 * 1024;

/** True when a source may hold a link reference definition. */
export function mayHoldDefinitions(source: string): boolean {
  return MAYBE_DEFINITION.test(source);
}

/**
 * A link reference definition applies to the whole document, wherever it stands, so a source
 * read piece by piece puts every label's first definition before each piece that may use one.
 * Returns the definitions among `blocks` written out again, ending in a blank line, or "".
 */
export function sharedDefinitions(blocks: Iterable<RootContent>): string {
  const first = new Map<string, Definition>();
  for (const block of blocks) {
    const stack: Nodes[] = [block];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (node.type === "definition") {
        if (!first.has(node.identifier)) first.set(node.identifier, node);
      } else if ("children" in node) stack.push(...(node.children as Nodes[]).toReversed());
    }
  }
  let prefix = "";
  for (const [identifier, definition] of first) {
    const title = definition.title == null ? "" : ` "${escapePunctuation(definition.title)}"`;
    // The identifier is the label normalised, which matches the same references.
    prefix += `[${identifier}]: <${escapePunctuation(definition.url)}>${title}\n`;
  }
  if (prefix === "" || prefix.length > MAX_SHARED_DEFINITIONS_CHARS) return "";
  return `${prefix}\n`;
}

function escapePunctuation(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, "\\$&");
}
