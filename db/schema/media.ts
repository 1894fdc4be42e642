// Media: 002 media_library, with the file on this machine (content-addressed by SHA-256 so the
// same photo imported twice is stored once) and the attributes publishing needs (size, duration,
// alt text). stock_photo_cache keeps Pexels/Unsplash search results between sessions.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { enumCheck, enumText, epochMs, id, json, nonNegative, syncedTimestamps, timestamps } from './columns';
import { workspaceRef } from './workspaces';

export const MEDIA_KINDS = ['image', 'video', 'gif', 'audio', 'document'] as const;
/** 002 source ('upload', 'stock') plus AI-generated and imported from a network. */
export const MEDIA_SOURCES = ['upload', 'stock', 'ai', 'imported'] as const;
export const STOCK_SOURCES = ['pexels', 'unsplash'] as const;

export const media = sqliteTable(
  'media',
  {
    id: id(),
    workspaceId: workspaceRef(),
    filename: text('filename').notNull(),
    /** File under the data folder (relative path). */
    path: text('path'),
    /** Where it came from or is hosted (002 url). */
    url: text('url'),
    kind: enumText('kind', MEDIA_KINDS).notNull().default('image'),
    mimeType: text('mime_type'),
    sizeBytes: integer('size_bytes'),
    /** Hex SHA-256 of the bytes. */
    sha256: text('sha256'),
    width: integer('width'),
    height: integer('height'),
    durationMs: integer('duration_ms'),
    altText: text('alt_text'),
    thumbnailPath: text('thumbnail_path'),
    source: enumText('source', MEDIA_SOURCES).notNull().default('upload'),
    /** Stock attribution, required by Pexels/Unsplash terms. */
    photographerName: text('photographer_name'),
    photographerUrl: text('photographer_url'),
    tags: json<string[]>('tags').notNull().default([]),
    ...syncedTimestamps(),
  },
  (t) => [
    // Same bytes, one library item (a deleted item's tombstone does not block re-importing).
    uniqueIndex('media_workspace_sha256_unique').on(t.workspaceId, t.sha256).where(sql`${t.deletedAt} IS NULL`),
    index('media_workspace_created_idx').on(t.workspaceId, t.createdAt),
    enumCheck('media', t.kind, MEDIA_KINDS),
    enumCheck('media', t.source, MEDIA_SOURCES),
    check('media_location_check', sql`${t.path} IS NOT NULL OR ${t.url} IS NOT NULL`),
    check('media_sha256_check', sql`${t.sha256} IS NULL OR length(${t.sha256}) = 64`),
    nonNegative('media', t.sizeBytes),
  ],
);

/**
 * 002 stock_photo_cache: answers of a public API, shared by every workspace (not user data).
 * cached_at is created_at.
 */
export const stockPhotoCache = sqliteTable(
  'stock_photo_cache',
  {
    id: id(),
    businessType: text('business_type').notNull(),
    searchQuery: text('search_query').notNull(),
    photoUrl: text('photo_url').notNull(),
    photographerName: text('photographer_name'),
    photographerUrl: text('photographer_url'),
    source: enumText('source', STOCK_SOURCES).notNull(),
    width: integer('width'),
    height: integer('height'),
    expiresAt: epochMs('expires_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('stock_photo_cache_type_url_unique').on(t.businessType, t.photoUrl),
    index('stock_photo_cache_type_idx').on(t.businessType),
    enumCheck('stock_photo_cache', t.source, STOCK_SOURCES),
  ],
);
