// Every table of the local database, one file per area.
export * from './workspaces';
