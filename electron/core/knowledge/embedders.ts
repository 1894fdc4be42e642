// Which embedder a workspace's knowledge uses, and turning texts into vectors with it.
//
// The endpoint's embedding model when an endpoint and an embedding model are set (Settings → AI),
// otherwise the built-in local embedder, so search works offline and on first launch. Every
// chunk records the embedder (its model name) and the dimension count that made its vector, and
// search compares a query only with vectors of the embedder in force: two models' vectors are
// never mixed, even when they happen to have the same length. When the setting changes, the
// 'knowledge.reembed' job brings every chunk over (see reembed.ts).
import type { Database } from '../../../db/client';
import { embed } from '../ai/complete';
import { getSettings } from '../ai/settings';
import type { ApiContext } from '../context';
import { embedLocalInWorker } from './extract-client';
import { LOCAL_EMBEDDER_ID, LOCAL_EMBEDDING_DIMS, localEmbedder } from './local-embedder';

export interface EmbedderChoice {
  kind: 'local' | 'endpoint';
  /** Recorded with every vector: the endpoint's model name, or the local embedder's id. */
  model: string;
  /** Known up front for the local embedder; an endpoint's is learnt from its first answer. */
  dims: number | null;
}

export const LOCAL_EMBEDDER: EmbedderChoice = { kind: 'local', model: LOCAL_EMBEDDER_ID, dims: LOCAL_EMBEDDING_DIMS };

/** Inputs per embeddings request: OpenAI takes up to 2048, local servers are happier with fewer. */
export const ENDPOINT_BATCH = 64;

export function currentEmbedder(db: Database, workspaceId: string): EmbedderChoice {
  const eff = getSettings(db, workspaceId).effective;
  if (eff.configured && eff.embeddingModel) return { kind: 'endpoint', model: eff.embeddingModel, dims: null };
  return LOCAL_EMBEDDER;
}

export interface Embedded {
  vectors: Float32Array[];
  dims: number;
}

/**
 * Vectors for `texts` with `choice`. The local embedder runs in the extraction worker for bulk
 * work (`bulk`) and inline for a query; the endpoint is called in batches of ENDPOINT_BATCH,
 * each call metered as an 'embedding' generation.
 */
export async function embedTexts(
  ctx: ApiContext,
  workspaceId: string,
  choice: EmbedderChoice,
  texts: string[],
  opts: { signal?: AbortSignal; bulk?: boolean } = {},
): Promise<Embedded> {
  if (texts.length === 0) return { vectors: [], dims: choice.dims ?? 0 };
  if (choice.kind === 'local') {
    const vectors = opts.bulk ? await embedLocalInWorker(texts, LOCAL_EMBEDDING_DIMS, opts.signal) : localEmbedder.embed(texts);
    return { vectors, dims: LOCAL_EMBEDDING_DIMS };
  }
  const vectors: Float32Array[] = [];
  let dims = 0;
  for (let i = 0; i < texts.length; i += ENDPOINT_BATCH) {
    const r = await embed(ctx, { workspaceId, input: texts.slice(i, i + ENDPOINT_BATCH), model: choice.model, feature: 'embedding', signal: opts.signal });
    if (dims && r.dimensions !== dims) throw new Error(`The embedding model "${choice.model}" answered with ${r.dimensions} dimensions after ${dims}; check the endpoint's model setting.`);
    dims = r.dimensions;
    vectors.push(...r.vectors);
  }
  return { vectors, dims };
}
