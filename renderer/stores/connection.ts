// The event stream's state, for the "reconnecting" indicator.
import { create } from 'zustand';
import type { ConnectionStatus } from '../api/client';

export const useConnection = create<{ status: ConnectionStatus; set(status: ConnectionStatus): void }>()((set) => ({
  status: 'connecting',
  set: (status) => set({ status }),
}));
