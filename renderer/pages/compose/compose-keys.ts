// Compose's keys, for the keyboard help sheet (the page binds them in ComposePage and ComposeEditor).
export const COMPOSE_SHORTCUTS: readonly { keys: string[]; label: string }[] = [
  { keys: ['Ctrl/⌘', 'Enter'], label: 'Publish, schedule or submit for approval (what the Publish button says)' },
  { keys: ['←', '→'], label: 'Between the text tabs of the chosen accounts' },
  { keys: ['Enter'], label: 'Save the alt text (Shift+Enter for a new line)' },
];
