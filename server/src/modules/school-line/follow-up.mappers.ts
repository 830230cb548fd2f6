import { CONTACT_CHANNEL_LABELS, CONTACT_OUTCOME_LABELS, type familyContactView } from '@baoxue/shared';
import type { z } from 'zod';
import type { FamilyContact } from './follow-up.entities';

/** A contact with the family as the school reads it; who recorded it comes looked up. */
export function mapFamilyContact(contact: FamilyContact, userNames: ReadonlyMap<string, string>): z.infer<typeof familyContactView> {
  return {
    id: contact.id,
    contactedOn: contact.contactedOn,
    channel: contact.channel,
    contactPerson: contact.contactPerson,
    outcome: contact.outcome,
    note: contact.note,
    nextStep: contact.nextStep,
    recordedByName: userNames.get(contact.recordedBy) ?? null,
    recordedAt: contact.recordedAt.toISOString(),
  };
}

/** The school's latest contacts in one line for the case's timeline: "2026-12-01 电话联系母亲：联系不上". */
export function summariseContacts(contacts: readonly FamilyContact[]): string {
  return contacts
    .map((c) => `${c.contactedOn} ${CONTACT_CHANNEL_LABELS[c.channel]}联系${c.contactPerson}：${CONTACT_OUTCOME_LABELS[c.outcome]}`)
    .join('；');
}
