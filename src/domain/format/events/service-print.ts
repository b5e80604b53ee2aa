/**
 * Service print: a document the till printed (a kitchen ticket, a banquet
 * order), forwarded as printed, in monospace.
 */
import type { Formatters } from "../formatter";
import { LIMIT } from "../kit";
import { labelled, orderLine, orderRef, preBlock } from "../lines";

export const servicePrintFormatters: Formatters<"service_print"> = {
  service_print: (e, kit) => {
    const doc = e.data.document;
    const title = kit.line(doc.title, LIMIT.reason);
    const { label } = kit.t;
    return {
      sections: [
        [
          title && `<b>${title}</b>`,
          labelled("🖨", label.printer, kit.line(doc.printer, LIMIT.person)),
          labelled("🎯", label.purpose, kit.line(doc.purpose, LIMIT.person)),
          orderLine(kit, e.order),
        ],
        [doc.lines.length > 0 ? preBlock(kit, doc.lines, 1000) : `<i>${kit.t.emptyDocument}</i>`],
      ],
      digest: [kit.line(doc.title, 50), kit.line(doc.printer, 30), orderRef(kit, e.order)],
    };
  },
};
