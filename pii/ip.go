package pii

import (
	"net/netip"
	"strings"
)

// reserved are the IPv4 ranges that are not public addresses of anyone:
// RFC 6890's special-purpose registry (private, shared, loopback, link-local,
// documentation, benchmarking, multicast, reserved, broadcast).
var reserved = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
		"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
		"198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// doc6 is IPv6's documentation range.
var doc6 = netip.MustParsePrefix("2001:db8::/32")

// versionWords precede numbers that look like IPv4 addresses but are
// versions or section numbers.
var versionWords = map[string]bool{
	"version": true, "ver": true, "v": true, "release": true, "build": true, "firmware": true,
	"update": true, "rev": true, "revision": true, "versión": true, "versão": true, "patch": true,
	"section": true, "sect": true, "sec": true, "chapter": true, "ch": true, "figure": true,
	"fig": true, "table": true, "step": true, "part": true, "appendix": true, "article": true,
	"art": true, "clause": true, "rule": true, "item": true, "§": true,
}

// findIPv4 looks for a public IPv4 address in dotted-decimal form starting
// at text[i], a digit that does not continue a word.
func findIPv4(text string, i int) (Match, bool) {
	if i >= 2 && (text[i-1] == '.' || text[i-1] == '/') && isAlnum(text[i-2]) {
		return Match{}, false // a later part of a dotted number or a path
	}
	var octets [4]byte
	j := i
	for k := range 4 {
		if k > 0 {
			if j >= len(text) || text[j] != '.' {
				return Match{}, false
			}
			j++
		}
		start, v := j, 0
		for j < len(text) && isDigit(text[j]) && j-start < 4 {
			v = v*10 + int(text[j]-'0')
			j++
		}
		n := j - start
		if n == 0 || n > 3 || v > 255 || (n > 1 && text[start] == '0') {
			return Match{}, false
		}
		octets[k] = byte(v)
	}
	if j < len(text) && (isAlnum(text[j]) || (text[j] == '.' || text[j] == '-') && j+1 < len(text) && isDigit(text[j+1])) {
		return Match{}, false // more digits or parts follow: not an address
	}
	if octets[0] < 10 && octets[1] < 10 && octets[2] < 10 {
		// 5.3.6.61, 7.8.2.1: a version or a section number. The public
		// addresses of this shape are well-known resolvers (1.1.1.1,
		// 8.8.8.8), not anyone's personal data.
		return Match{}, false
	}
	addr := netip.AddrFrom4(octets)
	for _, p := range reserved {
		if p.Contains(addr) {
			return Match{}, false
		}
	}
	if versionWords[precedingWord(text, i)] {
		return Match{}, false
	}
	return Match{Start: i, End: j, Kind: IP}, true
}

// precedingWord returns the lower-cased word before text[i], skipping white
// space and a colon.
func precedingWord(text string, i int) string {
	j := i
	for j > 0 && (text[j-1] == ' ' || text[j-1] == ':' || text[j-1] == '\t') {
		j--
	}
	end := j
	for j > 0 && (isAlpha(text[j-1]) || text[j-1] >= 0x80) {
		j--
	}
	if end-j > 10 {
		return ""
	}
	return strings.ToLower(text[j:end])
}

// findIPv6 looks for a public IPv6 address around the colon at text[colon],
// starting at or after min.
func findIPv6(text string, colon, min int) (Match, bool) {
	start := colon
	for start > min && (isHex(text[start-1]) || text[start-1] == ':') {
		start--
	}
	end := colon + 1
	for end < len(text) && (isHex(text[end]) || text[end] == ':' || text[end] == '.') {
		end++
	}
	for end > colon && text[end-1] == '.' {
		end--
	}
	if end-2 > start && text[end-1] == ':' && text[end-2] != ':' {
		end--
	}
	if start > 0 && (isAlnum(text[start-1]) || text[start-1] == '.') || end < len(text) && isAlnum(text[end]) {
		return Match{}, false
	}
	cand := text[start:end]
	if strings.Count(cand, ":") < 2 || len(cand) > 45 {
		return Match{}, false
	}
	addr, err := netip.ParseAddr(cand)
	if err != nil || !addr.Is6() || addr.Is4In6() {
		return Match{}, false
	}
	// Public unicast addresses are in 2000::/3.
	if b := addr.As16(); b[0]&0xE0 != 0x20 || doc6.Contains(addr) {
		return Match{}, false
	}
	return Match{Start: start, End: end, Kind: IP}, true
}
