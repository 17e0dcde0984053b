// Fused, tiled attention with an online softmax (FlashAttention-style) on float32 buffers:
// one call handles one key/value head and a block of query positions, so the scores that
// exist at any time are one [rows, key_block] tile. AVX2 + FMA where `pali_isa()` allows it,
// portable C otherwise.
#ifndef CPALIATTENTION_H
#define CPALIATTENTION_H

/// One (key/value head, query block) unit of work.
typedef struct {
    /// Query head `first_head` of the block's first position: row stride `query_stride`;
    /// the `group` heads reading this key/value head follow each other at `head_dim` apart.
    const float *queries;
    long query_stride;
    long key_rows;
    /// This head's keys and values in `pali_attention_pack`'s layout.
    const float *packed;
    long head_dim;
    /// Query heads per key/value head (GQA/MQA grouping).
    long group;
    /// Query positions in the block.
    long positions;
    /// Per position, the visible keys are `key_begin[p] ..< key_end[p]` (non-empty).
    const long *key_begin;
    const long *key_end;
    /// Score multiplier (1/√d or Gemma's query_pre_attn_scalar^-½).
    float scale;
    /// Attention logit soft-cap `cap · tanh(x / cap)` after scaling; 0 for none.
    float softcap;
    /// Keys per tile (the score tile is `positions · group` × `key_block`).
    long key_block;
    /// Output of the block's first position and head, rows `out_stride` apart.
    float *out;
    long out_stride;
} PaliAttentionBlock;

/// Floats of scratch `pali_attention_block` needs for `rows` = positions · group.
long pali_attention_scratch_floats(long rows, long head_dim, long key_block);

/// Floats `pali_attention_pack` writes for one head.
long pali_attention_packed_floats(long key_rows, long head_dim);

/// Packs one head's keys and values (`[key_rows, *]`, rows `kv_stride` apart) into the
/// kernels' layouts: keys as 16-key strips, values as 8-column strips, zero-padded.
void pali_attention_pack(const float *keys, const float *values, long kv_stride,
                         long key_rows, long head_dim, float *packed);

/// Computes the block's output: softmax over visible keys of softcap(scale · q·k) times v.
void pali_attention_block(const PaliAttentionBlock *block, float *scratch);

/// How a decode job's keys and values are held (the cache's format).
typedef enum { PALI_KV_F32 = 0, PALI_KV_BF16 = 1, PALI_KV_INT8 = 2 } PaliKVFormat;

/// Attention of a few query positions (decoding) over a key/value cache, every head at once.
/// Split by key range rather than by head: a range reads each cached row (all heads, e.g.
/// 4 KB) once, front to back, so each core streams one contiguous run of the cache instead
/// of 1 KB runs 4 KB apart. Each range leaves a partial result (unnormalised output and its
/// softmax state); `pali_attention_decode_merge` combines them.
typedef struct {
    /// `[positions, heads · head_dim]`, rows `query_stride` apart.
    const float *queries;
    long query_stride;
    /// `[key_rows, kv_heads · head_dim]`, rows `kv_stride` apart, in `kv_format`: float32 (read
    /// in place), or bf16 or int8 (widened a few rows at a time into the scratch).
    const void *keys;
    const void *values;
    PaliKVFormat kv_format;
    /// int8 only: `[key_rows, kv_heads · head_dim / kv_block]`, a scale per `kv_block`
    /// elements of a row (element c's value is q · scales[c / kv_block]).
    const float *key_scales;
    const float *value_scales;
    /// int8 only: elements per scale, a divisor of head_dim.
    long kv_block;
    long kv_stride;
    long heads;
    long kv_heads;
    /// A multiple of 8.
    long head_dim;
    long positions;
    /// Per position, the visible keys are `key_begin[p] ..< key_end[p]` (non-empty).
    const long *key_begin;
    const long *key_end;
    float scale;
    /// 0 for none.
    float softcap;
    /// `[positions, heads · head_dim]`, rows `out_stride` apart.
    float *out;
    long out_stride;
} PaliDecodeAttention;

/// Floats of scratch one `pali_attention_decode_range` call needs.
long pali_attention_decode_scratch_floats(const PaliDecodeAttention *job);

/// Floats of one range's partial result.
long pali_attention_decode_partial_floats(const PaliDecodeAttention *job);

/// Keys `begin ..< end` (of every position's visible keys) into `partial`.
void pali_attention_decode_range(const PaliDecodeAttention *job, long begin, long end,
                                 float *partial, float *scratch);

/// Writes `job->out` from `parts` partial results laid out one after another, which together
/// covered every visible key once.
void pali_attention_decode_merge(const PaliDecodeAttention *job, long parts,
                                 const float *partials);

#endif
