import { discordMarkdownToHtml, escapeHtml } from "./markdown.js";

interface Part {
  type: number;
  content?: string;
  components?: Part[];
  accessory?: { type: number; media?: { url?: string }; description?: string };
  items?: { media?: { url?: string }; description?: string }[];
  label?: string;
  url?: string;
}

/** Card text as Discord shows it: `### ` a heading, `-# ` small grey text, the rest markdown. */
function textHtml(content: string): string {
  return content
    .split("\n")
    .map((line) =>
      line.startsWith("### ")
        ? `<span class="card-title">${discordMarkdownToHtml(line.slice(4))}</span>`
        : line.startsWith("-# ")
          ? `<small class="card-subtext">${discordMarkdownToHtml(line.slice(3))}</small>`
          : discordMarkdownToHtml(line),
    )
    .join("<br>");
}

function partHtml(part: Part): string {
  switch (part.type) {
    case 10:
      return `<div class="card-text">${textHtml(part.content ?? "")}</div>`;
    case 9: {
      const thumb = part.accessory?.media?.url;
      return `<div class="card-section"><div>${(part.components ?? []).map(partHtml).join("")}</div>${
        thumb
          ? `<img class="card-thumb" src="${escapeHtml(thumb)}" alt="${escapeHtml(part.accessory?.description ?? "")}">`
          : ""
      }</div>`;
    }
    case 12:
      return `<div class="card-gallery">${(part.items ?? [])
        .map((item) =>
          /\.(mp4|webm|mov)(\?|$)/i.test(item.media?.url ?? "")
            ? `<video controls preload="none" src="${escapeHtml(item.media?.url ?? "")}"></video>`
            : `<img src="${escapeHtml(item.media?.url ?? "")}" alt="${escapeHtml(item.description ?? "")}">`,
        )
        .join("")}</div>`;
    case 1:
      return `<discord-action-row>${(part.components ?? [])
        .map(
          (button) =>
            `<discord-button type="secondary" url="${escapeHtml(button.url ?? "")}">${escapeHtml(button.label ?? "")}</discord-button>`,
        )
        .join("")}</discord-action-row>`;
    default:
      return "";
  }
}

/** A Components V2 container (a paper card) as HTML, laid out as Discord shows it. */
export function cardHtml(container: {
  accent_color?: number | null;
  components?: unknown[];
}): string {
  const accent = `#${(container.accent_color ?? 0x4e5058).toString(16).padStart(6, "0")}`;
  const parts = (container.components ?? []) as Part[];
  return `<div class="card" style="border-left-color:${accent}">${parts.map(partHtml).join("")}</div>`;
}

/** The page style for cards (Discord's dark theme). */
export const CARD_CSS = `
  .card { border-left: 4px solid; background: #2b2d31; border-radius: 8px; padding: 12px 16px; margin: 4px 0; max-width: 560px; }
  .card-section { display: flex; gap: 12px; justify-content: space-between; }
  .card-thumb { width: 80px; height: 80px; object-fit: cover; border-radius: 6px; flex: none; }
  .card-title { font-size: 18px; font-weight: 700; line-height: 1.4; }
  .card-subtext { color: #949ba4; font-size: 12px; }
  .card-text { margin: 6px 0; font-size: 15px; line-height: 1.4; }
  .card-gallery video, .card-gallery img { max-width: 100%; border-radius: 6px; margin: 6px 0; }
`;
