package pii

import (
	"regexp"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/record"
)

func TestRedactFinds(t *testing.T) {
	p, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"Contact john.doe@example.com for info.", "Contact <EMAIL> for info."},
		{"Mail: a_b+tag@mail.co.uk.", "Mail: <EMAIL>."},
		{"<jane-doe@sub.example-mail.org>", "<<EMAIL>>"},
		{"Server at 81.2.69.160 responded", "Server at <IP_ADDRESS> responded"},
		{"78.130.167.239\n", "<IP_ADDRESS>\n"},
		{"from 81.2.69.160:8080", "from <IP_ADDRESS>:8080"},
		{"IPv6 2001:4860:4860::8888 is public", "IPv6 <IP_ADDRESS> is public"},
		{"host [2a00:1450:4001:82a::200e].", "host [<IP_ADDRESS>]."},
		{"Call +1 415 555 2671 now", "Call <PHONE> now"},
		{"London: +44 20 7946 0958.", "London: <PHONE>."},
		{"Berlin +49 (0)30 1234567", "Berlin <PHONE>"},
		{"Paris +33 1 23 45 67 89", "Paris <PHONE>"},
		{"Paris +33\u00a01\u00a023\u00a045\u00a067\u00a089.", "Paris <PHONE>."},
		{"Lyon +33\u202f4\u202f72\u202f00\u202f00\u202f00", "Lyon <PHONE>"},
		{"tel:+14155552671", "tel:<PHONE>"},
		{"0044 20 7946 0958", "<PHONE>"},
		{"+1 (415) 555-2671", "<PHONE>"},
		{"(415) 555-2671", "<PHONE>"},
		{"call 415-555-2671 or 415.555.2671", "call <PHONE> or <PHONE>"},
		{"toll-free 1-800-555-0199 or 1 (800) 555-0199.", "toll-free <PHONE> or <PHONE>."},
		{"+1-800-555-0199", "<PHONE>"},
		{"a@example.com, b@example.com", "<EMAIL>, <EMAIL>"},
	}
	for _, tt := range tests {
		if got, _ := p.Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactLeavesAlone(t *testing.T) {
	p, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ what, text string }{
		{"version", "Upgrade to version 1.2.3.4 today."},
		{"version", "v1.2.3.4 and V2.0.0.1"},
		{"version", "Release 2.4.1.0 is out"},
		{"version", "Chrome/120.0.6099.109 Safari/537.36"},
		{"version", "Windows 10.0.19041.1 and Python 3.12.1"},
		{"version", "semver 1.2.3 and 1.2.3.4.5"},
		{"version", "Performance In Lucee 5.3.2.77 and CFML 5.3.6.61"},
		{"section", "See Section 7.8.2.1 and section 12.4.10.3 for examples."},
		{"heading", "4.1.1.1 /var\n3.7.1.1 Using a mirror"},
		{"resolvers", "public DNS 8.8.8.8 and 1.1.1.1"},
		{"date", "2024-01-15, 15.01.2024, 01/15/2024, 2024/01/15"},
		{"date", "2024-01-15T12:30:45Z"},
		{"time", "at 12:30:45 or 9:05"},
		{"price", "$1,234.56, € 99.99, 1.299,00 €, USD 1234567890"},
		{"price", "from $415 to $555 (save 20%)"},
		{"ISBN", "ISBN 978-3-16-148410-0"},
		{"ISBN", "ISBN 0-306-40615-2"},
		{"ISBN", "ISBN 978 3 16 148410 0"},
		{"ISBN", "ISBN-13: 9783161484100"},
		{"private IPv4", "10.0.0.1 192.168.1.1 172.16.5.4 172.31.255.255"},
		{"reserved IPv4", "127.0.0.1 0.0.0.0 255.255.255.255 169.254.1.1 100.64.0.1 224.0.0.1 240.1.2.3"},
		{"documentation IPv4", "192.0.2.1 198.51.100.7 203.0.113.9 198.18.0.1"},
		{"reserved IPv6", "::1 fe80::1 fd00::1 ff02::1 2001:db8::1"},
		{"not an address", "999.1.1.1 1.2.3.256 01.2.3.4"},
		{"MAC address", "00:1a:2b:3c:4d:5e"},
		{"C++ scope", "std::vector::size"},
		{"handles", "follow @user and @user.name"},
		{"no domain", "user@localhost and a@b.c"},
		{"asset names", "logo@2x.png icon@3x.svg"},
		{"arithmetic", "3+4 = 7, +5 points, 2+2"},
		{"bare digits", "order 1234567890 and 12345678901234"},
		{"invalid exchange", "555-123-4567"},
		{"coordinates", "51.5074, -0.1278"},
		{"ranges", "pages 100-200-300"},
		{"years", "© 2010-2024 Example Inc. 1999–2005, 12-2024"},
		{"national formats", "030 1234567 and 06 12 34 56 78"},
		{"scores", "won 3-1 and 1-0, 1 200 300 4000"},
	}
	for _, tt := range tests {
		if got, n := p.Redact(tt.text); got != tt.text {
			t.Errorf("%s: Redact(%q) = %q (%+v), want it unchanged", tt.what, tt.text, got, n)
		}
	}
}

func TestProcessCountsAndConfig(t *testing.T) {
	p, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	r := &record.Record{Text: "a@example.com b@example.org 81.2.69.160 +44 20 7946 0958 nothing else"}
	if !p.Process(r) {
		t.Fatal("pii rejected a record")
	}
	want := map[string]int{MetaEmails: 2, MetaIPs: 1, MetaPhones: 1}
	for k, v := range want {
		if r.Metadata[k] != v {
			t.Errorf("%s = %v, want %d", k, r.Metadata[k], v)
		}
	}
	clean := &record.Record{Text: "nothing here"}
	p.Process(clean)
	if clean.Metadata != nil {
		t.Errorf("metadata %v on a record without personal data", clean.Metadata)
	}

	cfg := DefaultConfig()
	cfg.Phones = false
	cfg.EmailPlaceholder = "[email]"
	q, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := q.Redact("x@example.com +44 20 7946 0958"); got != "[email] +44 20 7946 0958" {
		t.Errorf("with phones off: %q", got)
	}
	if _, err := New(Config{}); err == nil {
		t.Error("New accepted a config with every kind off")
	}
}

func TestRedactNeverPanics(t *testing.T) {
	p, _ := New(DefaultConfig())
	inputs := []string{
		"", "@", "@@", ":", "::", "+", "(", "+(", "0", "00", "((((", "a@", "@b.", "1.", "1.2.3.",
		"\xff@\xfe.com", "a@b.\xff", strings.Repeat(":", 1000), strings.Repeat("1.", 1000),
		strings.Repeat("+1 ", 500), strings.Repeat("a@", 500) + "b.com", "(415) 555-", "415-555-", "+44 20 (",
	}
	for _, in := range inputs {
		out, _ := p.Redact(in)
		if len(in) > 0 && len(out) == 0 {
			t.Errorf("Redact(%q) lost the text", in)
		}
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{"a@example.com", "81.2.69.160", "2001:4860::1", "+44 20 7946 0958", "(415) 555-2671"} {
		f.Add(s)
	}
	p, _ := New(DefaultConfig())
	f.Fuzz(func(t *testing.T, s string) {
		ms := p.Find(s)
		last := 0
		for _, m := range ms {
			if m.Start < last || m.End <= m.Start || m.End > len(s) {
				t.Fatalf("bad match %+v after %d in %q", m, last, s)
			}
			last = m.End
		}
	})
}

// BenchmarkRedact measures the scanners on English-like text with a little
// personal data, beside the reference measured in the same run: Go's regexp
// package finding emails and IPv4 addresses with patterns of the kind
// regexp-based redactors use.
func BenchmarkRedact(b *testing.B) {
	page := strings.Repeat("The 3 members met on 2024-01-15 at 10:30 and paid $1,299.00 for version 2.1.0 of the tool. ", 150) +
		"Write to jane@example.com or call +44 20 7946 0958; the server is 81.2.69.160.\n"
	p, _ := New(DefaultConfig())
	b.Run("redact", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			p.Redact(page)
		}
	})
	re := regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	b.Run("regexp-reference", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			re.FindAllStringIndex(page, -1)
		}
	})
}
