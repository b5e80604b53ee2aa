/** The formatter of every event type, by type. */
import type { FormatterRegistry } from "../formatter";
import { deletionFormatters } from "./deletions";
import { deliveryFormatters } from "./delivery";
import { discountFormatters } from "./discounts";
import { orderFormatters } from "./orders";
import { posFormatters } from "./pos";
import { servicePrintFormatters } from "./service-print";
import { shiftFormatters } from "./shift";
import { staffFormatters } from "./staff";
import { systemFormatters } from "./system";

export const FORMATTERS: FormatterRegistry = {
  ...deletionFormatters,
  ...discountFormatters,
  ...orderFormatters,
  ...staffFormatters,
  ...posFormatters,
  ...servicePrintFormatters,
  ...shiftFormatters,
  ...deliveryFormatters,
  ...systemFormatters,
};
