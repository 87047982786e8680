package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Category says why a line was dropped. Its string form is the stable reason
// code written to a record's decision log.
type Category uint8

// The reason categories. Every dropped line gets exactly one.
const (
	Content     Category = iota // not dropped
	Navigation                  // menus, breadcrumbs, pagination, short link labels
	Cookie                      // cookie and consent banners
	Newsletter                  // newsletter and subscription forms
	Social                      // share buttons, follow prompts
	Legal                       // copyright, terms, privacy notices
	Related                     // related-article and "read more" links
	Advertising                 // advertisements, sponsored notes
	CommentMeta                 // comment counts, reply links, "posted 3 days ago"
	Template                    // a line repeated across many pages of the same site
	Other                       // boilerplate of no more specific kind
	numCategories
)

var categoryCodes = [numCategories]string{
	"content", "navigation", "cookie", "newsletter", "social", "legal",
	"related", "advertising", "comment_meta", "template", "other",
}

var categoryLabels = [numCategories]string{
	"content", "navigation", "cookie/consent", "newsletter/subscribe",
	"social/share", "copyright/legal", "related links", "advertising",
	"comment meta", "repeated site template", "other",
}

// String returns the reason code ("navigation", "cookie", "newsletter",
// "social", "legal", "related", "advertising", "comment_meta", "template",
// "other"), or "content" for a kept line.
func (c Category) String() string {
	if c < numCategories {
		return categoryCodes[c]
	}
	return "other"
}

// Label returns the category's name for people, as --explain prints it.
func (c Category) Label() string {
	if c < numCategories {
		return categoryLabels[c]
	}
	return "other"
}

// Flags of a vocabulary entry. A word or a two-word phrase may carry several.
const (
	fNav uint32 = 1 << iota
	fCookie
	fNewsletter
	fSocial
	fLegal
	fRelated
	fAd
	fComment
	fStopEN    // an English stop word
	fStopOther // a stop word of another major Latin-script language
	// fStrong marks phrases that are boilerplate almost wherever they
	// occur in a short line ("all rights reserved", "accept cookies").
	fStrong
	// fFirstPerson marks the English first-person singular (I, my, me):
	// reviews and comments speak in it, articles and shop copy less.
	fFirstPerson
	// fPhraseEnd marks the words that end some phrase of the vocabulary:
	// only after them is it worth looking up the phrase.
	fPhraseEnd
)

// catMask holds the category flags.
const catMask = fNav | fCookie | fNewsletter | fSocial | fLegal | fRelated | fAd | fComment

// categoryFlags lists the category flags in the order of the Category
// constants that follow Content.
var categoryFlags = [...]uint32{fNav, fCookie, fNewsletter, fSocial, fLegal, fRelated, fAd, fComment}

// vocabulary maps the flag of each category to its words and two-word
// phrases (lowercase, one space between the words). A phrase ending in "!"
// is strong.
var vocabulary = map[uint32]string{
	fNav: `home menu login logout log sign register account cart checkout search skip navigation
		previous next prev back top contact faq help sitemap categories category tags tagged toggle
		close wishlist shop blog more view all page breadcrumb main|menu skip|to|content! go|to
		sign|in log|in my|account back|to|top! jump|to view|all shopping|cart en|español select|language`,
	fCookie: `cookie cookies consent gdpr accept decline preferences cookie|policy! uses|cookies!
		use|cookies! use|of|cookies! accept|cookies! accept|all! reject|all! cookie|settings!
		manage|preferences! we|use|cookies!`,
	fNewsletter: `subscribe subscribed subscription newsletter newsletters unsubscribe inbox signup
		email sign|up subscribe|to! our|newsletter! indicates|required! sign|up|for email|address
		enter|your|email! get|the|latest`,
	fSocial: `facebook twitter instagram pinterest linkedin youtube tiktok whatsapp reddit tumblr
		telegram share shares tweet followers follow share|this! follow|us! share|on! join|them!
		on|facebook! on|twitter!`,
	fLegal: `copyright rights reserved privacy terms trademark trademarks disclaimer imprint impressum
		all|rights|reserved! rights|reserved! privacy|policy! terms|of|use! terms|of|service!
		terms|and|conditions! do|not|sell! datenschutz datenschutzerklärung agb mentions|légales!
		aviso|legal! política|de|privacidad! informativa|sulla|privacy! alle|rechte|vorbehalten!
		tous|droits|réservés! todos|los|derechos!`,
	fRelated: `related recommended popular trending read|more! see|also more|from may|also|like!
		also|read! related|articles! related|posts! related|stories! read|next! most|popular!
		might|also|like! recommended|for|you!`,
	fAd: `advertisement advertisements sponsored ads ad advertise advertising promoted affiliate
		paid|content! sponsored|content!`,
	fComment: `reply replies comment comments likes like ago posted permalink report upvote votes
		leave|a|reply! in|to|reply! posted|by add|comment! comments|are|closed!
		leave|a|comment!`,
	fStopEN: `the be to of and a in that have it for not on with he as you do at this but his by
		from they we say her she or an will my one all would there their what so up out if about
		who get which go me when make can like no just him know take into your some could them
		see other than then now look only come its over think also use two how our well way even
		because any these give most us is are was were been has had does did am i`,
	fFirstPerson: `i my me mine myself`,
	fStopOther: `le la les des et est un une du pour dans que qui sur pas avec au aux ce ces il
		elle nous vous ils sont der die das und ist nicht ein eine mit den von zu auf sich dem
		des im für auch el los las de y en es por para con del como su al lo más il di che e per
		non sono della gli o os em do da uma não dos het een van dat op te zijn voor och att är
		och på jest się nie na że`,
}

// vocabTable is an open-addressing hash table from word and phrase hashes
// to flags. Lookups cost a multiply and a compare, much less than a map with
// string keys, which matters at a lookup per word of every line.
type vocabTable struct {
	keys  []uint64
	flags []uint32
	mask  uint64
	// filter has a bit set for the mixed hash of every key (filterBit):
	// most words of a text are in no list, and their lookups end in
	// this small bitmap, which stays in the L1 cache, instead of in keys
	filter [1 << (filterBits - 6)]uint64
}

// filterBits is the number of bits of vocabTable.filter's index.
const filterBits = 14

// filterBit returns the bit of vocabTable.filter of a key whose mix(h) is
// m: bits of m that the table's slot (m's low bits) and the lexicon bucket
// (m's high bits) do not use.
func filterBit(m uint64) (word uint64, bit uint64) {
	i := m >> 24 & (1<<filterBits - 1)
	return i >> 6, 1 << (i & 63)
}

const vocabBits = 12

var vocab = buildVocab()

func buildVocab() *vocabTable {
	t := &vocabTable{
		keys:  make([]uint64, 1<<vocabBits),
		flags: make([]uint32, 1<<vocabBits),
		mask:  1<<vocabBits - 1,
	}
	for flag, list := range vocabulary {
		for _, entry := range strings.Fields(list) {
			f := flag
			if strings.HasSuffix(entry, "!") {
				entry = strings.TrimSuffix(entry, "!")
				f |= fStrong
			}
			var h, prev uint64
			words := strings.Split(entry, "|")
			for i, w := range words {
				h = wordHash(w)
				if i > 0 {
					if i == len(words)-1 {
						t.add(h, fPhraseEnd)
					}
					h = phraseHash(prev, h)
				}
				prev = h
			}
			t.add(h, f)
		}
	}
	return t
}

func (t *vocabTable) add(h uint64, f uint32) {
	w, b := filterBit(mix(h))
	t.filter[w] |= b
	for i := mix(h) & t.mask; ; i = (i + 1) & t.mask {
		if t.keys[i] == 0 || t.keys[i] == h {
			t.keys[i] = h
			t.flags[i] |= f
			return
		}
	}
}

func (t *vocabTable) get(h uint64) uint32 { return t.getMixed(h, mix(h)) }

// getMixed is get for a word whose mix(h) the caller has at hand.
func (t *vocabTable) getMixed(h, m uint64) uint32 {
	if w, b := filterBit(m); t.filter[w]&b == 0 {
		return 0
	}
	for i := m & t.mask; ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case h:
			return t.flags[i]
		case 0:
			return 0
		}
	}
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// wordHash hashes a lowercase word the way scanLine does while it reads.
func wordHash(w string) uint64 {
	h := uint64(fnvOffset)
	for _, r := range w {
		h = hashRune(h, unicode.ToLower(r))
	}
	return h | 1
}

// hashRune adds the UTF-8 bytes of r to the FNV-1a hash h.
func hashRune(h uint64, r rune) uint64 {
	if r < utf8.RuneSelf {
		return (h ^ uint64(r)) * fnvPrime
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	for _, c := range buf[:n] {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

// phraseHash combines the hash of a phrase so far with the next word's.
func phraseHash(prev, next uint64) uint64 {
	return (mix(prev^0x9e3779b97f4a7c15) + next) | 1
}

func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}
