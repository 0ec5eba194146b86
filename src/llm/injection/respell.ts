/**
 * Words the rules key on, in the forms they appear. Misspelling them ("insturctions", "pasword",
 * "previouse") is common in real attempts, by accident or to slip past exact matching.
 */
const TRIGGER_WORDS = [
  'instruction',
  'instructions',
  'previous',
  'password',
  'passwords',
  'ignore',
  'disregard',
  'direction',
  'directions',
  'prompt',
  'prompts',
  'system',
  'restrictions',
  'guidelines',
  'secret',
  'reveal',
  'forget',
  'everything',
  'character',
  'jailbreak',
  'jailbroken',
  'developer',
  'uncensored',
  'unfiltered',
  'above',
];
const TRIGGERS = new Set(TRIGGER_WORDS);

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped at max + 1. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (prev2[j - 2] ?? 0) + 1);
      row.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length] ?? max + 1;
}

// Real words one edit away from a trigger that must not be rewritten into it.
const NEAR_MISSES = new Set([
  'passport',
  'abode',
  'abate',
  'forged',
  'forgets',
  'revel',
  'prompted',
  'secrets',
  'systems',
  'ignored',
  'ignores',
  'prompter',
]);

/**
 * Replace lower-case words within one edit (two for words of ten letters or more) of a trigger word
 * by that word. Only used to build a matching view; short words are left alone because too many
 * real words sit one edit from each other.
 */
export function respellTriggerWords(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(/[a-z]{5,}/g, (word) => {
    const known = seen.get(word);
    if (known !== undefined) return known;
    const respelled = nearestTrigger(word);
    seen.set(word, respelled);
    return respelled;
  });
}

function nearestTrigger(word: string): string {
  if (TRIGGERS.has(word) || NEAR_MISSES.has(word)) return word;
  for (const trigger of TRIGGER_WORDS) {
    // Typos rarely touch both of the first two letters; checking that first skips most of the work.
    if (word[0] !== trigger[0] && word[1] !== trigger[0] && word[0] !== trigger[1]) continue;
    const max = trigger.length >= 10 ? 2 : 1;
    if (editDistance(word, trigger, max) <= max) return trigger;
  }
  return word;
}
