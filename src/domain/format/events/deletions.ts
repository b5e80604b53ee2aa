/** Deletions, voids, cancellations and dish moves: the operations owners watch most. */
import type { TillEvent } from "../../../protocol/events";
import type { AlertDraft, Formatters } from "../formatter";
import { looseObject, type Kit } from "../kit";
import { checkRef, orderRef, tillDigest, tillDraft, tillSections } from "../lines";

type Deletions =
  | "precheck.cancelled"
  | "check.annulled"
  | "check.deleted"
  | "dish.moved_in"
  | "dish.moved_out"
  | "dish.deleted_unsaved"
  | "dish.deleted_saved";

/** A check operation: the check's number next to the order's. */
function withCheck(e: TillEvent, kit: Kit): AlertDraft {
  const check = checkRef(kit, e.data);
  return { sections: tillSections(kit, e, { orderExtra: [check] }), digest: [check, ...tillDigest(kit, e)] };
}

export const deletionFormatters: Formatters<Deletions> = {
  "precheck.cancelled": tillDraft,
  "check.annulled": withCheck,
  "check.deleted": withCheck,
  "dish.moved_in": (e, kit) => {
    const from = orderRef(kit, looseObject(e.data.fromOrder), true);
    return {
      sections: tillSections(kit, e, { extra: [from && `↪️ ${kit.t.fromOrder(from)}`] }),
      digest: [...tillDigest(kit, e), from && `↪️ ${kit.t.fromOrder(orderRef(kit, looseObject(e.data.fromOrder)))}`],
    };
  },
  "dish.moved_out": (e, kit) => {
    const to = orderRef(kit, looseObject(e.data.toOrder), true);
    return {
      sections: tillSections(kit, e, { extra: [to && `↩️ ${kit.t.toOrder(to)}`] }),
      digest: [...tillDigest(kit, e), to && `↩️ ${kit.t.toOrder(orderRef(kit, looseObject(e.data.toOrder)))}`],
    };
  },
  "dish.deleted_unsaved": tillDraft,
  "dish.deleted_saved": tillDraft,
};
