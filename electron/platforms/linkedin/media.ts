// Images go up in two steps (Images API): initializeUpload names the image URN and a one-time
// upload URL, then the bytes are PUT there. Only after both does a post may reference the URN.
import { readFile } from 'node:fs/promises';
import { type ConnectorAccount, type MediaInput } from '../connector';
import { PlatformError } from '../errors';
import { bearer } from '../http';
import { type LinkedInApi, linkedInError } from './api';
import { initializeImageUpload } from './schemas';

/** JPG, PNG and GIF (Images API); anything else LinkedIn rejects after the upload. */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/jpg', 'image/png', 'image/gif']);

export interface UploadedImage {
  id: string;
  altText: string | null;
}

export function checkImage(media: MediaInput): void {
  if (!IMAGE_TYPES.has(media.mimeType.toLowerCase())) {
    throw linkedInError('media', `LinkedIn accepts JPG, PNG and GIF images; this file is ${media.mimeType}.`);
  }
  if (media.path === null) throw linkedInError('media', 'This image is not a file on this computer, and LinkedIn needs the file itself to upload.');
}

/**
 * Upload URLs point at LinkedIn's upload hosts (www.linkedin.com/dms-uploads/...). The access token
 * goes only to those, or to the configured API host itself, never to a host an answer made up.
 */
function mayCarryToken(uploadUrl: string, apiBaseUrl: string): boolean {
  const target = new URL(uploadUrl);
  if (target.origin === new URL(apiBaseUrl).origin) return true;
  return target.protocol === 'https:' && (target.hostname === 'linkedin.com' || target.hostname.endsWith('.linkedin.com'));
}

export async function uploadImage(api: LinkedInApi, account: ConnectorAccount, owner: string, media: MediaInput, signal?: AbortSignal): Promise<UploadedImage> {
  checkImage(media);
  let bytes: Buffer;
  try {
    bytes = await readFile(media.path ?? '');
  } catch (err) {
    throw linkedInError('media', 'Postdesk could not read this image file; it may have been moved or deleted.', { cause: err });
  }
  const init = await api.json(
    account,
    {
      method: 'POST',
      path: '/rest/images',
      query: { action: 'initializeUpload' },
      json: { initializeUploadRequest: { owner } },
      // Initializing only reserves an unused image URN: repeating it has no visible effect.
      idempotent: true,
      ...(signal === undefined ? {} : { signal }),
    },
    initializeImageUpload,
  );
  const { uploadUrl, image } = init.data.value;
  try {
    await api.http.send({
      method: 'PUT',
      url: uploadUrl,
      headers: {
        ...(mayCarryToken(uploadUrl, account.baseUrl) ? bearer(account.credentials.accessToken) : {}),
        'content-type': 'application/octet-stream',
      },
      body: new Uint8Array(bytes),
      timeoutMs: api.config.uploadTimeoutMs,
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (err) {
    // A 4xx on the upload host is about the bytes (size, format), not the post.
    if (err instanceof PlatformError && err.category === 'validation') {
      throw new PlatformError({
        platform: 'linkedin',
        category: 'media',
        message: `LinkedIn refused the image upload: ${err.message}`,
        status: err.status,
        code: err.code,
        effect: 'none',
        traceId: err.traceId,
        cause: err,
      });
    }
    throw err;
  }
  return { id: image, altText: media.altText };
}
