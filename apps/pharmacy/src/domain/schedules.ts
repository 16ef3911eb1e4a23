import type { DrugSchedule, SupplyKind } from '@hms/contracts-pharmacy';

export interface Prescription {
  prescriberName?: string | null;
  prescriberRegistrationNumber?: string | null;
  prescriberAddress?: string | null;
  prescribedOn?: string | null;
  patientName?: string | null;
}

/**
 * Why a supply may not go ahead (DRUG-01, DRUG-02), or null. Schedule H, H1, X and NDPS drugs
 * need a registered practitioner's prescription; an H1 supply also needs every field of the H1
 * register (prescriber's name and address, patient's name), refused if any is missing.
 */
export function scheduleProblem(schedule: DrugSchedule, itemName: string, prescription: Prescription | null, supplyKind: SupplyKind): string | null {
  const needsPrescription = schedule === 'H' || schedule === 'H1' || schedule === 'X' || schedule === 'NDPS';
  if (!needsPrescription) return null;
  if (!prescription || !present(prescription.prescriberName) || !present(prescription.prescriberRegistrationNumber)) {
    return `${itemName} is a Schedule ${schedule} drug: it is sold only against a registered practitioner's prescription (prescriber's name and registration number)`;
  }
  if (schedule === 'H1') {
    const missing = [
      !present(prescription.prescriberAddress) && 'prescriber address',
      !present(prescription.patientName) && 'patient name',
    ].filter(Boolean);
    if (missing.length) return `${itemName} is a Schedule H1 drug: the H1 register needs the ${missing.join(' and ')}`;
  }
  if (supplyKind === 'otc' && (schedule === 'X' || schedule === 'NDPS')) {
    return `${itemName} is a Schedule ${schedule} drug and cannot be sold over the counter`;
  }
  return null;
}

const present = (v: string | null | undefined) => typeof v === 'string' && v.trim().length > 0;

/** The H1 register keeps every entry at least three years (DRUG-02). */
export const H1_RETENTION_YEARS = 3;
