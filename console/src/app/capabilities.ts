// What the menus offer, from the capabilities of the caller's agency (GET /v1/me).
import type { Me } from '../api/types';

const BORDER_CHECK_DATABASES = ['SLTD', 'NOMINAL', 'NOTICES'];

// Messages are shown to agencies that may send them. A border-police agency (record.check
// only) neither sends nor is meant to read the NCBs' correspondence.
export function mayUseMessages(me: Me): boolean {
  return me.capabilities.includes('message.send');
}

// POST /v1/border-checks needs record.check on at least one of SLTD, NOMINAL and NOTICES.
export function mayBorderCheck(me: Me): boolean {
  return BORDER_CHECK_DATABASES.some((db) => me.capabilities.includes(`record.check:${db}`));
}

// GET /v1/hits answers any party to a hit: those who check records and those who own them.
export function mayReadHits(me: Me): boolean {
  return me.capabilities.some((c) => c.startsWith('record.check:') || c.startsWith('record.write:'));
}

// The records screens: an agency holding record.write on any database (the catalogue says
// which are managed, and those are left out there).
export function mayWriteRecords(me: Me): boolean {
  return me.capabilities.some((c) => c.startsWith('record.write:'));
}
