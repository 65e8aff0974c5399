const ARXIV_LINK =
  /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/([a-z-]+(?:\.[A-Z]{2})?\/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?\/?(?:[?#].*)?$/i;

/** The arXiv id of an arXiv abstract or PDF link, without version suffix; null for any other link. */
export function arxivIdFromUrl(url: string): string | null {
  const match = ARXIV_LINK.exec(url.trim());
  return match?.[1] ?? null;
}
