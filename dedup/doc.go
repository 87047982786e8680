// Package dedup holds the machinery of winnow's deduplication stages and
// the stages' shared parts; the stages themselves live in subpackages:
//
//	exact    "exact_dedup"   reason "exact_duplicate"  xxh3 of normalized text
//	minhash  "minhash_dedup" reason "near_duplicate"   MinHash LSH (word 5-grams, 14×8)
//	urls     "url_dedup"     reason "url_duplicate"    normalized URL
//	lines    "line_dedup"    lines "duplicate_line",   cc_net's repeated lines
//	                         documents "line_dedup_too_short"
//
// The first three are Clusterers: corpus stages in the shape of
// pipeline.CorpusStage (Observe every record in corpus order, Prepare, then
// Process from many goroutines) that put documents sharing a key in one
// cluster and keep its first document in corpus order (smallest
// Source.Key). Kept documents of clusters of two or more get the metadata
// "dup_cluster_id" and "dup_cluster_size"; removed ones are rejected with
// Rejection.DuplicateOf naming the kept document. Decisions are made once,
// in Prepare, so they do not depend on the order or concurrency of Process.
//
// The steps are separate, for runners that distribute them (Beam):
//
//	KeyFunc    text -> group keys (signature -> band keys for MinHash)
//	Sorter     pairs (group key, document) -> sorted by key, spilling sorted
//	           runs to disk under a memory cap and merging them k ways
//	UnionFind  members of each group -> connected components (clusters);
//	           with a Similar function, only confirmed pairs are joined
//	Process    the filter: keep the root of each cluster, reject the rest
//
// An Index (Pebble, with Bloom filters, bulk-loaded through SST ingestion)
// remembers the keys of the documents earlier runs kept, so a new run also
// removes documents duplicating an earlier run's output.
package dedup
