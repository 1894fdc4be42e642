// Input fields shared by many methods.
import { z } from 'zod';

/** UUIDv7/UUID text ids as the database issues them. */
export const id = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'not a valid id');
export const workspaceId = id;
