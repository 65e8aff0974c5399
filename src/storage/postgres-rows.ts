import type { Delivery, DeliveryStep } from "../delivery/model.js";
import { type DeliveryRow, fromRow, type StepRow } from "./rows.js";

// `pg` hands bigint columns over as strings; ids and epoch ms fit a JS number.
export type PgDeliveryRow = Omit<DeliveryRow, "id" | "update_of"> & {
  id: string;
  update_of: string | null;
};
export type PgStepRow = Omit<StepRow, "delivery_id" | "first_attempt_at"> & {
  delivery_id: string;
  first_attempt_at: string | null;
};

export const toDelivery = (row: PgDeliveryRow): Delivery =>
  fromRow.delivery({
    ...row,
    id: Number(row.id),
    update_of: row.update_of === null ? null : Number(row.update_of),
  });

export const toStep = (row: PgStepRow): DeliveryStep =>
  fromRow.step({
    ...row,
    delivery_id: Number(row.delivery_id),
    first_attempt_at: row.first_attempt_at === null ? null : Number(row.first_attempt_at),
  });
