/**
 * Characters that render like a Latin letter but are a different code point. NFKC already folds
 * fullwidth forms and mathematical alphanumerics (𝐢𝐠𝐧𝐨𝐫𝐞, ｉｇｎｏｒｅ); these are the lookalikes it leaves
 * alone because they are real letters of other scripts. A short table rather than the full Unicode
 * confusables file: it covers what attackers actually paste, and it stays readable.
 */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic lower case
  а: 'a', в: 'b', е: 'e', ё: 'e', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p',
  с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ɡ: 'g', ү: 'y', ӏ: 'l', п: 'n', г: 'r',
  // Cyrillic upper case
  А: 'A', В: 'B', Е: 'E', Ё: 'E', Һ: 'H', І: 'I', Ї: 'I', Ј: 'J', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P',
  С: 'C', Т: 'T', У: 'Y', Х: 'X', Ѕ: 'S', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', Ү: 'Y', Ӏ: 'I',
  // Greek lower case
  α: 'a', β: 'b', γ: 'y', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
  ω: 'w', ϲ: 'c', ϳ: 'j',
  // Greek upper case
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y',
  Χ: 'X', Ϲ: 'C',
  // Latin extensions, IPA and Armenian letters used as lookalikes
  ı: 'i', ȷ: 'j', ɑ: 'a', ɩ: 'i', ɪ: 'i', ʀ: 'r', ɴ: 'n', ʏ: 'y', ᴀ: 'a', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ᴋ: 'k',
  ᴍ: 'm', ᴏ: 'o', ᴘ: 'p', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z', ꜱ: 's', ʜ: 'h', ʟ: 'l', ɢ: 'g',
  օ: 'o', ս: 'u', ց: 'g', հ: 'h', ո: 'n', ք: 'p', ǀ: 'l',
  // Cherokee letters that look like Latin capitals
  Ꭺ: 'A', Ᏼ: 'B', Ꮯ: 'C', Ꭼ: 'E', Ꮋ: 'H', Ꭵ: 'i', Ꮶ: 'K', Ꮇ: 'M', Ꮲ: 'P', Ꮪ: 'S', Ꭲ: 'T', Ꮃ: 'W', Ꮓ: 'Z',
};

const CONFUSABLE_PATTERN = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');

/** Replace every lookalike in the table by the Latin letter it imitates. */
export function foldConfusables(text: string): string {
  return text.replace(CONFUSABLE_PATTERN, (ch) => CONFUSABLES[ch] ?? ch);
}

/** True when the string contains at least one character from the table. */
export function hasConfusable(text: string): boolean {
  CONFUSABLE_PATTERN.lastIndex = 0;
  const found = CONFUSABLE_PATTERN.test(text);
  CONFUSABLE_PATTERN.lastIndex = 0;
  return found;
}
