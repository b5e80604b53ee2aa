/**
 * Counted nouns ("2 гостя", "5 гостей", "1 guest"): the language's own plural
 * rules pick the form, so Russian and Ukrainian get their three forms right.
 */
import type { Language } from "../../chat-settings";
import { localeOf } from "../money";

/** The forms a language needs; `other` is the fallback (and fractions in ru/uk). */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<Language, Intl.PluralRules>();

export function pluralForm(lang: Language, n: number, forms: PluralForms): string {
  let r = rules.get(lang);
  if (!r) {
    r = new Intl.PluralRules(localeOf(lang));
    rules.set(lang, r);
  }
  return forms[r.select(n)] ?? forms.other;
}
