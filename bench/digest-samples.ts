import { MAX_DIGEST_BYTES } from "../src/digest/parse.js";

const LABELS = ["What's New", "Technical Details", "Performance Highlights"];
const SENTENCES = [
  "긴 문맥을 *효율적으로* 처리합니다.",
  "압축과 선택을 결합합니다.",
  "**6배** 빠릅니다.",
];

/**
 * A digest of `count` papers shaped like the corpus's (heading link, thumbnail, votes, authors,
 * labelled bullets), each entry kept short so that 5,000 of them come to about 0.6 MB.
 */
export function largeDigest(count: number, date = "2025-03-12"): string {
  const out = [`## Daily Papers (${date})`, ""];
  const stamp = date.replaceAll("-", "").slice(2, 6);
  for (let index = 0; index < count; index++) {
    const id = `${stamp}.${String(10000 + index)}`;
    const label = LABELS[index % LABELS.length];
    const sentence = SENTENCES[index % SENTENCES.length];
    out.push(
      `### [Paper ${index}](https://arxiv.org/abs/${id})`,
      `Vote: ${(index * 7) % 90}`,
      `Authors: Xie Z, Wang L`,
      `- ***${label}***: ${sentence}`,
      "",
    );
  }
  return out.join("\n");
}

/**
 * Just under the 4 MB limit of hostile markdown: blocks of emphasis and bracket markers just
 * under the flood guard, deep nesting, and a list too long to be cut.
 */
export function hostileDigest(date = "2025-03-13"): string {
  const parts = [`## Daily Papers (${date})`, ""];
  let size = 0;
  const budget = MAX_DIGEST_BYTES - 64 * 1024;
  const kinds = [
    `${"*a _b ".repeat(166)}\n`,
    `${"[a ](".repeat(199)}\n`,
    `${"> ".repeat(24)}- ${"[x] *y* ".repeat(20)}\n`.repeat(8),
    "- item *a* [b]\n\n".repeat(200),
  ];
  for (let index = 0; size < budget; index++) {
    const block = kinds[index % kinds.length] as string;
    parts.push(
      index % 40 === 0 ? `### [Flood ${index}](https://arxiv.org/abs/2503.${90000 + index})\n` : "",
      block,
    );
    size += block.length + 32;
  }
  return parts.join("\n");
}
