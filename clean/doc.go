// Package clean removes the boilerplate lines from already-extracted web
// text: what a Common Crawl WET record or a naive HTML-to-text pass leaves
// around an article — menus, breadcrumbs, cookie banners, newsletter forms,
// share prompts, copyright lines, related links, comment counters.
//
// # What it does to a text
//
// A text is a sequence of lines; blank lines separate paragraphs. The
// cleaner decides for every non-blank line whether to keep it, and writes
// the kept lines out byte for byte, each with its own line terminator: no
// re-wrapping, no Unicode or space normalization. Blank lines between kept
// lines stay as they were; where dropped lines stood, the blank lines around
// them collapse to one (or none, if there were none), so that no paragraph
// is glued to the next and no hole of empty lines is left. Leading and
// trailing blank lines go.
//
// # How it decides
//
// Each line gets a content probability from a small learned model (Model): a
// two-stage ensemble of gradient-boosted oblivious trees over features of
// the line itself (length, final punctuation, capitals, digits, share of stop
// words in several languages, boilerplate vocabulary such as "cookies",
// "subscribe", "©"), of its place in the page, and of its neighbours; the
// second stage also reads the first stage's verdicts on the lines around.
// Lines below the threshold are dropped; each page's threshold moves towards
// the one that maximizes the page's expected F1 given its probabilities, and
// a first line (the title) that no later line repeats is kept as the heading
// of the content right after it. The built-in model was trained on
// clean-dev (pages of the WCXB benchmark, CC-BY-4.0) by `winnow bench clean
// --write-model` (package clean/train).
//
// On top of the model, short lines holding an unmistakable boilerplate
// phrase ("all rights reserved", "accept cookies", "subscribe to") are
// dropped by rule (Config.Rules), and CorpusCleaner drops the lines a site
// repeats on many of its pages (its template), counted across a corpus in
// bounded memory.
//
// Every dropped line gets a reason Category (navigation, cookie, newsletter,
// social, legal, related, advertising, comment_meta, template, other) and a
// score, logged in the record's Removed list when the cleaner runs as a
// pipeline stage.
package clean
