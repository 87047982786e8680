// Package record defines the document that flows through every winnow stage.
//
// A Record is created by a reader (package read), changed in place by stages
// (extract, clean, langid, quality, pii, dedup) and finally written (package
// write), either to the kept output or, when a stage rejected it, to the
// rejected output together with the reason. Every line a stage removes from the
// text and every document it rejects is logged on the record, so that a run can
// account for all it removed.
package record

// Record is one document. Its JSON form (the field tags) is the runner's
// intermediate format between passes, not the written corpus layout, which
// package write defines.
type Record struct {
	// ID identifies the document within its source (WARC-Record-ID, a JSONL
	// id field, a file name without extension).
	ID string `json:"id"`
	// URL is the document's address, when the source has one.
	URL string `json:"url,omitempty"`
	// Text is the document's plain text. For HTML records it is empty until
	// the extract stage fills it.
	Text string `json:"text"`
	// HTML holds the raw payload of an HTTP response (WARC response records),
	// without HTTP headers. Nil for text sources.
	HTML []byte `json:"html,omitempty"`
	// ContentType and Charset come from the HTTP response headers, if any.
	ContentType string `json:"content_type,omitempty"`
	Charset     string `json:"charset,omitempty"`

	// Metadata is written out as the record's "metadata" object. Stages add
	// keys (language, extracted title, duplicate cluster, ...). Values must be
	// JSON-encodable; keys are written in sorted order.
	Metadata map[string]any `json:"metadata,omitempty"`

	// Counts are corpus-wide tallies a stage adds for this document (tokens
	// per vocabulary and language, say). They are not written with the
	// document: the runner sums them over the documents it writes into
	// summary.json's "counters".
	Counts map[string]int64 `json:"counts,omitempty"`

	// Source locates the record in its input, for error reports and for the
	// inspector.
	Source Source `json:"source"`

	// Removed lists the lines stages removed from Text, in order.
	Removed []RemovedLine `json:"removed,omitempty"`

	// Rejection is set when a stage rejects the whole document.
	Rejection *Rejection `json:"rejection,omitempty"`
}

// Source says where a record was read from.
type Source struct {
	File   string `json:"file"`   // path of the input file as given
	Offset int64  `json:"offset"` // byte offset of the record in the (decompressed where noted) input
	Index  int64  `json:"index"`  // 0-based position of the record among the documents of its file
	// Key orders the record in the whole corpus and names it across passes:
	// input number (in sorted input order) << 40 | Index. Set by the runner.
	Key uint64 `json:"key"`
}

// RemovedLine is one line a stage dropped from a document's text.
type RemovedLine struct {
	Stage  string  `json:"stage"`
	Line   int     `json:"line"` // 0-based line number in the text the stage saw
	Text   string  `json:"text"`
	Reason string  `json:"reason"`
	Score  float64 `json:"score,omitempty"`
}

// Rejection says which stage removed a document and why.
type Rejection struct {
	Stage string `json:"stage"`
	// Reason is a stable machine-readable code such as "gopher_min_words" or
	// "exact_duplicate". Users filter and count on it.
	Reason string `json:"reason"`
	// Detail is free text for people (a measured value, a threshold).
	Detail string `json:"detail,omitempty"`
	// DuplicateOf is the id of the kept document for duplicates.
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// Reject marks the record as rejected by stage for reason and returns false,
// so that a stage can write `return r.Reject("gopher", "gopher_min_words", "")`.
func (r *Record) Reject(stage, reason, detail string) bool {
	r.Rejection = &Rejection{Stage: stage, Reason: reason, Detail: detail}
	return false
}

// Count adds n to one of the record's corpus-wide tallies (see Counts).
func (r *Record) Count(key string, n int64) {
	if r.Counts == nil {
		r.Counts = make(map[string]int64)
	}
	r.Counts[key] += n
}

// MetaExtractConfidence is the metadata key the extract stage sets on every
// record whose text it extracted from HTML (its confidence in the choice).
// Later stages read it to tell text winnow extracted from text that came as
// text: the clean stage does not run its line model on the former.
const MetaExtractConfidence = "extract_confidence"

// SetMeta sets a metadata key, allocating the map on first use.
func (r *Record) SetMeta(key string, value any) {
	if r.Metadata == nil {
		r.Metadata = make(map[string]any)
	}
	r.Metadata[key] = value
}
