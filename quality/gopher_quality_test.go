package quality

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// doc joins the stop words "the and" and the given words into one line
// ending in a period.
func doc(ws ...string) string {
	return "the and " + strings.Join(ws, " ") + "."
}

func rep(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// linesOf returns n lines of six distinct words, the first `marked` of which
// start with prefix or end with suffix.
func linesOf(w *words, n, marked int, prefix, suffix string) string {
	var b strings.Builder
	for i := range n {
		line := "the and " + strings.Join(w.list(4), " ")
		if i < marked {
			line = prefix + line + suffix
		} else {
			line += "."
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func TestGopherQualityBoundaries(t *testing.T) {
	g := must(NewGopherQuality(DefaultGopherQualityConfig()))
	w := &words{}
	base48 := w.list(48)
	tests := []struct {
		name string
		text string
		want string
	}{
		{"50 words pass", doc(base48...), ""},
		{"49 words fail", doc(base48[:47]...), ReasonGopherMinWords},
		{"100000 words pass", doc(rep("water", 99_998)...), ""},
		{"100001 words fail", doc(rep("water", 99_999)...), ReasonGopherMaxWords},
		{"mean length 3 pass", doc(rep("cat", 48)...), ""},
		{"mean length 2.98 fail", doc(append(rep("cat", 47), "ca")...), ReasonGopherMeanWordLength},
		{"mean length 10 pass", doc(append(rep("abcdefghij", 46), rep(strings.Repeat("k", 17), 2)...)...), ""},
		{"mean length 10.02 fail", doc(append(rep("abcdefghij", 46), strings.Repeat("k", 17), strings.Repeat("k", 18))...), ReasonGopherMeanWordLength},
		{"5 hashes per 50 words pass", doc(base48...) + " #####", ""},
		{"6 hashes per 50 words fail", doc(base48...) + " ######", ReasonGopherSymbolRatio},
		{"5 ellipses per 50 words pass", doc(append(base48[:46], "... ... …", "…", "...", base48[46], base48[47])...), ""},
		{"6 ellipses per 50 words fail", doc(append(base48[:46], "... ... …", "… ...", "...", base48[46], base48[47])...), ReasonGopherSymbolRatio},
		{"9 of 10 bullet lines pass", linesOf(w, 10, 9, "- ", "."), ""},
		{"10 of 11 bullet lines fail", linesOf(w, 11, 10, "• ", "."), ReasonGopherBulletLines},
		{"3 of 10 ellipsis lines pass", linesOf(w, 10, 3, "", " ..."), ""},
		{"4 of 13 ellipsis lines fail", linesOf(w, 13, 4, "", "…  "), ReasonGopherEllipsisLines},
		{"80% alphabetic words pass", doc(append(base48[:38], rep("1234", 10)...)...), ""},
		{"78% alphabetic words fail", doc(append(base48[:37], rep("1234", 11)...)...), ReasonGopherAlphaWords},
		{"2 stop words pass", "the " + strings.Join(w.list(48), " ") + " and.", ""},
		{"stop words ignore case", "The " + strings.Join(w.list(48), " ") + " AND.", ""},
		{"1 stop word fail", "the " + strings.Join(w.list(49), " ") + ".", ReasonGopherStopWords},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expectReason(t, g, tt.text, tt.want) })
	}
}

func TestGopherQualityDivideByTokens(t *testing.T) {
	cfg := DefaultGopherQualityConfig()
	cfg.DivideByTokens = true
	g := must(NewGopherQuality(cfg))
	w := &words{}
	// 50 words, 40 with a letter, and 5 punctuation tokens: 40/50 = 0.8 per
	// word passes, 40/55 per token fails.
	text := doc(append(w.list(38), rep("1234", 10)...)...) + " ; ; ; ;"
	expectReason(t, must(NewGopherQuality(DefaultGopherQualityConfig())), text, "")
	expectReason(t, g, text, ReasonGopherAlphaWords)
	// 5 "#" per 50 words passes per word, and per 52 tokens too.
	expectReason(t, g, doc(w.list(48)...)+" #####", "")
}

func TestGopherQualityUnspacedLanguages(t *testing.T) {
	g := must(NewGopherQuality(DefaultGopherQualityConfig()))
	zh := strings.Repeat("我们今天去公园散步，天气很好。", 5) // 65 Han characters
	ja := strings.Repeat("今日はとても良い天気ですね。", 5)
	th := strings.Repeat("วันนี้อากาศดีมากเราไปเดินเล่นที่สวนสาธารณะกัน ", 6)
	tests := []struct {
		name string
		text string
		meta map[string]any
		want string
	}{
		{"Chinese by script", zh, nil, ""},
		{"Chinese by language", zh, map[string]any{"language": "zh"}, ""},
		{"Chinese language with region", zh, map[string]any{"language": "zh-cn"}, ""},
		{"Japanese by script", ja, nil, ""},
		{"Thai by script", th, nil, ""},
		{"Thai by language", th, map[string]any{"language": "th"}, ""},
		// The langid stage is trusted: text said to be English is held to
		// English word lengths.
		{"Chinese text labelled English", zh, map[string]any{"language": "en"}, ReasonGopherMeanWordLength},
		{"too short Chinese", "我们今天去公园散步。", nil, ReasonGopherMinWords},
		// No stop-word list for Italian: the rule does not apply.
		{"Italian without stop words", strings.Join((&words{}).list(60), " "), map[string]any{"language": "it"}, ""},
		{"German stop words", "der " + strings.Join((&words{}).list(60), " "), map[string]any{"language": "de"}, ReasonGopherStopWords},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := reasonOf(t, g, tt.text, tt.meta); got != tt.want {
				t.Errorf("reason %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGopherQualitySignals(t *testing.T) {
	cfg := DefaultGopherQualityConfig()
	cfg.Signals = true
	g := must(NewGopherQuality(cfg))
	w := &words{}
	all := []string{SignalGopherWords, SignalGopherMeanWordLength, SignalGopherHashRatio, SignalGopherEllipsisRatio,
		SignalGopherBulletLines, SignalGopherEllipsisLines, SignalGopherAlphaWords, SignalGopherStopWords}

	reason, r := reasonOf(t, g, doc(w.list(48)...), nil)
	if reason != "" {
		t.Fatalf("rejected: %s", reason)
	}
	for _, k := range all {
		if _, ok := r.Metadata[k]; !ok {
			t.Errorf("kept document lacks signal %s", k)
		}
	}
	if got := r.Metadata[SignalGopherWords]; got != 50 {
		t.Errorf("%s = %v, want 50", SignalGopherWords, got)
	}
	if got := r.Metadata[SignalGopherMeanWordLength]; got != (6.0+48*4)/50 {
		t.Errorf("%s = %v, want %v", SignalGopherMeanWordLength, got, (6.0+48*4)/50)
	}

	// A short document fails the first rule, yet every signal is written.
	reason, r = reasonOf(t, g, "the and ### cat", nil)
	if reason != ReasonGopherMinWords {
		t.Fatalf("reason %q, want %q", reason, ReasonGopherMinWords)
	}
	for _, k := range all {
		if _, ok := r.Metadata[k]; !ok {
			t.Errorf("rejected document lacks signal %s", k)
		}
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		text string
		want []string // tokens; words are marked with a leading "w:"
	}{
		{"Hello, world!", []string{"w:Hello", ",", "w:world", "!"}},
		{"don't stop-gap 3.14 1,000 e.g. end...", []string{"w:don't", "w:stop-gap", "w:3.14", "w:1,000", "w:e.g", ".", "w:end", "..."}},
		{"#tag -- a", []string{"#", "w:tag", "--", "w:a"}},
		{"我们 iPhone的", []string{"w:我", "w:们", "w:iPhone", "w:的"}},
		{"ไปเที่ยวกัน", []string{"w:ไป", "w:เที่ยวกัน"}},
		{"a\xffb c", []string{"w:a", "\xff", "w:b", "w:c"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range tokenize(tt.text, nil) {
			s := tt.text[tok.start:tok.end]
			if tok.flags&tokWord != 0 {
				s = "w:" + s
			}
			got = append(got, s)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("tokenize(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestRuneCount(t *testing.T) {
	for _, s := range []string{"", "a", "héllo wörld", strings.Repeat("日本語テキスト", 7), strings.Repeat("ab€", 11), "12345678é", "ไทย and 中文 mixed 😀 text"} {
		if got, want := runeCount(s), utf8.RuneCountInString(s); got != want {
			t.Errorf("runeCount(%q) = %d, want %d", s, got, want)
		}
	}
}
