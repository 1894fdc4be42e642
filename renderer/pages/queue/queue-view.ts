// Which tab and scope the Queue page shows, kept across visits and restarts on this machine.
import { create } from 'zustand';
import { readLocal, writeLocal } from '../../lib/storage';
import { QUEUE_TABS, type QueueTab, type Scope } from './job-states';

const TAB_KEY = 'postdesk.queue.tab';
const SCOPE_KEY = 'postdesk.queue.scope';

function readTab(): QueueTab {
  const v = readLocal(TAB_KEY);
  return (QUEUE_TABS as readonly string[]).includes(v ?? '') ? (v as QueueTab) : 'upcoming';
}

export const useQueueView = create<{ tab: QueueTab; scope: Scope; setTab(tab: QueueTab): void; setScope(scope: Scope): void }>()((set) => ({
  tab: readTab(),
  scope: readLocal(SCOPE_KEY) === 'all' ? 'all' : 'workspace',
  setTab(tab) {
    writeLocal(TAB_KEY, tab);
    set({ tab });
  },
  setScope(scope) {
    writeLocal(SCOPE_KEY, scope);
    set({ scope });
  },
}));
