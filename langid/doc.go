// Package langid identifies the language of documents: a pure-Go inference
// engine for fastText classifiers (the lid.176 model FineWeb uses, GlotLID,
// or any supervised fastText model, in .bin or quantized .ftz form), an
// embedded fallback detector for when no model is configured, and the
// pipeline stage "langid" that tags each record and filters on a keep-list
// and per-language confidence thresholds.
//
// # fastText inference
//
// LoadModel reads a model file; Model.Predict reproduces
// `fasttext predict-prob MODEL - k` of fastText 0.9.2 on one line of text.
// A line is split into words on ASCII whitespace and NUL, and the end-of-line
// token "</s>" is appended. Each word contributes its own input row, when it
// is in the model's vocabulary, and the rows of its character n-grams: the
// word is wrapped as "<word>", and every substring of minn to maxn UTF-8
// characters is hashed with 32-bit FNV-1a into one of `bucket` rows (through
// the pruning index of a quantized model, which drops n-grams it did not
// keep). With wordNgrams > 1, hashed word n-grams are added too. The
// average of these rows is the sentence vector; the output layer turns it
// into label probabilities by softmax, one-vs-all sigmoids, or, as lid.176
// does, hierarchical softmax: a walk down a Huffman tree over the labels,
// multiplying the sigmoid of each inner node's score along the path.
//
// Quantized models store each row as codes into product-quantizer
// codebooks (one centroid of 256 per group of dsub dimensions), optionally
// scaled by a quantized row norm. Arithmetic is in float32 in fastText's
// order, and ties between equal scores are broken as fastText's heap does,
// so results match libfasttext: on 6,038 lines of 23 languages the parity
// test finds the same labels and probabilities within 5e-6 (see
// parity_test.go).
//
// # Detection and the stage
//
// A Detector returns one Result (code and confidence) per text: FastText
// wraps a Model, Fallback wraps whatlanggo, a trigram detector compiled into
// the binary. Long documents are judged on a bounded Sample of their start,
// middle and end, with lines joined by spaces, as fastText expects one line.
// The stage writes the metadata keys "language", "language_score" and
// "language_detector", and rejects with reason "langid_not_kept" or
// "langid_low_score". A model named in several stages is loaded once per
// process and shared by all workers.
package langid
