// Every table of the local database, one file per area. docs/SCHEMA.md maps each seed entity here.
export * from './enums';
export * from './workspaces';
export * from './accounts';
export * from './posts';
export * from './media';
export * from './inbox';
export * from './crm';
export * from './ai';
export * from './knowledge';
export * from './analytics';
export * from './campaigns';
export * from './ads';
export * from './billing';
export * from './jobs';
export * from './sync';
export * from './settings';
