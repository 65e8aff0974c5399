/** The authors read from an `Authors:` line. */
export interface AuthorList {
  authors: string[];
  truncated: boolean;
  /** Set when a Python-style list could not be read and commas were used instead. */
  problem: string | null;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "", "\\": "\\", "'": "'", '"': '"' };

/** Reads a Python list literal of strings (`['A', "O'B"]`); throws with a reason when it is not one. */
function parsePythonList(source: string): string[] {
  const items: string[] = [];
  let i = 1; // past "["
  const skipSpace = () => {
    while (i < source.length && /\s/.test(source[i] ?? "")) i++;
  };
  skipSpace();
  if (source[i] === "]") return items;
  for (;;) {
    skipSpace();
    const quote = source[i];
    if (quote !== "'" && quote !== '"')
      throw new Error(`expected a quoted name at column ${i + 1}`);
    i++;
    let value = "";
    for (;;) {
      if (i >= source.length) throw new Error("a quoted name is not closed");
      const ch = source[i] ?? "";
      if (ch === "\\") {
        const next = source[i + 1] ?? "";
        if (next === "x" || next === "u") {
          const width = next === "x" ? 2 : 4;
          const hex = source.slice(i + 2, i + 2 + width);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) throw new Error("bad escape");
          value += String.fromCharCode(Number.parseInt(hex, 16));
          i += 2 + width;
        } else {
          value += ESCAPES[next] ?? `\\${next}`;
          i += 2;
        }
      } else if (ch === quote) {
        i++;
        break;
      } else {
        value += ch;
        i++;
      }
    }
    items.push(value);
    skipSpace();
    if (source[i] === ",") {
      i++;
      skipSpace();
      if (source[i] === "]") i++;
      else continue;
    } else if (source[i] === "]") {
      i++;
    } else {
      throw new Error(`expected "," or "]" at column ${i + 1}`);
    }
    skipSpace();
    if (i < source.length) throw new Error(`unexpected text after the list at column ${i + 1}`);
    return items;
  }
}

function stripQuotes(name: string): string {
  return name.replace(/^['"]/, "").replace(/['"]$/, "");
}

/** Reads the value of an `Authors:` line: `A, B, C` or a Python list; a `+` entry marks a cut list. */
export function parseAuthors(value: string): AuthorList {
  const source = value.trim();
  let names: string[];
  let problem: string | null = null;
  if (source.startsWith("[")) {
    try {
      names = parsePythonList(source);
    } catch (error) {
      problem = `author list is not a valid list (${(error as Error).message}); split on commas instead`;
      names = source
        .replace(/^\[/, "")
        .replace(/\]$/, "")
        .split(",")
        .map((name) => stripQuotes(name.trim()));
    }
  } else {
    names = source.split(",");
  }
  let truncated = false;
  const authors: string[] = [];
  for (const raw of names) {
    const name = raw.replace(/\s+/g, " ").trim();
    if (name === "+") truncated = true;
    else if (name !== "") authors.push(name);
  }
  return { authors, truncated, problem };
}
