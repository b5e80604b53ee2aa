/**
 * Lengths of time as a manager says them: the two largest units that matter
 * ("1 ч 5 мин", "2 d 3 h", "45 s"), never "1 h 0 min".
 */
import type { Language } from "../chat-settings";
import { texts } from "./i18n";

const STEPS = [
  ["d", 86_400],
  ["h", 3_600],
  ["min", 60],
  ["s", 1],
] as const;

export function formatDuration(seconds: number, lang: Language): string {
  const u = texts(lang).units;
  let rest = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : 0;
  const amounts = STEPS.map(([unit, size]) => {
    const n = Math.floor(rest / size);
    rest -= n * size;
    return [unit, n] as const;
  });
  const first = amounts.findIndex(([, n]) => n > 0);
  if (first < 0) return `0 ${u.s}`;
  return amounts
    .slice(first, first + 2)
    .filter(([, n]) => n > 0)
    .map(([unit, n]) => `${n} ${u[unit]}`)
    .join(" ");
}
