/** License notices: every chat of the restaurant gets them, they cannot be switched off. */
import type { Formatters } from "../formatter";
import { instant, LIMIT } from "../kit";

export const systemFormatters: Formatters<"license.expiring" | "license.expired"> = {
  "license.expiring": (e, kit) => {
    const server = kit.t.quote(kit.line(e.data.agentName, LIMIT.person));
    const expires = instant(e.data.expiresAt) ?? 0;
    const left = e.data.daysLeft;
    const when = kit.t.inDays(left, kit.count(kit.t.count.days, left));
    return {
      sections: [[kit.t.licenseExpiring(server, kit.date(expires), when)], [kit.t.licenseRenew]],
      digest: [kit.line(e.data.agentName, 30), kit.date(expires)],
    };
  },
  "license.expired": (e, kit) => {
    const server = kit.t.quote(kit.line(e.data.agentName, LIMIT.person));
    const expired = instant(e.data.expiredAt) ?? 0;
    return {
      sections: [[`<b>${kit.t.licenseExpired(server, kit.date(expired))}</b>`], [kit.t.licensePaused]],
      digest: [kit.line(e.data.agentName, 30), kit.date(expired)],
    };
  },
};
