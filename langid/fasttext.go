package langid

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
)

// fastText's binary model format, version 12 (fastText 0.9.x), as written by
// FastText::saveModel. All integers and floats are little-endian:
//
//	int32 magic (793712314), int32 version (<= 12)
//	args:       int32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model,
//	            bucket, minn, maxn, lrUpdateRate; float64 t
//	dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidxSize;
//	            size × (NUL-terminated word, int64 count, int8 type);
//	            pruneidxSize × (int32 bucket, int32 row)
//	bool quantInput; input matrix (dense or quantized)
//	bool quantOutput; output matrix (quantized only if both flags are set)
//
// A dense matrix is int64 rows, int64 cols and rows×cols float32. A quantized
// matrix (the ".ftz" models) is bool qnorm, int64 rows, int64 cols, int32
// codesize, codesize code bytes, a product quantizer, and, with qnorm, one
// norm code byte per row and a second, one-dimensional product quantizer for
// the row norms. A product quantizer is int32 dim, nsubq, dsub, lastdsub and
// dim×256 float32 centroids.
const (
	fileMagic    = 793712314
	maxVersion   = 12
	labelPrefix  = "__label__"
	eosToken     = "</s>"
	pqCentroids  = 256 // ksub: 8-bit codes
	maxDim       = 1 << 16
	sigmoidTable = 512
	maxSigmoid   = 8
)

// Loss is the training loss of a model. It decides how the output layer turns
// the hidden vector into label probabilities.
type Loss int32

// The loss functions of fastText, numbered as in its files.
const (
	LossHS      Loss = 1 // hierarchical softmax (a Huffman tree over labels; lid.176)
	LossNS      Loss = 2 // negative sampling (scored as independent sigmoids)
	LossSoftmax Loss = 3 // full softmax
	LossOVA     Loss = 4 // one-vs-all (independent sigmoids)
)

// String returns fastText's name for the loss.
func (l Loss) String() string {
	switch l {
	case LossHS:
		return "hs"
	case LossNS:
		return "ns"
	case LossSoftmax:
		return "softmax"
	case LossOVA:
		return "ova"
	}
	return fmt.Sprintf("loss(%d)", int32(l))
}

// Args are the training arguments stored in a model file. Inference uses
// Dim, WordNgrams, Loss, Bucket, Minn and Maxn; the rest are kept for display.
type Args struct {
	Dim, WS, Epoch, MinCount, Neg, WordNgrams int32
	Loss                                      Loss
	ModelKind                                 int32 // 1 cbow, 2 skipgram, 3 supervised
	Bucket, Minn, Maxn, LRUpdateRate          int32
	T                                         float64
}

// A Prediction is one label with its probability, as fastText prints it.
type Prediction struct {
	Label string  // the label as stored, e.g. "__label__en"
	Prob  float64 // probability (fastText adds 1e-5 before its log; see Predict)
}

// Lang returns the label without fastText's "__label__" prefix, e.g. "en".
func (p Prediction) Lang() string { return strings.TrimPrefix(p.Label, labelPrefix) }

// Model is a supervised fastText model loaded for inference. It is read-only
// after loading, so one Model serves any number of goroutines.
type Model struct {
	Args    Args
	Version int32

	nwords   int
	words    map[string]int32 // word → dictionary index (words and labels)
	isLabel  []bool           // per dictionary index
	subwords [][]int32        // per word: its own row then its char n-gram rows
	labels   []string         // label index → label text
	counts   []int64          // label index → training count (for the HS tree)
	pruned   pruneTable       // bucket → row offset, when the dictionary was pruned
	pruneLen int64            // -1: not pruned; 0: every n-gram dropped

	input, output matrix
	tree          []hsNode // hierarchical softmax only
	sigmoid       []float32
}

type hsNode struct{ left, right int32 }

// LoadModel reads a fastText model file (.bin or quantized .ftz). The file
// is streamed, so loading a large dense model (GlotLID's is over 1 GB) needs
// little memory beyond the model itself.
func LoadModel(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	m, err := parseModel(&decoder{r: bufio.NewReaderSize(f, 1<<16), rem: fi.Size()})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// errTruncated reports a model file that ends early or declares more data than it holds.
var errTruncated = errors.New("fasttext: truncated or corrupt model file")

// decoder reads little-endian values from a byte slice or a stream of known
// length and remembers the first error, so that parsing code can read a run
// of fields and check once. rem, the bytes left, bounds every declared size
// before anything is allocated.
type decoder struct {
	b   []byte        // the data, when parsing from memory
	r   *bufio.Reader // the data, when streaming
	rem int64
	err error
	blk []byte // streaming buffer, reused
}

// take returns the next n bytes. When streaming, they live in a buffer
// that the next call reuses: callers copy or convert them at once.
func (d *decoder) take(n int64) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > d.rem {
		d.err = errTruncated
		return nil
	}
	d.rem -= n
	if d.r == nil {
		p := d.b[:n]
		d.b = d.b[n:]
		return p
	}
	if int64(cap(d.blk)) < n {
		d.blk = make([]byte, max(n, 64))
	}
	p := d.blk[:n]
	if _, err := io.ReadFull(d.r, p); err != nil {
		d.err = errTruncated
		return nil
	}
	return p
}

// bytes returns a copy of the next n bytes.
func (d *decoder) bytes(n int64) []byte {
	p := d.take(n)
	if p == nil {
		return nil
	}
	return append([]byte(nil), p...)
}

func (d *decoder) i32() int32 {
	p := d.take(4)
	if p == nil {
		return 0
	}
	return int32(binary.LittleEndian.Uint32(p))
}

func (d *decoder) i64() int64 {
	p := d.take(8)
	if p == nil {
		return 0
	}
	return int64(binary.LittleEndian.Uint64(p))
}

func (d *decoder) f64() float64 {
	p := d.take(8)
	if p == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(p))
}

func (d *decoder) u8() byte {
	p := d.take(1)
	if p == nil {
		return 0
	}
	return p[0]
}

// f32s reads n float32 values, a block at a time.
func (d *decoder) f32s(n int64) []float32 {
	if n < 0 || n > d.rem/4 {
		if d.err == nil {
			d.err = errTruncated
		}
		return nil
	}
	out := make([]float32, n)
	const block = 1 << 14
	for i := int64(0); i < n && d.err == nil; i += block {
		k := min(block, n-i)
		p := d.take(4 * k)
		if p == nil {
			return nil
		}
		for j := range k {
			out[i+j] = math.Float32frombits(binary.LittleEndian.Uint32(p[4*j:]))
		}
	}
	if d.err != nil {
		return nil
	}
	return out
}

// cstring reads a NUL-terminated string.
func (d *decoder) cstring() string {
	if d.err != nil {
		return ""
	}
	if d.r == nil {
		for i, c := range d.b {
			if c == 0 {
				s := string(d.b[:i])
				d.b = d.b[i+1:]
				d.rem -= int64(i + 1)
				return s
			}
		}
		d.err = errTruncated
		return ""
	}
	line, err := d.r.ReadSlice(0)
	var long []byte
	for err == bufio.ErrBufferFull && int64(len(long)+len(line)) <= d.rem {
		long = append(long, line...)
		line, err = d.r.ReadSlice(0)
	}
	long = append(long, line...)
	if err != nil || int64(len(long)) > d.rem {
		d.err = errTruncated
		return ""
	}
	d.rem -= int64(len(long))
	return string(long[:len(long)-1])
}

// ParseModel decodes a fastText model from the bytes of a .bin or .ftz file.
// It validates every size against the data, so a corrupt file gives an error,
// never a panic or a huge allocation.
func ParseModel(data []byte) (*Model, error) {
	return parseModel(&decoder{b: data, rem: int64(len(data))})
}

func parseModel(d *decoder) (*Model, error) {
	if magic := d.i32(); d.err != nil || magic != fileMagic {
		return nil, errors.New("fasttext: not a fastText model (bad magic number)")
	}
	m := &Model{Version: d.i32()}
	if m.Version > maxVersion {
		return nil, fmt.Errorf("fasttext: model version %d is newer than supported (%d)", m.Version, maxVersion)
	}
	a := &m.Args
	for _, p := range []*int32{&a.Dim, &a.WS, &a.Epoch, &a.MinCount, &a.Neg, &a.WordNgrams} {
		*p = d.i32()
	}
	a.Loss = Loss(d.i32())
	a.ModelKind = d.i32()
	for _, p := range []*int32{&a.Bucket, &a.Minn, &a.Maxn, &a.LRUpdateRate} {
		*p = d.i32()
	}
	a.T = d.f64()
	if d.err != nil {
		return nil, d.err
	}
	if m.Version == 11 && a.ModelKind == 3 {
		// Supervised models of format 11 were trained without char n-grams.
		a.Maxn = 0
	}
	if a.ModelKind != 3 {
		return nil, fmt.Errorf("fasttext: model kind %d is not supervised; only classifiers predict labels", a.ModelKind)
	}
	if a.Dim <= 0 || a.Dim > maxDim {
		return nil, fmt.Errorf("fasttext: bad dimension %d", a.Dim)
	}
	if a.Loss < LossHS || a.Loss > LossOVA {
		return nil, fmt.Errorf("fasttext: unknown loss %d", a.Loss)
	}
	if err := m.readDictionary(d); err != nil {
		return nil, err
	}

	quantIn := d.u8() != 0
	var err error
	if m.input, err = readMatrix(d, quantIn); err != nil {
		return nil, fmt.Errorf("fasttext: input matrix: %w", err)
	}
	if !quantIn && m.pruneLen >= 0 {
		return nil, errors.New("fasttext: pruned dictionary with a dense input matrix")
	}
	quantOut := d.u8() != 0
	if m.output, err = readMatrix(d, quantIn && quantOut); err != nil {
		return nil, fmt.Errorf("fasttext: output matrix: %w", err)
	}
	if d.err != nil {
		return nil, d.err
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	m.initSubwords()
	if a.Loss == LossHS {
		if err := m.buildTree(); err != nil {
			return nil, err
		}
	}
	if a.Loss == LossOVA || a.Loss == LossNS {
		m.initSigmoid()
	}
	return m, nil
}

func (m *Model) readDictionary(d *decoder) error {
	size, nwords, nlabels := d.i32(), d.i32(), d.i32()
	d.i64() // ntokens
	m.pruneLen = d.i64()
	if d.err != nil {
		return d.err
	}
	// Each entry takes at least 10 bytes: this bounds size by the file.
	if size < 0 || nwords < 0 || nlabels <= 0 || nwords+nlabels != size || int64(size)*10 > d.rem {
		return fmt.Errorf("fasttext: bad dictionary sizes (size %d, words %d, labels %d)", size, nwords, nlabels)
	}
	m.nwords = int(nwords)
	m.words = make(map[string]int32, size)
	m.isLabel = make([]bool, size)
	m.labels = make([]string, 0, nlabels)
	m.counts = make([]int64, 0, nlabels)
	for i := int32(0); i < size; i++ {
		w := d.cstring()
		count := d.i64()
		typ := d.u8()
		if d.err != nil {
			return d.err
		}
		m.words[w] = i
		// Words come first, then labels, as the dictionary sorts them.
		if typ == 1 {
			if i < nwords {
				return errors.New("fasttext: label among the words of the dictionary")
			}
			m.isLabel[i] = true
			m.labels = append(m.labels, w)
			m.counts = append(m.counts, count)
		} else if i >= nwords {
			return errors.New("fasttext: word among the labels of the dictionary")
		}
	}
	if m.pruneLen > 0 {
		if m.pruneLen > d.rem/8 {
			return errTruncated
		}
		m.pruned = newPruneTable(int(m.pruneLen))
		for i := int64(0); i < m.pruneLen; i++ {
			k, v := d.i32(), d.i32()
			m.pruned.put(k, v)
		}
	}
	return d.err
}

// check verifies that the matrices fit the dictionary and the arguments, so
// that prediction can index them without bounds surprises.
func (m *Model) check() error {
	dim := int64(m.Args.Dim)
	if m.input.cols() != dim || m.output.cols() != dim {
		return fmt.Errorf("fasttext: matrix width %d/%d, want dim %d", m.input.cols(), m.output.cols(), dim)
	}
	nbuckets := int64(m.Args.Bucket)
	if m.pruneLen >= 0 {
		nbuckets = 0
		for _, e := range m.pruned.slots {
			if e.key < 0 {
				continue
			}
			if e.row < 0 {
				return errors.New("fasttext: negative pruned row")
			}
			nbuckets = max(nbuckets, int64(e.row)+1)
		}
	}
	if m.Args.Bucket < 0 {
		return fmt.Errorf("fasttext: negative bucket count %d", m.Args.Bucket)
	}
	if m.input.rows() < int64(m.nwords)+nbuckets {
		return fmt.Errorf("fasttext: input matrix has %d rows, need %d", m.input.rows(), int64(m.nwords)+nbuckets)
	}
	osz := int64(len(m.labels))
	need := osz
	if m.Args.Loss == LossHS {
		need = osz - 1 // one row per inner node of the tree
	}
	if m.output.rows() < need {
		return fmt.Errorf("fasttext: output matrix has %d rows, need %d", m.output.rows(), need)
	}
	return nil
}

// pruneTable maps the n-gram buckets a quantized model kept to their rows:
// an open-addressing hash table, several times faster than a Go map for the
// one lookup per character n-gram that dominates prediction time. Keys are
// bucket numbers (never negative); empty slots hold key -1.
type pruneTable struct {
	slots []pruneSlot
	shift uint32
}

type pruneSlot struct{ key, row int32 }

func newPruneTable(n int) pruneTable {
	bits := uint32(4)
	for 1<<bits < 2*n {
		bits++
	}
	t := pruneTable{slots: make([]pruneSlot, 1<<bits), shift: 32 - bits}
	for i := range t.slots {
		t.slots[i].key = -1
	}
	return t
}

// put sets key's row; a repeated key keeps the last row, as fastText's map does.
func (t *pruneTable) put(key, row int32) {
	if key < 0 {
		return // never looked up
	}
	mask := uint32(len(t.slots) - 1)
	for i := (uint32(key) * 0x9E3779B1) >> t.shift; ; i = (i + 1) & mask {
		if s := &t.slots[i]; s.key == key || s.key < 0 {
			*s = pruneSlot{key, row}
			return
		}
	}
}

func (t *pruneTable) get(key int32) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint32(len(t.slots) - 1)
	for i := (uint32(key) * 0x9E3779B1) >> t.shift; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.key == key {
			return s.row, true
		}
		if s.key < 0 {
			return 0, false
		}
	}
}

// hash is fastText's 32-bit FNV-1a, with one quirk kept for compatibility:
// each byte is sign-extended (int8) before the XOR.
func hash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(int32(int8(s[i])))
		h *= 16777619
	}
	return h
}

// pushHash appends the input row of n-gram bucket id, mapping it through the
// pruning index when the dictionary was pruned (ngrams absent there are dropped).
func (m *Model) pushHash(rows []int32, id int32) []int32 {
	if m.pruneLen == 0 || id < 0 {
		return rows
	}
	if m.pruneLen > 0 {
		v, ok := m.pruned.get(id)
		if !ok {
			return rows
		}
		id = v
	}
	return append(rows, int32(m.nwords)+id)
}

// charNgrams appends the rows of the character n-grams of word, which must
// already carry the "<" and ">" boundary marks. N-grams are counted in UTF-8
// characters (a byte 10xxxxxx continues the previous character), from minn to
// maxn long; the single-character n-grams of the marks themselves are skipped.
// The hash of each n-gram extends the hash of the one before it from the same
// start, since FNV-1a reads bytes left to right.
func (m *Model) charNgrams(rows []int32, word []byte) []int32 {
	minn, maxn := int(m.Args.Minn), int(m.Args.Maxn)
	bucket := uint32(m.Args.Bucket)
	if bucket == 0 {
		return rows
	}
	for i := 0; i < len(word); i++ {
		if word[i]&0xC0 == 0x80 {
			continue
		}
		h := uint32(2166136261)
		j := i
		for n := 1; j < len(word) && n <= maxn; n++ {
			h = (h ^ uint32(int32(int8(word[j])))) * 16777619
			j++
			for j < len(word) && word[j]&0xC0 == 0x80 {
				h = (h ^ uint32(int32(int8(word[j])))) * 16777619
				j++
			}
			if n >= minn && !(n == 1 && (i == 0 || j == len(word))) {
				rows = m.pushHash(rows, int32(h%bucket))
			}
		}
	}
	return rows
}

// bracket returns "<" + w + ">" in buf.
func bracket(buf []byte, w string) []byte {
	buf = append(buf[:0], '<')
	buf = append(buf, w...)
	return append(buf, '>')
}

func (m *Model) initSubwords() {
	m.subwords = make([][]int32, m.nwords)
	for w, i := range m.words {
		if int(i) >= m.nwords {
			continue
		}
		rows := []int32{i}
		if w != eosToken && m.Args.Maxn > 0 {
			rows = m.charNgrams(rows, bracket(nil, w))
		}
		m.subwords[i] = rows
	}
}

// buildTree builds the Huffman tree of hierarchical softmax from the label
// counts, exactly as fastText does (labels are sorted by decreasing count, so
// leaves are consumed from the end), so that inner node i uses output row
// i-len(labels). Label counts that do not decrease would let a node become
// its own child; they are reported as an error.
func (m *Model) buildTree() error {
	osz := len(m.labels)
	tree := make([]hsNode, 2*osz-1)
	count := make([]int64, 2*osz-1)
	for i := range tree {
		tree[i] = hsNode{-1, -1}
		count[i] = 1e15
	}
	copy(count, m.counts)
	leaf, node := osz-1, osz
	for i := osz; i < 2*osz-1; i++ {
		var mini [2]int
		for j := range mini {
			if leaf >= 0 && count[leaf] < count[node] {
				mini[j] = leaf
				leaf--
			} else {
				mini[j] = node
				node++
			}
			if mini[j] >= i {
				return errors.New("fasttext: label counts do not form a Huffman tree")
			}
		}
		tree[i] = hsNode{int32(mini[0]), int32(mini[1])}
		count[i] = count[mini[0]] + count[mini[1]]
	}
	m.tree = tree
	return nil
}

// initSigmoid fills the 512-step sigmoid lookup table fastText uses for
// one-vs-all and negative-sampling outputs.
func (m *Model) initSigmoid() {
	m.sigmoid = make([]float32, sigmoidTable+1)
	for i := range m.sigmoid {
		x := float32(i*2*maxSigmoid)/sigmoidTable - maxSigmoid
		m.sigmoid[i] = float32(1.0 / (1.0 + float64(expf(-x))))
	}
}

func (m *Model) tableSigmoid(x float32) float32 {
	switch {
	case x > maxSigmoid:
		return 1
	case !(x >= -maxSigmoid): // also NaN
		return 0
	}
	i := int64((x + maxSigmoid) * sigmoidTable / maxSigmoid / 2)
	return m.sigmoid[i]
}

// expf is exp in single precision (C's expf, which fastText's std::exp(float) calls).
func expf(x float32) float32 { return float32(math.Exp(float64(x))) }

// stdLog is fastText's std_log: log(x + 1e-5) in double precision, rounded to float32.
func stdLog(x float32) float32 { return float32(math.Log(float64(x) + 1e-5)) }

// Labels returns the model's labels, most frequent in training first.
func (m *Model) Labels() []string { return append([]string(nil), m.labels...) }

// isSpace reports the bytes fastText splits words on.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\n', '\r', '\t', '\v', '\f', 0:
		return true
	}
	return false
}

// Hidden returns the sentence vector of text: the average of the input rows of
// its words (each word's own row, when it is in the vocabulary, and the rows
// of its character n-grams), the end-of-sentence token "</s>", and its word
// n-grams when the model has wordNgrams > 1. text is read as one line, the way
// `fasttext predict` reads each line of its input: all of fastText's
// whitespace bytes, newlines included, separate words. Tokens that start with
// "__label__" are labels, not words, and are ignored. A literal "</s>" in
// the text counts as that word without ending the line (fastText would
// start a new prediction after it).
func (m *Model) Hidden(text string) []float32 {
	hidden := make([]float32, m.Args.Dim)
	m.hidden(text, hidden)
	return hidden
}

// scratch holds the buffers of one prediction, reused through a pool so
// that predicting allocates little.
type scratch struct {
	rows   []int32 // input rows to average
	hashes []int32 // word hashes, for word n-grams
	word   []byte  // "<word>"
	// seen caches the rows of the unknown words of this text, as a span of
	// rows, since a document repeats its words and each unknown word costs
	// one table lookup per character n-gram.
	seen map[string][2]int32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// hidden computes the sentence vector of text into out (len dim).
func (m *Model) hidden(text string, out []float32) {
	sc := scratchPool.Get().(*scratch)
	defer func() {
		clear(sc.seen) // drop references to text
		scratchPool.Put(sc)
	}()
	if sc.seen == nil {
		sc.seen = make(map[string][2]int32)
	}
	sc.rows, sc.hashes = sc.rows[:0], sc.hashes[:0]
	for i := 0; i < len(text); {
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		j := i
		for j < len(text) && !isSpace(text[j]) {
			j++
		}
		if j > i {
			m.addToken(sc, text[i:j])
		}
		i = j
	}
	m.addToken(sc, eosToken)
	rows := sc.rows
	if n := int(m.Args.WordNgrams); n > 1 && m.Args.Bucket > 0 {
		bucket := uint64(m.Args.Bucket)
		hs := sc.hashes
		for i := range hs {
			h := uint64(int64(hs[i]))
			for j := i + 1; j < len(hs) && j < i+n; j++ {
				h = h*116049371 + uint64(int64(hs[j]))
				rows = m.pushHash(rows, int32(h%bucket))
			}
		}
	}
	sc.rows = rows
	clear(out)
	for _, r := range rows {
		m.input.addRow(out, int64(r))
	}
	if len(rows) > 0 {
		inv := float32(1.0 / float64(len(rows)))
		for i := range out {
			out[i] *= inv
		}
	}
}

// addToken appends the input rows of one token: a vocabulary word's
// precomputed rows, or the char n-grams of an unknown word. Labels are skipped.
func (m *Model) addToken(sc *scratch, tok string) {
	id, ok := m.words[tok]
	if ok && m.isLabel[id] || !ok && strings.HasPrefix(tok, labelPrefix) {
		return
	}
	if ok {
		sc.rows = append(sc.rows, m.subwords[id]...)
	} else if m.Args.Maxn > 0 {
		if span, ok := sc.seen[tok]; ok {
			sc.rows = append(sc.rows, sc.rows[span[0]:span[1]]...)
		} else {
			start := len(sc.rows)
			sc.word = bracket(sc.word, tok)
			sc.rows = m.charNgrams(sc.rows, sc.word)
			sc.seen[tok] = [2]int32{int32(start), int32(len(sc.rows))}
		}
	}
	if m.Args.WordNgrams > 1 {
		sc.hashes = append(sc.hashes, int32(hash(tok)))
	}
}

// Predict returns the k most probable labels of text (k <= 0: all labels),
// most probable first, leaving out labels below threshold. It reproduces
// `fasttext predict-prob MODEL - k threshold` on one line of input, including
// fastText's reported probability of p + 1e-5 (it ranks by log(p + 1e-5) and
// prints the exponential). With hierarchical softmax, a branch whose running
// probability drops below max(threshold, 0) + 1e-5 is not explored, as in fastText.
func (m *Model) Predict(text string, k int, threshold float32) []Prediction {
	hidden := make([]float32, m.Args.Dim)
	m.hidden(text, hidden)
	return m.predictHidden(hidden, k, threshold)
}

// scored is a label index with its log-probability.
type scored struct {
	score float32
	label int32
}

// topK keeps the k best scores in a binary heap whose root is the worst kept
// score. It follows the C++ standard library's push_heap, pop_heap and
// sort_heap step by step (as libstdc++ implements them), because fastText
// keeps its predictions in such a heap: equal scores, common in untrained
// or saturated models, then come out in the same order as fastText's.
type topK struct {
	k    int
	heap []scored
}

// less is fastText's comparePairs, the heap's ordering: a sorts before b
// when its score is greater, so the heap's root holds the smallest score.
func less(a, b scored) bool { return a.score > b.score }

func (t *topK) full() bool { return len(t.heap) >= t.k }

// worst returns the smallest kept score (the heap's root).
func (t *topK) worst() float32 { return t.heap[0].score }

// siftUp is libstdc++'s __push_heap: move value up from hole to its place.
func siftUp(h []scored, hole, top int, value scored) {
	parent := (hole - 1) / 2
	for hole > top && less(h[parent], value) {
		h[hole] = h[parent]
		hole = parent
		parent = (hole - 1) / 2
	}
	h[hole] = value
}

// adjust is libstdc++'s __adjust_heap: fill the hole at index hole of h by
// moving the larger child up, then place value.
func adjust(h []scored, hole int, value scored) {
	top, child, n := hole, hole, len(h)
	for child < (n-1)/2 {
		child = 2 * (child + 1)
		if less(h[child], h[child-1]) {
			child--
		}
		h[hole] = h[child]
		hole = child
	}
	if n&1 == 0 && child == (n-2)/2 {
		child = 2 * (child + 1)
		h[hole] = h[child-1]
		hole = child - 1
	}
	siftUp(h, hole, top, value)
}

// popHeap moves the root of h to its last position, as std::pop_heap.
func popHeap(h []scored) {
	if len(h) > 1 {
		last := len(h) - 1
		value := h[last]
		h[last] = h[0]
		adjust(h[:last], 0, value)
	}
}

// push adds s, then drops the worst score when more than k are kept.
func (t *topK) push(s scored) {
	t.heap = append(t.heap, s)
	siftUp(t.heap, len(t.heap)-1, 0, s)
	if len(t.heap) > t.k {
		popHeap(t.heap)
		t.heap = t.heap[:len(t.heap)-1]
	}
}

// sorted empties the heap into decreasing order of score, as std::sort_heap.
func (t *topK) sorted() []scored {
	h := t.heap
	for n := len(h); n > 1; n-- {
		popHeap(h[:n])
	}
	return h
}

func (m *Model) predictHidden(hidden []float32, k int, threshold float32) []Prediction {
	osz := len(m.labels)
	if k <= 0 || k > osz {
		k = osz
	}
	top := &topK{k: k, heap: make([]scored, 0, k+1)}
	switch m.Args.Loss {
	case LossHS:
		m.dfs(top, threshold, int32(2*osz-2), 0, hidden)
	default:
		out := make([]float32, osz)
		for i := range out {
			out[i] = m.output.dot(hidden, int64(i))
		}
		if m.Args.Loss == LossSoftmax {
			mx := out[0]
			for _, v := range out {
				mx = max(mx, v)
			}
			var z float32
			for i, v := range out {
				out[i] = expf(v - mx)
				z += out[i]
			}
			for i := range out {
				out[i] /= z
			}
		} else {
			for i, v := range out {
				out[i] = m.tableSigmoid(v)
			}
		}
		for i, p := range out {
			if p < threshold {
				continue
			}
			s := stdLog(p)
			if top.full() && s < top.worst() {
				continue
			}
			top.push(scored{s, int32(i)})
		}
	}
	items := top.sorted()
	preds := make([]Prediction, len(items))
	for i, s := range items {
		preds[i] = Prediction{Label: m.labels[s.label], Prob: float64(expf(s.score))}
	}
	return preds
}

// dfs walks the hierarchical-softmax tree from node, where score is the log
// probability of reaching it, pruning branches that cannot enter the top k.
func (m *Model) dfs(top *topK, threshold float32, node int32, score float32, hidden []float32) {
	if score < stdLog(threshold) {
		return
	}
	if top.full() && score < top.worst() {
		return
	}
	n := m.tree[node]
	if n.left == -1 && n.right == -1 {
		top.push(scored{score, node})
		return
	}
	f := m.output.dot(hidden, int64(node)-int64(len(m.labels)))
	f = float32(1.0 / float64(1+expf(-f)))
	m.dfs(top, threshold, n.left, score+stdLog(float32(1.0-float64(f))), hidden)
	m.dfs(top, threshold, n.right, score+stdLog(f), hidden)
}
