/**
 * The classification tables for r_keeper notify events. Data, not code: what
 * a situation means, what an operation (`<Oper>`) means. Public material only
 * names a few situations and operations for sure (see docs/AGENT.md and the
 * research notes); everything else here matches on names, and a site can
 * override any operation id with `rk7OperMap` in the config.
 */
import type { AgentEventType } from "../../../src/protocol/events";

/** What a whole notify event means, before its ChangeLog is read. */
export type SituationMeaning =
  | "pos.started"
  | "employee.login"
  | "employee.logout"
  | "order.saved"
  | "order.quit"
  | "order.opened"
  | "order.changed"
  | "order.calculated"
  | "check.closed"
  | "precheck.printed"
  | "precheck.cancelled"
  | "check.deleted"
  | "check.annulled"
  | "ignore";

export interface SituationRule {
  situations: number[];
  /** Matches the event's `name` attribute (case-insensitive). */
  names: RegExp;
  meaning: SituationMeaning;
  /** Observed in a real driver log (soup-rk7-events notify_test0.log) or documented. */
  evidence: "observed" | "documented" | "inferred";
}

/** First match wins; a rule matches on the situation number or on the name. */
export const SITUATION_RULES: SituationRule[] = [
  { situations: [1], names: /^started$/i, meaning: "pos.started", evidence: "observed" },
  { situations: [21], names: /^log ?in$/i, meaning: "employee.login", evidence: "observed" },
  { situations: [], names: /log ?out|log ?off|unregister|выход сотрудника/i, meaning: "employee.logout", evidence: "inferred" },
  { situations: [13], names: /^save order$/i, meaning: "order.saved", evidence: "observed" },
  { situations: [9], names: /^quit order$/i, meaning: "order.quit", evidence: "observed" },
  { situations: [12], names: /^(open|new) order$/i, meaning: "order.opened", evidence: "observed" },
  { situations: [3], names: /^order changed$/i, meaning: "order.changed", evidence: "observed" },
  { situations: [4], names: /^order (recalc|calc|calculation)/i, meaning: "order.calculated", evidence: "documented" },
  { situations: [5], names: /receipt clos|print receipt|close receipt|close check/i, meaning: "check.closed", evidence: "documented" },
  { situations: [], names: /(undo|cancel|void|delete).*bill|bill.*(undo|cancel)|отмена пречека/i, meaning: "precheck.cancelled", evidence: "inferred" },
  { situations: [], names: /print bill|bill print|печать пречека/i, meaning: "precheck.printed", evidence: "inferred" },
  { situations: [], names: /undo receipt|annul|аннулир/i, meaning: "check.annulled", evidence: "inferred" },
  { situations: [], names: /(delete|void) (receipt|check)|удаление чека/i, meaning: "check.deleted", evidence: "inferred" },
  { situations: [2, 22], names: /^(main menu|open window)$/i, meaning: "ignore", evidence: "observed" },
];

/** What one `<Oper>` (an r_keeper OPERATIONS item) in a ChangeLog entry means. */
export type OperMeaning =
  | "ignore"
  | "save"
  | "dish.added"
  | "dish.deleted"
  | "dish.moved"
  | "discount.added"
  | "discount.removed"
  | "precheck.printed"
  | "precheck.cancelled"
  | "check.closed"
  | "check.deleted"
  | "check.annulled";

/** Operation ids known for sure (observed in a real driver log). */
export const KNOWN_OPERATION_IDS: Record<string, OperMeaning> = {
  "263": "ignore", // «Изменение КДС-статуса у блюда»
  "416": "save", // «Закрыть заказ с сохранением»
};

/** Operation names (r_keeper's Russian OPERATIONS names), first match wins. */
export const OPERATION_NAME_RULES: Array<[RegExp, OperMeaning]> = [
  [/кдс|kds/i, "ignore"],
  [/с сохранением|сохранить заказ|save order/i, "save"],
  [/отмен\S* пречек|undo bill|cancel bill/i, "precheck.cancelled"],
  [/пречек|print bill/i, "precheck.printed"],
  [/аннулир|отмен\S* чек|undo receipt/i, "check.annulled"],
  [/удал\S* чек|delete receipt|void receipt/i, "check.deleted"],
  [/перенос|перемещ|transfer/i, "dish.moved"],
  [/удал\S* скидк|отмен\S* скидк|delete discount/i, "discount.removed"],
  [/скидк|наценк|discount/i, "discount.added"],
  [/удал\S* блюд|удаление|отказ|void|delete dish/i, "dish.deleted"],
  [/оплат|закрыт\S* чек|расч[её]т|pay/i, "check.closed"],
  [/добав\S* блюд|add dish/i, "dish.added"],
  [/модификатор|комментар|курс|подач|гост|стол|seat|course|comment/i, "ignore"],
];

/** A site's `rk7OperMap` value as an operation meaning. */
export function meaningFromEventType(type: AgentEventType | "ignore"): OperMeaning | undefined {
  switch (type) {
    case "ignore":
      return "ignore";
    case "dish.deleted_saved":
    case "dish.deleted_unsaved":
      return "dish.deleted";
    case "dish.moved_in":
    case "dish.moved_out":
      return "dish.moved";
    case "discount.added":
    case "loyalty_discount.added":
      return "discount.added";
    case "discount.removed":
    case "loyalty_discount.removed":
      return "discount.removed";
    case "precheck.printed":
    case "precheck.cancelled":
    case "check.closed":
    case "check.deleted":
    case "check.annulled":
      return type;
    case "order.saved":
      return "save";
    default:
      return undefined;
  }
}

/** KDS states (dish `kdsstate`): a ChangeLog entry that only moves between these is kitchen progress, not a risk. */
export const KDS_STATES = new Set(["", "sent", "started", "ready", "taken", "collect", "collected", "startpark", "endpark", "removed"]);
