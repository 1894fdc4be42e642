// How the Calendar is looked at: month or week, colour by account or by status, and which account
// it is narrowed to. The first two are kept on this machine across restarts; the day looked at is
// kept while the window is open (leaving for Compose and coming back lands on the same week).
import { create } from 'zustand';
import { readLocal, writeLocal } from '../../lib/storage';
import type { CalendarMode } from './grid';
import type { DayNumber } from './zoned';

export type ColourBy = 'account' | 'status';

const MODE_KEY = 'postdesk.calendar.mode';
const COLOUR_KEY = 'postdesk.calendar.colour';

interface CalendarViewState {
  mode: CalendarMode;
  colourBy: ColourBy;
  /** The day the view is around; null: today. */
  anchor: DayNumber | null;
  /** Show only posts going to this account; null: all. */
  accountId: string | null;
  setMode(mode: CalendarMode): void;
  setColourBy(c: ColourBy): void;
  setAnchor(day: DayNumber | null): void;
  setAccount(id: string | null): void;
}

export const useCalendarView = create<CalendarViewState>()((set) => ({
  mode: readLocal(MODE_KEY) === 'week' ? 'week' : 'month',
  colourBy: readLocal(COLOUR_KEY) === 'status' ? 'status' : 'account',
  anchor: null,
  accountId: null,
  setMode(mode) {
    writeLocal(MODE_KEY, mode);
    set({ mode });
  },
  setColourBy(colourBy) {
    writeLocal(COLOUR_KEY, colourBy);
    set({ colourBy });
  },
  setAnchor(anchor) {
    set({ anchor });
  },
  setAccount(accountId) {
    set({ accountId });
  },
}));
