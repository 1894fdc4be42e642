// Each instance sets its own limits (max_characters is 500 by default but often 1000-5000), and
// reports them at GET /api/v2/instance. They are read once per instance per run and kept here;
// ConnectedProfile has no room for them, so the connector asks again after a restart.
import { CAPABILITIES } from '../capabilities';
import { joinUrl } from '../connector';
import { PlatformError } from '../errors';
import type { HttpClient } from '../http';
import { instanceSchema } from './schemas';

export interface InstanceLimits {
  maxCharacters: number;
  maxMediaAttachments: number;
  charactersReservedPerUrl: number;
  /** Bytes; null when the instance doesn't say (then the server's 422 is the check). */
  imageSizeLimit: number | null;
  videoSizeLimit: number | null;
  /** null when the instance doesn't list them. */
  supportedMimeTypes: readonly string[] | null;
  descriptionLimit: number;
  /** false when these are Mastodon's defaults because the instance has no v2 endpoint (before 4.0). */
  reported: boolean;
}

const caps = CAPABILITIES.mastodon;

export const DEFAULT_LIMITS: InstanceLimits = {
  maxCharacters: caps.text.limit.value,
  maxMediaAttachments: caps.media.maxItems,
  charactersReservedPerUrl: caps.text.urlLength,
  imageSizeLimit: null,
  videoSizeLimit: null,
  supportedMimeTypes: null,
  descriptionLimit: caps.altText.maxLength.value,
  reported: false,
};

export async function fetchInstanceLimits(http: HttpClient, baseUrl: string, signal?: AbortSignal): Promise<InstanceLimits> {
  try {
    const { data } = await http.json({ method: 'GET', url: joinUrl(baseUrl, '/api/v2/instance'), ...(signal ? { signal } : {}) }, instanceSchema);
    const s = data.configuration?.statuses;
    const m = data.configuration?.media_attachments;
    return {
      maxCharacters: s?.max_characters ?? DEFAULT_LIMITS.maxCharacters,
      maxMediaAttachments: s?.max_media_attachments ?? DEFAULT_LIMITS.maxMediaAttachments,
      charactersReservedPerUrl: s?.characters_reserved_per_url ?? DEFAULT_LIMITS.charactersReservedPerUrl,
      imageSizeLimit: m?.image_size_limit ?? null,
      videoSizeLimit: m?.video_size_limit ?? null,
      supportedMimeTypes: m?.supported_mime_types ?? null,
      descriptionLimit: m?.description_limit ?? DEFAULT_LIMITS.descriptionLimit,
      reported: true,
    };
  } catch (err) {
    // Instances before 4.0 have only /api/v1/instance; their limits are the defaults unless
    // patched, and the server's own 422 still guards a fork that raised them.
    if (err instanceof PlatformError && err.status === 404) return DEFAULT_LIMITS;
    throw err;
  }
}

export class InstanceLimitsCache {
  readonly #http: HttpClient;
  readonly #byInstance = new Map<string, InstanceLimits>();

  constructor(http: HttpClient) {
    this.#http = http;
  }

  async get(baseUrl: string, signal?: AbortSignal): Promise<InstanceLimits> {
    const key = baseUrl.replace(/\/+$/, '');
    const known = this.#byInstance.get(key);
    if (known) return known;
    const limits = await fetchInstanceLimits(this.#http, key, signal);
    this.#byInstance.set(key, limits);
    return limits;
  }
}
