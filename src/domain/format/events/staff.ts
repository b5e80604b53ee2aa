/** Employees registering at and leaving a till. */
import type { TillEvent } from "../../../protocol/events";
import type { AlertDraft, Formatters } from "../formatter";
import { LIMIT, type Kit } from "../kit";
import { peopleLines } from "../lines";

function staffDraft(e: TillEvent, kit: Kit): AlertDraft {
  return { sections: [peopleLines(kit, e)], digest: [kit.line(e.employee?.name, LIMIT.person)] };
}

export const staffFormatters: Formatters<"employee.login" | "employee.logout"> = {
  "employee.login": staffDraft,
  "employee.logout": staffDraft,
};
