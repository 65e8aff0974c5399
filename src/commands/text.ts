import type { Language } from "../i18n.js";

/** Reply text of the slash commands, in Korean and English. */
export const TEXT = {
  topTitle: {
    ko: (label: string) => `🏆 추천 상위 논문 — ${label}`,
    en: (label: string) => `🏆 Top-voted papers — ${label}`,
  },
  periodToday: { ko: (date: string) => `최신 (${date})`, en: (date: string) => `latest (${date})` },
  periodDays: {
    ko: (n: number, from: string, to: string) => `최근 ${n}일 (${from} ~ ${to})`,
    en: (n: number, from: string, to: string) => `last ${n} days (${from} – ${to})`,
  },
  periodAll: { ko: "전체 기간", en: "all time" },
  authorTitle: {
    ko: (name: string, n: number) => `👤 ${name} — 논문 ${n}편`,
    en: (name: string, n: number) => `👤 ${name} — ${n} paper${n === 1 ? "" : "s"}`,
  },
  searchTitle: {
    ko: (q: string, n: number) => `🔎 "${q}" — ${n}건`,
    en: (q: string, n: number) => `🔎 "${q}" — ${n} result${n === 1 ? "" : "s"}`,
  },
  page: {
    ko: (p: number, total: number) => `${p} / ${total} 쪽`,
    en: (p: number, total: number) => `page ${p} of ${total}`,
  },
  previous: { ko: "이전", en: "Previous" },
  next: { ko: "다음", en: "Next" },
  noDigest: { ko: "아카이브에 다이제스트가 없습니다.", en: "The archive holds no digest yet." },
  noDigestFor: {
    ko: (d: string) => `${d} 다이제스트가 없습니다.`,
    en: (d: string) => `There is no digest for ${d}.`,
  },
  badDate: {
    ko: (d: string) =>
      `"${d}"는 날짜가 아닙니다. YYYY-MM-DD 형식으로 적어 주세요 (예: 2024-02-20).`,
    en: (d: string) => `"${d}" is not a date. Use YYYY-MM-DD, for example 2024-02-20.`,
  },
  noAuthor: {
    ko: (n: string) => `"${n}" 저자의 논문이 없습니다.`,
    en: (n: string) => `No papers by "${n}".`,
  },
  noResults: {
    ko: (q: string) => `"${q}"에 맞는 논문이 없습니다.`,
    en: (q: string) => `Nothing matches "${q}".`,
  },
  digestPick: { ko: "논문을 골라 자세히 보기", en: "Pick a paper to see it in full" },
} as const;

type Text = typeof TEXT;

/** A command reply text in `language`. */
export function tc<K extends keyof Text>(language: Language, key: K): Text[K]["en"] {
  return TEXT[key][language] as Text[K]["en"];
}

/** Both languages of one text, for a `UserError`. */
export function both<K extends keyof Text, A extends unknown[]>(
  key: K,
  ...args: A
): Record<Language, string> {
  const pick = (language: Language) => {
    const value = TEXT[key][language] as unknown;
    return typeof value === "function"
      ? String((value as (...a: A) => string)(...args))
      : String(value);
  };
  return { ko: pick("ko"), en: pick("en") };
}
