/**
 * The contract between alert.ts and the per-type formatters in ./events: a
 * formatter says what is particular to its event; alert.ts adds the header
 * (icon, headline, restaurant, station), the time and the length guard.
 */
import type { EventOf, EventType } from "../../protocol/events";
import type { Section } from "./compose";
import type { Kit } from "./kit";

export interface AlertDraft {
  /** Escaped HTML replacing the type's name as the headline ("Закрытие общей смены №12"). */
  title?: string;
  /** Body sections, most important first (see composeMessage). */
  sections: Section[];
  /** Facts for the digest line, escaped HTML without line breaks; empty ones are skipped. */
  digest: Array<string | null | undefined | false>;
}

export type Formatter<K extends EventType> = (event: EventOf<K>, kit: Kit) => AlertDraft;

/** Formatters of some event types: each group file exports one of these. */
export type Formatters<K extends EventType> = { [T in K]: Formatter<T> };

/** Every event type has its formatter: a type without one does not compile. */
export type FormatterRegistry = Formatters<EventType>;
