/**
 * Officials paste identifiers from Word, Excel and Chinese input methods: full-width digits
 * (１２３), full-width letters, ideographic spaces and stray whitespace are common. Identifiers are
 * normalised before they are validated so that a correct number is never refused for its typing.
 */
export function normalizeIdentifier(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/**
 * Free text (observations, addresses, notes): trimmed, runs of whitespace made one space. Only
 * canonical (NFC) normalisation: compatibility folding would turn Chinese punctuation (，！？)
 * into ASCII.
 */
export function normalizeText(input: string): string {
  return input.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Characters that show nothing (zero-width spaces, soft hyphens, direction marks, a stray BOM): they could make a required text look filled. */
const INVISIBLE = /[\u00AD\u200B\u200C\u200E\u200F\u2060\uFEFF]/g;

/** A name as displayed: full-width letters and digits folded (ＬＩ → LI), spaces trimmed and collapsed. */
export function normalizeName(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** A person's name for matching: no spaces or middle dots, full-width folded. */
export function normalizePersonName(input: string): string {
  return input.normalize('NFKC').replace(/[\s·•・.]/g, '');
}
